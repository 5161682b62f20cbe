//! The payee as the counter shows it: short enough to read at a glance,
//! distinct enough that a swapped payee is noticed.

/// "to 3f2a…5a6b · Demo Coffee": the first and last four hex digits of the
/// payee's UUID and the name shown for it (left out when there is none).
pub fn fingerprint(payee_id: &str, name: &str) -> String {
    let hex: String = payee_id.chars().filter(char::is_ascii_hexdigit).collect();
    let short = if hex.len() > 8 {
        format!("{}…{}", &hex[..4], &hex[hex.len() - 4..])
    } else {
        hex
    };
    let name = name.trim();
    if name.is_empty() {
        format!("to {short}")
    } else {
        format!("to {short} · {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_shows_both_ends_of_the_uuid_and_the_name() {
        assert_eq!(
            fingerprint("3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b", "Demo Coffee"),
            "to 3f2a…5a6b · Demo Coffee"
        );
        assert_eq!(
            fingerprint("b7e3a1d2-4c5f-4a6b-8d9e-0f1a2b3c4d5e", " "),
            "to b7e3…4d5e"
        );
    }
}
