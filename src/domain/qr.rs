//! The QR code as SVG or PNG, drawn on the tablet: no image service sees the link.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// Links up to this long get error correction Q (25 %), which survives glare
/// on a glossy screen; longer ones (pay links) get M (15 %) so their modules
/// stay large enough to scan from arm's length.
const SHORT_LINK_CHARS: usize = 120;

/// The quiet zone around the code, in modules (the standard's four).
const QUIET: usize = 4;

pub fn error_correction_for(text: &str) -> EcLevel {
    if text.len() <= SHORT_LINK_CHARS {
        EcLevel::Q
    } else {
        EcLevel::M
    }
}

/// An SVG of `text` with the standard four-module quiet zone, one unit per
/// module in its viewBox so it scales sharply to any size, filling its box.
///
/// Drawn here rather than by qrcode's SVG renderer, which writes one
/// rectangle per dark module: a row's run of dark modules is one rectangle,
/// about half the path and half the work for the browser to read on the way
/// to the QR screen.
pub fn qr_svg(text: &str) -> Result<String, String> {
    use std::fmt::Write;
    let (width, modules) = qr_modules(text)?;
    let side = width + 2 * QUIET;
    let mut path = String::with_capacity(width * width * 2);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let run_start = x;
            while x < width && row[x] {
                x += 1;
            }
            let run = x - run_start;
            // Writing to a String cannot fail.
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", run_start + QUIET, y + QUIET);
        }
    }
    Ok(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" "#,
            r#"shape-rendering="crispEdges" width="100%" height="100%" aria-hidden="true">"#,
            r##"<rect width="{side}" height="{side}" fill="#ffffff"/>"##,
            r##"<path fill="#000000" d="{path}"/></svg>"##,
        ),
        side = side,
        path = path
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

/// The QR as a PNG `data:` URL, one pixel per module, quiet zone included:
/// for the sale's screen, drawn scaled with `image-rendering: pixelated`.
/// About 1 KB (1.5 KB as base64) against the SVG's 17 KB, and an image the
/// browser decodes without reading a document: the faster of the two on the
/// way to the sale's QR (`domain::png`). Everything else, paper included,
/// gets the SVG (`qr_data_url`): a printer or a PDF may smooth a small
/// picture scaled up.
pub fn qr_png_data_url(text: &str) -> Result<String, String> {
    let (width, modules) = qr_modules(text)?;
    let side = width + 2 * QUIET;
    let code = QUIET..QUIET + width;
    let dark = |x: usize, y: usize| {
        code.contains(&x) && code.contains(&y) && modules[(y - QUIET) * width + x - QUIET]
    };
    let png = super::png::bilevel_png(side, side, dark);
    Ok(format!(
        "data:image/png;base64,{}",
        super::base64::encode(&png, super::base64::STANDARD, true)
    ))
}

/// The code's modules, the same as the SVG's (same error correction), for
/// drawing it as dots (the printed receipt): its width in modules, without
/// quiet zone, and the modules row by row, `true` dark.
///
/// The same code as qrcode's `QrCode::with_error_correction_level`, module
/// for module (a test compares them), but its mask is chosen here: qrcode
/// scores the eight masks through a module accessor and a boxed closure per
/// position, which was about 14 ms of the 4×-throttled Charge → QR; the same
/// rules over a flat array of booleans take a fraction of that.
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), String> {
    let cannot = |e: qrcode::types::QrError| format!("This link cannot be drawn as a QR code: {e}");
    let ec_level = error_correction_for(text);
    let bits = qrcode::bits::encode_auto(text.as_bytes(), ec_level).map_err(cannot)?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level).map_err(cannot)?;
    let mut unmasked = Canvas::new(version, ec_level);
    unmasked.draw_all_functional_patterns();
    unmasked.draw_data(&data, &ec);
    let width = usize::try_from(version.width()).map_err(|_| "This link cannot be drawn as a QR code".to_string())?;
    let mut best: Option<(u32, Vec<bool>)> = None;
    for pattern in MASKS {
        let mut canvas = unmasked.clone();
        canvas.apply_mask(pattern);
        let dark: Vec<bool> = canvas.into_colors().into_iter().map(|c| c == Color::Dark).collect();
        let score = penalty(&dark, width);
        // The first of equal scores, as qrcode chooses.
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    let (_, dark) = best.expect("eight masks were scored");
    Ok((width, dark))
}

/// The eight masks of a (non-micro) QR code, in qrcode's order.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// A masked code's penalty (ISO/IEC 18004 §7.8.3, as qrcode scores it): runs
/// of five or more alike, 2×2 blocks alike, finder-like `#.###.#` patterns
/// without four light modules on one side, and the dark share's distance
/// from half. The lowest wins.
fn penalty(dark: &[bool], width: usize) -> u32 {
    // Rows, then columns, each as one slice of bytes: the two directions
    // are scored by the same loop over contiguous memory.
    let mut lines: Vec<u8> = dark.iter().map(|&d| u8::from(d)).collect();
    lines.extend((0..width).flat_map(|x| (0..width).map(move |y| u8::from(dark[y * width + x]))));
    const FINDER: [u8; 7] = [1, 0, 1, 1, 1, 0, 1];
    let mut score = 0u32;
    for line in lines.chunks_exact(width) {
        // Runs: a run of n ≥ 5 alike costs n − 2.
        let mut run = 1;
        for pair in line.windows(2) {
            if pair[0] == pair[1] {
                run += 1;
            } else {
                if run >= 5 {
                    score += run - 2;
                }
                run = 1;
            }
        }
        if run >= 5 {
            score += run - 2;
        }
        // Finder-like patterns: 40 unless dark on both sides within four.
        for (j, window) in line.windows(7).enumerate() {
            if window != FINDER {
                continue;
            }
            let dark_before = line[j.saturating_sub(4)..j].contains(&1);
            let dark_after = line[j + 7..(j + 11).min(width)].contains(&1);
            if !(dark_before && dark_after) {
                score += 40;
            }
        }
    }
    // 2×2 blocks alike: 3 each.
    let rows = &lines[..width * width];
    for (top, bottom) in rows.chunks_exact(width).zip(rows[width..].chunks_exact(width)) {
        for x in 0..width - 1 {
            let c = top[x];
            if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                score += 3;
            }
        }
    }
    // The dark share: one point per half percent away from half.
    let dark_count = dark.iter().filter(|&&d| d).count();
    let ratio = dark_count * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::QrCode;

    #[test]
    fn the_png_is_the_modules_with_the_quiet_zone() {
        for link in [
            "dd9c3e04-a5d2-41ec-b909-0242ac120002",
            "https://mixpay.me/pay?payeeId=3f2a9c1e-5b7d-4e8f-9a6b-1c2d3e4f5a6b&settlementAssetId=4d8c508b-91c5-375b-92b0-ee702ed2dac5&quoteAssetId=usd&quoteAmount=12.50&orderId=Y3UBFZ-000001&traceId=0d6b8c52-6a53-4a49-9d0b-3f1d2c4b5a69",
        ] {
            let (width, modules) = qr_modules(link).unwrap();
            let url = qr_png_data_url(link).unwrap();
            let coded = url.strip_prefix("data:image/png;base64,").expect("a PNG data: URL");
            // Read back through the set-up link's decoder (the other alphabet, no padding).
            let url_safe: String = coded
                .trim_end_matches('=')
                .chars()
                .map(|c| match c {
                    '+' => '-',
                    '/' => '_',
                    c => c,
                })
                .collect();
            let png = crate::domain::setup_link::from_base64url(&url_safe).expect("base64");
            let (w, h, pixels) = crate::domain::png::tests::read_bilevel(&png);
            let side = width + 2 * QUIET;
            assert_eq!((w, h), (side, side));
            for y in 0..side {
                for x in 0..side {
                    let inside = (QUIET..QUIET + width).contains(&x) && (QUIET..QUIET + width).contains(&y);
                    let module = inside && modules[(y - QUIET) * width + x - QUIET];
                    assert_eq!(pixels[y * side + x], module, "{x},{y} of {link}");
                }
            }
        }
    }

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

    /// Module for module the code qrcode itself makes (its mask choice
    /// included), over short and long links, both error correction levels
    /// and many lengths: any difference in scoring would pick another mask
    /// for some of them.
    #[test]
    fn the_modules_are_qrcode_s_own() {
        let mut texts: Vec<String> = (0..160)
            .map(|n| format!("https://mixpay.me/code/{}", "9f3a-".repeat(n / 5)) + &"x".repeat(n % 5))
            .collect();
        texts.extend((1..40).map(|n| format!("https://mixpay.me/pay?payeeId={n}&{}", "remark=%E4%BD%A0".repeat(n))));
        texts.extend(["0", "A", "12345678901234567890", "Mixin ✓ 你好"].map(String::from));
        let mut masks_seen = std::collections::BTreeSet::new();
        for text in &texts {
            let theirs = QrCode::with_error_correction_level(text.as_bytes(), error_correction_for(text)).unwrap();
            let (width, ours) = qr_modules(text).unwrap();
            assert_eq!(width, theirs.width(), "{text}");
            let theirs: Vec<bool> = theirs.to_colors().iter().map(|c| *c == Color::Dark).collect();
            assert!(ours == theirs, "a different code for {text}");
            // The format bits next to the top-left finder name the mask.
            masks_seen.insert((0..5).map(|x| ours[8 * width + x]).collect::<Vec<_>>());
        }
        // The inputs exercise several masks, not one that always wins.
        assert!(masks_seen.len() >= 4, "{masks_seen:?}");
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

    /// The modules the SVG's path paints, read back from its text.
    fn painted(svg: &str) -> (usize, Vec<bool>) {
        let side: usize = svg.split(r#"viewBox="0 0 "#).nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let d = svg.split(r#" d=""#).nth(1).unwrap().split('"').next().unwrap();
        let mut grid = vec![false; side * side];
        for rect in d.split('z').filter(|r| !r.is_empty()) {
            // M{x} {y}h{run}v1h-{run}
            let (xy, rest) = rect[1..].split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let (run, back) = rest.split_once("v1h-").unwrap();
            assert_eq!(run, back, "{rect}");
            for dx in 0..run.parse::<usize>().unwrap() {
                assert!(!grid[y * side + x + dx], "painted twice at {x},{y}");
                grid[y * side + x + dx] = true;
            }
        }
        (side, grid)
    }

    #[test]
    fn the_svg_paints_exactly_the_code_s_dark_modules() {
        for link in [
            "https://mixpay.me/code/525502dd-e552-4505-b114-32fe32ff23c2",
            &format!("https://mixpay.me/pay?{}", "remark=%E4%BD%A0".repeat(20)),
        ] {
            let code = QrCode::with_error_correction_level(link.as_bytes(), error_correction_for(link)).unwrap();
            let width = code.width();
            let (side, grid) = painted(&qr_svg(link).unwrap());
            assert_eq!(side, width + 8);
            for (i, module) in code.to_colors().iter().enumerate() {
                let (x, y) = (i % width + 4, i / width + 4);
                assert_eq!(grid[y * side + x], *module == Color::Dark, "module {x},{y}");
            }
            // Nothing in the quiet zone.
            assert_eq!(grid.iter().filter(|&&d| d).count(), code.to_colors().iter().filter(|&&c| c == Color::Dark).count());
        }
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
