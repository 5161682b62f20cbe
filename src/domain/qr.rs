//! The QR code as SVG or PNG, drawn on the tablet: no image service sees the link.

use qrcode::canvas::{Canvas, Module};
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
/// for module (a test compares them), but its mask is applied and chosen
/// here, over a flat array of bytes: qrcode masks a clone of its whole
/// canvas for each of the eight masks, a function call per module, and
/// scores each through a module accessor. Here each mask is one pass over
/// the array with its rule read from a small tile (about 1.2× faster
/// natively, and about 220 B gzip lighter in each part that draws a QR).
pub fn qr_modules(text: &str) -> Result<(usize, Vec<bool>), String> {
    let cannot = |e: qrcode::types::QrError| format!("This link cannot be drawn as a QR code: {e}");
    let ec_level = error_correction_for(text);
    let (unmasked, side) = encoded(text, ec_level).map_err(cannot)?;
    let width =
        usize::try_from(side).map_err(|_| "This link cannot be drawn as a QR code".to_string())?;
    let (plain, maskable) = before_masking(&unmasked, side);
    let mut masked = vec![0u8; width * width];
    let mut columns = Vec::with_capacity(width * width);
    let mut best: Option<(u32, Vec<u8>)> = None;
    for reference in 0..8 {
        apply_mask(&mut masked, &plain, &maskable, width, reference);
        draw_format_info(&mut masked, width, ec_level, reference);
        let score = penalty(&masked, width, &mut columns);
        // The first of equal scores, as qrcode chooses.
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, masked.clone()));
        }
    }
    let (_, dark) = best.expect("eight masks were scored");
    Ok((width, dark.into_iter().map(|d| d == 1).collect()))
}

/// `text`'s code before masking (function patterns, data and error
/// correction drawn by qrcode), and its width in modules.
fn encoded(text: &str, ec_level: EcLevel) -> Result<(Canvas, i16), qrcode::types::QrError> {
    let bits = qrcode::bits::encode_auto(text.as_bytes(), ec_level)?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level)?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    Ok((canvas, version.width()))
}

/// Each module of `unmasked` once, row by row: its colour before masking
/// (1 dark), and whether the mask flips it (1: data and error correction,
/// and any module left empty; never a function pattern, which qrcode marks
/// as already masked).
fn before_masking(unmasked: &Canvas, side: i16) -> (Vec<u8>, Vec<u8>) {
    let mut plain = Vec::new();
    let mut maskable = Vec::new();
    for y in 0..side {
        for x in 0..side {
            let (dark, flips) = match unmasked.get(x, y) {
                Module::Masked(c) => (c == Color::Dark, false),
                Module::Unmasked(c) => (c == Color::Dark, true),
                Module::Empty => (false, true),
            };
            plain.push(u8::from(dark));
            maskable.push(u8::from(flips));
        }
    }
    (plain, maskable)
}

/// `plain` masked with mask `reference` (0–7, ISO/IEC 18004 Table 10, the
/// order qrcode tries them in) where `maskable` (0 or 1), into `masked`.
fn apply_mask(masked: &mut [u8], plain: &[u8], maskable: &[u8], width: usize, reference: usize) {
    // Every mask repeats every 12 rows and every 12 columns: its rule is
    // read once into a 12×12 tile, whether the module at row `i`, column
    // `j` is flipped, rather than once per module.
    let mut tile = [0u8; 144];
    for (n, flips) in tile.iter_mut().enumerate() {
        let (i, j) = (n / 12, n % 12);
        *flips = u8::from(match reference {
            0 => (i + j) % 2 == 0,
            1 => i % 2 == 0,
            2 => j % 3 == 0,
            3 => (i + j) % 3 == 0,
            4 => (i / 2 + j / 3) % 2 == 0,
            5 => (i * j) % 2 + (i * j) % 3 == 0,
            6 => ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            _ => ((i + j) % 2 + (i * j) % 3) % 2 == 0,
        });
    }
    for i in 0..width {
        let tile_row = &tile[i % 12 * 12..][..12];
        for j in 0..width {
            let k = i * width + j;
            masked[k] = plain[k] ^ (maskable[k] & tile_row[j % 12]);
        }
    }
}

/// Writes the 15 bits of format information (error correction level and
/// mask reference, BCH(15,5)-coded and XORed with 101010000010010) in
/// both of their places, and the dark module beside the bottom-left finder,
/// as qrcode draws them after masking: the most significant bit first along
/// each list of places.
fn draw_format_info(modules: &mut [u8], width: usize, ec_level: EcLevel, reference: usize) {
    let level = match ec_level {
        EcLevel::L => 0b01,
        EcLevel::M => 0b00,
        EcLevel::Q => 0b11,
        EcLevel::H => 0b10,
    };
    let data = (level << 3 | reference as u32) << 10;
    let mut remainder = data;
    for bit in (10..15).rev() {
        if remainder & (1 << bit) != 0 {
            remainder ^= 0b101_0011_0111 << (bit - 10);
        }
    }
    let format = (data | remainder) ^ 0b101_0100_0001_0010;
    let w = width;
    let mut put =
        |k: usize, x: usize, y: usize| modules[y * w + x] = u8::from(format & (1 << (14 - k)) != 0);
    // (column, row) of bits 14 down to 0: around the top-left finder, then
    // beside the bottom-left and top-right ones.
    const AROUND_TOP_LEFT: [(usize, usize); 15] = [
        (0, 8),
        (1, 8),
        (2, 8),
        (3, 8),
        (4, 8),
        (5, 8),
        (7, 8),
        (8, 8),
        (8, 7),
        (8, 5),
        (8, 4),
        (8, 3),
        (8, 2),
        (8, 1),
        (8, 0),
    ];
    for (k, &(x, y)) in AROUND_TOP_LEFT.iter().enumerate() {
        put(k, x, y);
    }
    for k in 0..15 {
        let (x, y) = if k < 7 {
            (8, w - 1 - k)
        } else {
            (w - 15 + k, 8)
        };
        put(k, x, y);
    }
    modules[(w - 8) * w + 8] = 1;
}

/// A masked code's penalty (ISO/IEC 18004 §7.8.3, as qrcode scores it): runs
/// of five or more alike, 2×2 blocks alike, finder-like `#.###.#` patterns
/// without four light modules on one side, and the dark share's distance
/// from half. The lowest wins. `dark` holds 0 or 1 per module, row by row;
/// `columns` is room for its columns, reused from mask to mask.
fn penalty(dark: &[u8], width: usize, columns: &mut Vec<u8>) -> u32 {
    // The columns side by side as rows are, so that one loop over a slice
    // scores both directions.
    columns.clear();
    for x in 0..width {
        for y in 0..width {
            columns.push(dark[y * width + x]);
        }
    }
    let mut score = 0;
    for line in dark.chunks_exact(width).chain(columns.chunks_exact(width)) {
        score += line_penalty(line);
    }
    // 2×2 blocks alike: 3 each.
    for (top, bottom) in dark
        .chunks_exact(width)
        .zip(dark[width..].chunks_exact(width))
    {
        for x in 0..width - 1 {
            let c = top[x];
            if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                score += 3;
            }
        }
    }
    // The dark share: one point per half percent away from half.
    let dark_count: usize = dark.iter().map(|&d| usize::from(d)).sum();
    let ratio = dark_count * 200 / dark.len();
    score + ratio.abs_diff(100) as u32
}

/// One row's or column's runs and finder-like patterns.
fn line_penalty(line: &[u8]) -> u32 {
    const FINDER: u32 = 0b101_1101;
    let mut score = 0;
    let mut run = 0;
    let mut previous = 2;
    // The last seven modules, one bit each, the newest lowest.
    let mut last_seven = 0u32;
    for (k, &module) in line.iter().enumerate() {
        // Runs: a run of n ≥ 5 alike costs n − 2.
        if module == previous {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
            previous = module;
        }
        // Finder-like patterns: 40 unless dark on both sides within four.
        last_seven = (last_seven << 1 | u32::from(module)) & 0x7f;
        if last_seven == FINDER && k >= 6 {
            let j = k - 6;
            let dark_before = line[j.saturating_sub(4)..j].contains(&1);
            let dark_after = line[k + 1..(k + 5).min(line.len())].contains(&1);
            if !(dark_before && dark_after) {
                score += 40;
            }
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    score
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
        assert!(qr_svg(link)
            .unwrap()
            .contains(&format!(r#"viewBox="0 0 {side} {side}""#)));
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
            .map(|n| {
                format!("https://mixpay.me/code/{}", "9f3a-".repeat(n / 5)) + &"x".repeat(n % 5)
            })
            .collect();
        texts.extend((1..40).map(|n| {
            format!(
                "https://mixpay.me/pay?payeeId={n}&{}",
                "remark=%E4%BD%A0".repeat(n)
            )
        }));
        texts.extend(["0", "A", "12345678901234567890", "Mixin ✓ 你好"].map(String::from));
        let mut masks_seen = std::collections::BTreeSet::new();
        for text in &texts {
            let theirs =
                QrCode::with_error_correction_level(text.as_bytes(), error_correction_for(text))
                    .unwrap();
            let (width, ours) = qr_modules(text).unwrap();
            assert_eq!(width, theirs.width(), "{text}");
            let theirs: Vec<bool> = theirs
                .to_colors()
                .iter()
                .map(|c| *c == Color::Dark)
                .collect();
            assert!(ours == theirs, "a different code for {text}");
            // The format bits next to the top-left finder name the mask.
            masks_seen.insert((0..5).map(|x| ours[8 * width + x]).collect::<Vec<_>>());
        }
        // The inputs exercise several masks, not one that always wins.
        assert!(masks_seen.len() >= 4, "{masks_seen:?}");
    }

    /// Each of the eight masks and its format information, as qrcode's
    /// own canvas draws them, for a small code and one with version
    /// information: the choice between them is compared above.
    #[test]
    fn every_mask_is_qrcode_s_own() {
        use qrcode::canvas::MaskPattern;
        let patterns = [
            MaskPattern::Checkerboard,
            MaskPattern::HorizontalLines,
            MaskPattern::VerticalLines,
            MaskPattern::DiagonalLines,
            MaskPattern::LargeCheckerboard,
            MaskPattern::Fields,
            MaskPattern::Diamonds,
            MaskPattern::Meadow,
        ];
        for (text, ec_level) in [
            ("0", EcLevel::Q),
            (&*"https://mixpay.me/pay?x=1&".repeat(12), EcLevel::M),
        ] {
            let (unmasked, side) = encoded(text, ec_level).unwrap();
            let width = side as usize;
            let (plain, maskable) = before_masking(&unmasked, side);
            for (reference, pattern) in patterns.into_iter().enumerate() {
                let mut theirs = unmasked.clone();
                theirs.apply_mask(pattern);
                let theirs: Vec<u8> = theirs
                    .into_colors()
                    .into_iter()
                    .map(|c| u8::from(c == Color::Dark))
                    .collect();
                let mut ours = vec![0; width * width];
                apply_mask(&mut ours, &plain, &maskable, width, reference);
                draw_format_info(&mut ours, width, ec_level, reference);
                assert!(ours == theirs, "mask {reference} of a {width}-module code");
            }
        }
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
        let side: usize = svg
            .split(r#"viewBox="0 0 "#)
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(r#" d=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
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
            let code =
                QrCode::with_error_correction_level(link.as_bytes(), error_correction_for(link))
                    .unwrap();
            let width = code.width();
            let (side, grid) = painted(&qr_svg(link).unwrap());
            assert_eq!(side, width + 8);
            for (i, module) in code.to_colors().iter().enumerate() {
                let (x, y) = (i % width + 4, i / width + 4);
                assert_eq!(grid[y * side + x], *module == Color::Dark, "module {x},{y}");
            }
            // Nothing in the quiet zone.
            assert_eq!(
                grid.iter().filter(|&&d| d).count(),
                code.to_colors()
                    .iter()
                    .filter(|&&c| c == Color::Dark)
                    .count()
            );
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
