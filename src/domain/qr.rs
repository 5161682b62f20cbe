//! The QR code as SVG, drawn on the tablet: no image service sees the link.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Links up to this long get error correction Q (25 %), which survives glare
/// on a glossy screen; longer ones (pay links) get M (15 %) so their modules
/// stay large enough to scan from arm's length.
const SHORT_LINK_CHARS: usize = 120;

pub fn error_correction_for(text: &str) -> EcLevel {
    if text.len() <= SHORT_LINK_CHARS {
        EcLevel::Q
    } else {
        EcLevel::M
    }
}

/// An SVG of `text` with the standard four-module quiet zone, one unit per
/// module in its viewBox so it scales sharply to any size, filling its box.
pub fn qr_svg(text: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), error_correction_for(text))
        .map_err(|e| format!("This link cannot be drawn as a QR code: {e}"))?;
    let image = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Drop the XML prolog (not allowed inline in HTML) and let CSS size it.
    let start = image.find("<svg").ok_or("QR renderer gave no SVG")?;
    let svg = &image[start..];
    let end = svg.find('>').ok_or("QR renderer gave no SVG")?;
    let (head, rest) = svg.split_at(end);
    let head = head
        .split(' ')
        .filter(|attr| !attr.starts_with("width=") && !attr.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    Ok(format!(
        r#"{head} width="100%" height="100%" aria-hidden="true"{rest}"#
    ))
}

/// The QR as a `data:` image URL: drawn as an `<img>`, so no markup is ever
/// parsed into the page (no `inner_html`; Trusted Types could be enforced).
pub fn qr_data_url(text: &str) -> Result<String, String> {
    Ok(format!(
        "data:image/svg+xml,{}",
        super::link::url_encode(&qr_svg(text)?)
    ))
}

/// The code's modules, the same as the SVG's (same error correction), for
/// drawing it as dots (the printed receipt): its width in modules, without
/// quiet zone, and the modules row by row, `true` dark.
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), error_correction_for(text))
        .map_err(|e| format!("This link cannot be drawn as a QR code: {e}"))?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((code.width(), dark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modules_are_the_svg_s() {
        let link = "dd9c3e04-a5d2-41ec-b909-0242ac120002";
        let (width, dark) = qr_modules(link).unwrap();
        assert_eq!(dark.len(), width * width);
        // The SVG's code: the same modules, 4 of quiet zone each side.
        assert!(width >= 21 && (width - 17) % 4 == 0, "{width}");
        let side = width + 8;
        assert!(qr_svg(link).unwrap().contains(&format!(r#"viewBox="0 0 {side} {side}""#)));
        // A finder pattern's corner is dark, its inner ring light.
        assert!(dark[0] && dark[6] && !dark[width + 1]);
    }

    #[test]
    fn short_links_get_more_error_correction() {
        assert_eq!(
            error_correction_for("https://mixpay.me/code/525502dd-e552-4505-b114-32fe32ff23c2"),
            EcLevel::Q
        );
        assert_eq!(error_correction_for(&"x".repeat(300)), EcLevel::M);
    }

    #[test]
    fn svg_scales_and_has_a_quiet_zone() {
        let svg = qr_svg("https://mixpay.me/code/525502dd-e552-4505-b114-32fe32ff23c2").unwrap();
        assert!(svg.starts_with("<svg "));
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains(r#"width="100%""#));
        assert!(svg.contains("crispEdges"));
        // 59 bytes at Q need version 5: 37 modules + 2 × 4 quiet zone = 45.
        assert!(svg.contains(r#"viewBox="0 0 45 45""#), "{}", &svg[..200]);
        // Nothing is drawn in the quiet zone: every path starts at module 4 or later.
        assert!(!svg.contains("M0 ") && !svg.contains("M3 "));
    }

    #[test]
    fn the_data_url_is_the_svg_escaped() {
        let url = qr_data_url("https://mixpay.me/code/x").unwrap();
        assert!(url.starts_with("data:image/svg+xml,%3Csvg%20"));
        assert!(!url.contains('<') && !url.contains('"') && !url.contains('#'));
    }

    #[test]
    fn a_long_pay_link_still_fits() {
        let link = format!("https://mixpay.me/pay?{}", "remark=%E4%BD%A0".repeat(20));
        assert!(qr_svg(&link).is_ok());
        assert!(qr_svg(&"x".repeat(5000)).is_err());
    }
}
