//! ESC/POS for thermal receipt printers: a 1-bit raster image turned into the
//! bytes such a printer takes (`ESC @`, `GS v 0` raster bands, a feed and a
//! cut), and those bytes cut into chunks as small as the link accepts (a BLE
//! write, a serial write). The receipt is drawn as an image (so Chinese, the
//! shop's name and the QR print as they look), never sent as text: the
//! printer's own code pages and fonts play no part.
//!
//! Pure Rust: the drawing is the browser's (`pages::printer`), the bytes are
//! built and tested here.

/// Dots across the paper at 203 dpi: 48 mm printed on a 58 mm roll, 72 mm on
/// an 80 mm one.
pub const DOTS_58MM: u32 = 384;
pub const DOTS_80MM: u32 = 576;

/// Rows per `GS v 0` command: a band of 576 dots × 128 rows is 9 KB, within
/// the receive buffer of the cheap printers (a whole receipt in one command
/// overruns some of them).
pub const BAND_ROWS: u32 = 128;

/// Lines fed before the cut, so the last printed line clears the cutter.
pub const FEED_LINES: u8 = 4;

/// A 1-bit image, rows packed 8 dots a byte, the most significant bit the
/// leftmost dot, 1 black: `GS v 0`'s own layout. A width that is not a
/// multiple of 8 is padded with white dots on the right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    width: u32,
    height: u32,
    bits: Vec<u8>,
}

impl Raster {
    /// A white raster of `width` × `height` dots.
    pub fn blank(width: u32, height: u32) -> Raster {
        let row = width.div_ceil(8) as usize;
        Raster {
            width,
            height,
            bits: vec![0; row * height as usize],
        }
    }

    /// From one grey level a dot (0 black .. 255 white), row by row: a dot
    /// darker than `threshold` prints black. `None` when `grey` is not
    /// `width × height` long.
    pub fn from_grey(width: u32, height: u32, grey: &[u8], threshold: u8) -> Option<Raster> {
        if grey.len() != width as usize * height as usize {
            return None;
        }
        let mut r = Raster::blank(width, height);
        for y in 0..height {
            for x in 0..width {
                if grey[(y * width + x) as usize] < threshold {
                    r.set(x, y);
                }
            }
        }
        Some(r)
    }

    /// From RGBA pixels (a canvas' `ImageData`), each laid over white paper
    /// (a transparent pixel is white) and taken to its luminance, then as
    /// [`Raster::from_grey`].
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8], threshold: u8) -> Option<Raster> {
        if rgba.len() != width as usize * height as usize * 4 {
            return None;
        }
        let grey: Vec<u8> = rgba.chunks_exact(4).map(|p| grey_over_white(p[0], p[1], p[2], p[3])).collect();
        Raster::from_grey(width, height, &grey, threshold)
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes in one row: the width in dots over 8, rounded up.
    pub fn row_bytes(&self) -> usize {
        self.width.div_ceil(8) as usize
    }

    /// The packed rows, `row_bytes()` each.
    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    /// Makes the dot at (`x`, `y`) black; outside the raster, nothing.
    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = y as usize * self.row_bytes() + x as usize / 8;
            self.bits[i] |= 0x80 >> (x % 8);
        }
    }

    /// Whether the dot at (`x`, `y`) is black.
    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.bits[y as usize * self.row_bytes() + x as usize / 8] & (0x80 >> (x % 8)) != 0
    }
}

/// The grey level of an RGBA pixel laid over white (ITU-R BT.601 weights,
/// in integers).
fn grey_over_white(r: u8, g: u8, b: u8, a: u8) -> u8 {
    let luma = (299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000;
    let a = a as u32;
    ((luma * a + 255 * (255 - a)) / 255) as u8
}

/// `ESC @`: the printer back to its defaults (a half-received job before
/// this one is forgotten).
pub const INIT: [u8; 2] = [0x1b, 0x40];

/// `GS V 1`: a partial cut (a printer without a cutter ignores it).
pub const CUT: [u8; 3] = [0x1d, 0x56, 0x01];

/// `GS v 0` of rows `from..to` of `r`: m = 0 (normal size), xL xH the bytes
/// a row, yL yH the rows, then the rows.
fn band(r: &Raster, from: u32, to: u32, out: &mut Vec<u8>) {
    let row = r.row_bytes();
    let rows = to - from;
    out.extend_from_slice(&[0x1d, 0x76, 0x30, 0x00]);
    out.extend_from_slice(&(row as u16).to_le_bytes());
    out.extend_from_slice(&(rows as u16).to_le_bytes());
    out.extend_from_slice(&r.bits[from as usize * row..to as usize * row]);
}

/// The raster as `GS v 0` commands of at most `band_rows` rows each (at
/// least 1), top to bottom, and nothing else.
pub fn raster_bands(r: &Raster, band_rows: u32) -> Vec<u8> {
    let band_rows = band_rows.max(1);
    let mut out = Vec::with_capacity(r.bits.len() + 8 * (r.height / band_rows + 1) as usize);
    let mut y = 0;
    while y < r.height {
        let to = (y + band_rows).min(r.height);
        band(r, y, to, &mut out);
        y = to;
    }
    out
}

/// A whole print job: `ESC @`, the image in bands of [`BAND_ROWS`], `ESC d`
/// [`FEED_LINES`] and the cut.
pub fn job(r: &Raster) -> Vec<u8> {
    let mut out = INIT.to_vec();
    out.extend(raster_bands(r, BAND_ROWS));
    out.extend_from_slice(&[0x1b, 0x64, FEED_LINES]);
    out.extend_from_slice(&CUT);
    out
}

/// The job cut into pieces of at most `size` bytes (at least 1), in order:
/// what one write on the link takes (20 to 512 bytes over BLE, a few KB
/// over a serial port). ESC/POS is a byte stream, so a command may span two
/// writes; none is lost or repeated.
pub fn chunks(bytes: &[u8], size: usize) -> std::slice::Chunks<'_, u8> {
    bytes.chunks(size.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent reading of `GS v 0` bands (not the encoder's code):
    /// the image the printer would print, as rows of booleans.
    fn decode(bytes: &[u8]) -> Vec<Vec<bool>> {
        let mut rows = vec![];
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(&[0x1d, 0x76, 0x30, 0x00]) {
                let x = bytes[i + 4] as usize + 256 * bytes[i + 5] as usize;
                let y = bytes[i + 6] as usize + 256 * bytes[i + 7] as usize;
                let data = &bytes[i + 8..i + 8 + x * y];
                for r in 0..y {
                    rows.push((0..x * 8).map(|d| data[r * x + d / 8] >> (7 - d % 8) & 1 == 1).collect());
                }
                i += 8 + x * y;
            } else {
                i += 1;
            }
        }
        rows
    }

    #[test]
    fn a_small_known_image_gives_exactly_these_bytes() {
        // 10 × 3 dots: a black top row, a dot at each end of the middle one,
        // a white bottom row (the width padded to 16 dots: 2 bytes a row).
        let grey: Vec<u8> = [
            [0u8; 10].to_vec(),
            [0, 255, 255, 255, 255, 255, 255, 255, 255, 0].to_vec(),
            [255u8; 10].to_vec(),
        ]
        .concat();
        let r = Raster::from_grey(10, 3, &grey, 128).unwrap();
        assert_eq!(r.row_bytes(), 2);
        assert_eq!(r.bits(), &[0xff, 0xc0, 0x80, 0x40, 0x00, 0x00]);
        assert_eq!(
            job(&r),
            vec![
                0x1b, 0x40, // ESC @
                0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00, // GS v 0, m 0, 2 bytes × 3 rows
                0xff, 0xc0, 0x80, 0x40, 0x00, 0x00, // the rows
                0x1b, 0x64, 0x04, // ESC d 4
                0x1d, 0x56, 0x01, // GS V 1
            ]
        );
    }

    #[test]
    fn bands_split_the_rows_and_read_back_as_the_image() {
        // 576 dots (72 bytes a row) × 300 rows, a diagonal and a frame.
        let mut r = Raster::blank(DOTS_80MM, 300);
        for y in 0..300 {
            r.set(y, y);
            r.set(0, y);
            r.set(575, y);
        }
        let bytes = raster_bands(&r, 128);
        // 128 + 128 + 44 rows: three commands, each with its own height.
        assert_eq!(bytes.len(), 3 * 8 + 72 * 300);
        assert_eq!(&bytes[..8], &[0x1d, 0x76, 0x30, 0, 72, 0, 128, 0]);
        assert_eq!(&bytes[8 + 72 * 128..8 + 72 * 128 + 8], &[0x1d, 0x76, 0x30, 0, 72, 0, 128, 0]);
        assert_eq!(&bytes[2 * (8 + 72 * 128)..2 * (8 + 72 * 128) + 8], &[0x1d, 0x76, 0x30, 0, 72, 0, 44, 0]);
        let image = decode(&bytes);
        assert_eq!(image.len(), 300);
        for (y, row) in image.iter().enumerate() {
            for (x, &black) in row.iter().enumerate() {
                assert_eq!(black, x == y || x == 0 || x == 575, "dot {x},{y}");
            }
        }
        // A band of 0 rows would loop for ever: taken as 1.
        assert_eq!(decode(&raster_bands(&r, 0)).len(), 300);
    }

    #[test]
    fn widths_not_a_multiple_of_8_are_padded_white() {
        let r = Raster::from_grey(9, 1, &[0; 9], 128).unwrap();
        assert_eq!(r.bits(), &[0xff, 0x80]);
        let r = Raster::from_grey(1, 2, &[0, 200], 128).unwrap();
        assert_eq!(r.bits(), &[0x80, 0x00]);
        let r = Raster::from_grey(15, 1, &[0; 15], 128).unwrap();
        assert_eq!(r.bits(), &[0xff, 0xfe]);
        assert_eq!(Raster::blank(DOTS_58MM, 1).row_bytes(), 48);
        // Outside the raster nothing is set, nothing panics.
        let mut r = Raster::blank(9, 1);
        r.set(9, 0);
        r.set(0, 1);
        assert_eq!(r.bits(), &[0, 0]);
        assert!(!r.get(9, 0));
        assert_eq!(Raster::from_grey(9, 2, &[0; 17], 128), None);
    }

    #[test]
    fn rgba_is_laid_over_white_then_thresholded() {
        let px = |r, g, b, a| [r, g, b, a];
        let rgba = [
            px(0, 0, 0, 255),       // black
            px(255, 255, 255, 255), // white
            px(0, 0, 0, 0),         // transparent: the paper
            px(0, 0, 0, 100),       // faint grey: white
            px(0, 0, 0, 200),       // dark grey: black
            px(255, 0, 0, 255),     // red: luma 76, black
            px(0, 255, 0, 255),     // green: luma 149, white
            px(120, 120, 120, 255), // grey 120: black
        ]
        .concat();
        let r = Raster::from_rgba(8, 1, &rgba, 128).unwrap();
        assert_eq!(r.bits(), &[0b1000_1101]);
        assert_eq!(Raster::from_rgba(8, 1, &rgba[4..], 128), None);
    }

    #[test]
    fn chunks_keep_every_byte_in_order_and_none_is_too_big() {
        let mut r = Raster::blank(DOTS_58MM, 200);
        for y in 0..200 {
            r.set((y * 7) % 384, y);
        }
        let whole = job(&r);
        for size in [1, 20, 100, 182, 512, 4096, whole.len(), whole.len() + 1] {
            let pieces: Vec<&[u8]> = chunks(&whole, size).collect();
            assert!(pieces.iter().all(|p| !p.is_empty() && p.len() <= size), "size {size}");
            assert_eq!(pieces.len(), whole.len().div_ceil(size));
            assert_eq!(pieces.concat(), whole, "size {size}");
        }
        assert_eq!(chunks(&whole, 0).count(), whole.len());
        assert_eq!(decode(&chunks(&whole, 20).collect::<Vec<_>>().concat()).len(), 200);
    }
}
