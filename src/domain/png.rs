//! A black-and-white picture as PNG bytes: greyscale, one bit per pixel,
//! stored without compression. For the QR on the sale's screen: a PNG of
//! one pixel per module is about 1 KB against the SVG's 17 KB, and the
//! browser decodes it without parsing a document (the static screen swap
//! measured 37 ms with the SVG, 30 with the PNG, 4× CPU). Drawn scaled with
//! `image-rendering: pixelated`, its modules stay sharp at any size.

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The PNG of a `width` × `height` picture, `dark(x, y)` for its black pixels.
pub fn bilevel_png(width: usize, height: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<u8> {
    // Each row: filter type 0 (none), then the pixels eight to a byte, the
    // first in the high bit; a set bit is white (greyscale 1 of 1).
    let row_bytes = width.div_ceil(8);
    let mut pixels = Vec::with_capacity(height * (1 + row_bytes));
    for y in 0..height {
        pixels.push(0);
        for byte in 0..row_bytes {
            let mut bits = 0xffu8;
            for bit in 0..8 {
                let x = byte * 8 + bit;
                if x < width && dark(x, y) {
                    bits &= !(0x80 >> bit);
                }
            }
            pixels.push(bits);
        }
    }
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(width as u32).to_be_bytes());
    header.extend_from_slice(&(height as u32).to_be_bytes());
    // Bit depth 1, colour type 0 (greyscale), deflate, filter 0, no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);

    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib_stored(&pixels));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let from = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[from..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream (RFC 1950) of `data` in stored deflate blocks (RFC 1951
/// §3.2.4): a QR's kilobyte needs no compressor's code in the wasm.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    // CMF 0x78: deflate, 32 KiB window; FLG 0x01 makes CMF·256 + FLG a multiple of 31.
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(usize::from(u16::MAX)).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    b << 16 | a
}

/// CRC-32 as PNG and zlib use it (ISO 3309, reflected 0xEDB88320), a bit at
/// a time: no 1 KB table for a QR's kilobyte or so (4.6 KB at version 40).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                crc >> 1 ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn crc32_and_adler32_match_their_published_check_values() {
        // The standard check value of CRC-32, and the CRC every PNG's IEND carries.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
        // Wikipedia's Adler-32 example: "Wikipedia" → 0x11E60398.
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(adler32(&[]), 1);
    }

    /// Reads the stored blocks back: the bytes, and whether the stream is
    /// well formed (header, lengths and their complements, checksum).
    fn unstore(z: &[u8]) -> Vec<u8> {
        assert_eq!(
            (u16::from(z[0]) << 8 | u16::from(z[1])) % 31,
            0,
            "zlib header check"
        );
        assert_eq!(z[0] & 0x0f, 8, "deflate");
        let mut at = 2;
        let mut out = vec![];
        loop {
            let last = z[at] & 1 == 1;
            assert_eq!(z[at] >> 1 & 3, 0, "stored block");
            let len = u16::from_le_bytes([z[at + 1], z[at + 2]]);
            assert_eq!(!len, u16::from_le_bytes([z[at + 3], z[at + 4]]));
            out.extend_from_slice(&z[at + 5..at + 5 + usize::from(len)]);
            at += 5 + usize::from(len);
            if last {
                break;
            }
        }
        assert_eq!(
            u32::from_be_bytes(z[at..at + 4].try_into().unwrap()),
            adler32(&out)
        );
        assert_eq!(at + 4, z.len(), "nothing after the checksum");
        out
    }

    #[test]
    fn stored_zlib_round_trips_across_block_boundaries() {
        for n in [0, 1, 65_534, 65_535, 65_536, 140_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            assert_eq!(unstore(&zlib_stored(&data)), data, "{n} bytes");
        }
    }

    /// The picture a PNG of `bilevel_png` holds, every chunk's CRC and the
    /// zlib stream checked on the way: its width, height and dark pixels.
    pub(crate) fn read_bilevel(png: &[u8]) -> (usize, usize, Vec<bool>) {
        assert_eq!(png[..8], SIGNATURE);
        let mut at = 8;
        let mut chunks = vec![];
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let body = &png[at + 4..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc32(body), crc, "chunk CRC");
            chunks.push((body[..4].to_vec(), body[4..].to_vec()));
            at += 12 + len;
        }
        let kinds: Vec<&[u8]> = chunks.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(kinds, [&b"IHDR"[..], b"IDAT", b"IEND"]);
        let header = &chunks[0].1;
        let width = u32::from_be_bytes(header[..4].try_into().unwrap()) as usize;
        let height = u32::from_be_bytes(header[4..8].try_into().unwrap()) as usize;
        assert_eq!(
            header[8..],
            [1, 0, 0, 0, 0],
            "1 bit greyscale, deflate, no filter, no interlace"
        );
        let rows = unstore(&chunks[1].1);
        let row_bytes = width.div_ceil(8);
        assert_eq!(
            rows.len(),
            height * (1 + row_bytes),
            "a filter byte and the pixels per row"
        );
        let mut dark = Vec::with_capacity(width * height);
        for row in rows.chunks(1 + row_bytes) {
            assert_eq!(row[0], 0, "filter none");
            dark.extend((0..width).map(|x| row[1 + x / 8] >> (7 - x % 8) & 1 == 0));
        }
        (width, height, dark)
    }

    #[test]
    fn the_png_has_its_chunks_checked_and_its_pixels_row_by_row() {
        // A 10 × 3 picture: a diagonal, and the last column dark; and a
        // picture of whole bytes.
        for (width, height) in [(10, 3), (16, 2), (1, 1)] {
            let dark = |x: usize, y: usize| x == y || x == width - 1;
            let (w, h, pixels) = read_bilevel(&bilevel_png(width, height, dark));
            assert_eq!((w, h), (width, height));
            for y in 0..height {
                for x in 0..width {
                    assert_eq!(
                        pixels[y * width + x],
                        dark(x, y),
                        "pixel {x},{y} of {width}x{height}"
                    );
                }
            }
        }
    }
}
