//! How long an uploaded video plays, read while it streams to storage, so the
//! syllabus can say "12 min" without the author typing it.
//!
//! - MP4: the movie header (`mvhd`, inside the top-level `moov` box) holds a
//!   time scale and a duration. `moov` may come before or after the media
//!   data, so the scanner follows the top-level box sizes through the whole
//!   stream, skipping everything but the start of `moov`.
//! - WebM: the segment's `Info` element holds `Duration` (a float, in
//!   `TimecodeScale` nanoseconds); it sits near the start, in the head the
//!   upload's type is sniffed from. Recordings made by a browser often have no
//!   duration at all: then there is none to read.
//!
//! Anything malformed gives no length, never an error: the length is a
//! convenience, and the upload was already accepted on its type.

/// How much of `moov` is kept to find `mvhd` in (it is its first child in
/// practice; a few children may come before it).
const MOOV_KEEP: usize = 4096;

/// Follows an MP4's top-level boxes through a stream of chunks.
#[derive(Debug, Default)]
pub struct Mp4Length {
    /// Bytes seen so far.
    pos: u64,
    /// Where the next top-level box starts.
    next_box: u64,
    /// The header of the box being read (8 bytes, 16 with a 64-bit size).
    header: Vec<u8>,
    /// The start of `moov`'s content, while it is being read.
    moov: Option<Vec<u8>>,
    /// `moov`'s end.
    moov_end: u64,
    seconds: Option<u64>,
    /// A box with an unknown or impossible size: nothing more can be followed.
    lost: bool,
}

impl Mp4Length {
    pub fn feed(&mut self, mut chunk: &[u8]) {
        while !chunk.is_empty() && self.seconds.is_none() && !self.lost {
            let taken = if let Some(moov) = &mut self.moov {
                let want =
                    (MOOV_KEEP - moov.len()).min(usize::try_from(self.moov_end - self.pos).unwrap_or(usize::MAX));
                let n = want.min(chunk.len());
                moov.extend_from_slice(&chunk[..n]);
                if n == want {
                    self.seconds = mvhd_seconds(moov);
                    self.moov = None;
                    self.next_box = self.moov_end;
                }
                n
            } else if self.pos < self.next_box {
                usize::try_from(self.next_box - self.pos).unwrap_or(usize::MAX).min(chunk.len())
            } else {
                self.read_header(chunk)
            };
            self.pos += taken as u64;
            chunk = &chunk[taken..];
        }
    }

    /// Reads (part of) a box header from `chunk`; returns the bytes taken.
    fn read_header(&mut self, chunk: &[u8]) -> usize {
        let want = if self.header.len() >= 8 && be32(&self.header[..4]) == 1 { 16 } else { 8 };
        let n = (want - self.header.len()).min(chunk.len());
        self.header.extend_from_slice(&chunk[..n]);
        if self.header.len() == 8 && be32(&self.header[..4]) == 1 {
            return n; // a 64-bit size follows
        }
        if self.header.len() < want {
            return n;
        }
        let start = self.pos + n as u64 - want as u64;
        let size = if want == 16 { be64(&self.header[8..16]) } else { u64::from(be32(&self.header[..4])) };
        let kind = [self.header[4], self.header[5], self.header[6], self.header[7]];
        self.header.clear();
        if size < want as u64 {
            self.lost = true; // 0 ("to the end of the file") or broken
            return n;
        }
        if &kind == b"moov" {
            self.moov = Some(Vec::new());
            self.moov_end = start + size;
        }
        self.next_box = start + size;
        n
    }

    pub fn seconds(&self) -> Option<u64> {
        self.seconds
    }
}

/// The duration in `moov`'s content (its children, from the first).
fn mvhd_seconds(moov: &[u8]) -> Option<u64> {
    let mut at = 0usize;
    while at + 8 <= moov.len() {
        let size = be32(&moov[at..at + 4]) as usize;
        if &moov[at + 4..at + 8] == b"mvhd" {
            let body = moov.get(at + 8..)?;
            let (scale, duration) = match *body.first()? {
                0 => (be32(body.get(12..16)?), u64::from(be32(body.get(16..20)?))),
                1 => (be32(body.get(20..24)?), be64(body.get(24..32)?)),
                _ => return None,
            };
            return (scale > 0 && duration != u64::MAX && duration != u64::from(u32::MAX))
                .then(|| duration.div_ceil(u64::from(scale)));
        }
        if size < 8 {
            return None;
        }
        at += size;
    }
    None
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn be64(b: &[u8]) -> u64 {
    u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

// ---- WebM (EBML) ----

const SEGMENT: u64 = 0x1853_8067;
const INFO: u64 = 0x1549_A966;
const TIMECODE_SCALE: u64 = 0x2A_D7B1;
const DURATION: u64 = 0x4489;
const CLUSTER: u64 = 0x1F43_B675;

/// The duration a WebM's head declares, in whole seconds (rounded up).
pub fn webm_seconds(head: &[u8]) -> Option<u64> {
    let mut at = 0;
    // The EBML header, then the segment whose children are walked.
    let (_, size, len) = element(head, at)?;
    at += len + usize::try_from(size?).ok()?;
    let (id, _, len) = element(head, at)?;
    if id != SEGMENT {
        return None;
    }
    at += len;
    while let Some((id, size, len)) = element(head, at) {
        let body = at + len;
        match id {
            INFO => return info_seconds(head.get(body..body + usize::try_from(size?).ok()?)?),
            CLUSTER => return None,
            _ => at = body + usize::try_from(size?).ok()?,
        }
    }
    None
}

fn info_seconds(info: &[u8]) -> Option<u64> {
    let (mut at, mut scale, mut duration) = (0, 1_000_000u64, None);
    while let Some((id, size, len)) = element(info, at) {
        let size = usize::try_from(size?).ok()?;
        let value = info.get(at + len..at + len + size)?;
        match (id, size) {
            (TIMECODE_SCALE, 1..=8) => scale = value.iter().fold(0u64, |n, b| n << 8 | u64::from(*b)),
            (DURATION, 4) => duration = Some(f64::from(f32::from_be_bytes(value.try_into().ok()?))),
            (DURATION, 8) => duration = Some(f64::from_be_bytes(value.try_into().ok()?)),
            _ => {}
        }
        at += len + size;
    }
    let seconds = duration? * scale as f64 / 1e9;
    (seconds.is_finite() && seconds > 0.0 && seconds < 1e7).then(|| seconds.ceil() as u64)
}

/// The element at `at`: its id, its size (`None` when unknown) and the
/// length of the id and size together.
fn element(data: &[u8], at: usize) -> Option<(u64, Option<u64>, usize)> {
    let (id, id_len) = vint(data, at, true)?;
    let (size, size_len) = vint(data, at + id_len, false)?;
    let unknown = size == (1u64 << (7 * size_len)) - 1;
    Some((id, (!unknown).then_some(size), id_len + size_len))
}

/// An EBML variable-length integer: ids keep their length marker, sizes do not.
fn vint(data: &[u8], at: usize, keep_marker: bool) -> Option<(u64, usize)> {
    let first = *data.get(at)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let bytes = data.get(at..at + len)?;
    let mut value = if keep_marker { u64::from(first) } else { u64::from(first) & ((1u64 << (8 - len)) - 1) };
    for b in &bytes[1..] {
        value = value << 8 | u64::from(*b);
    }
    Some((value, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        [&(8 + body.len() as u32).to_be_bytes()[..], kind, body].concat()
    }

    fn mp4(moov_first: bool, scale: u32, duration: u32) -> Vec<u8> {
        let mut mvhd = vec![0u8; 4 + 4 + 4]; // version 0, flags, creation, modification
        mvhd.extend(scale.to_be_bytes());
        mvhd.extend(duration.to_be_bytes());
        mvhd.extend([0u8; 80]);
        let moov = mp4_box(b"moov", &mp4_box(b"mvhd", &mvhd));
        let ftyp = mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
        let mdat = mp4_box(b"mdat", &vec![7u8; 20_000]);
        if moov_first { [ftyp, moov, mdat].concat() } else { [ftyp, mdat, moov].concat() }
    }

    fn scan(file: &[u8], chunk: usize) -> Option<u64> {
        let mut length = Mp4Length::default();
        file.chunks(chunk).for_each(|c| length.feed(c));
        length.seconds()
    }

    #[test]
    fn reads_an_mp4s_length_wherever_moov_is_and_however_it_is_cut() {
        for moov_first in [true, false] {
            for chunk in [1, 7, 4096, 1 << 20] {
                assert_eq!(scan(&mp4(moov_first, 1000, 125_500), chunk), Some(126), "{moov_first} {chunk}");
            }
        }
        assert_eq!(scan(&mp4(true, 0, 10), 64), None, "no time scale");
        assert_eq!(scan(b"\0\0\0\0ftypisom", 64), None, "a box to the end of the file");
        assert_eq!(scan(&[0xff; 100], 64), None);
    }

    #[test]
    fn reads_a_webms_declared_length() {
        fn el(id: &[u8], body: &[u8]) -> Vec<u8> {
            [id, &[0x80 | body.len() as u8], body].concat()
        }
        let info = el(
            &[0x15, 0x49, 0xA9, 0x66],
            &[
                el(&[0x2A, 0xD7, 0xB1], &[0x0F, 0x42, 0x40]),  // 1 ms ticks
                el(&[0x44, 0x89], &90_500.0f64.to_be_bytes()), // 90.5 s
            ]
            .concat(),
        );
        let header = el(&[0x1A, 0x45, 0xDF, 0xA3], &el(&[0x42, 0x82], b"webm"));
        // A segment of unknown size (as live recordings write it).
        let segment = [
            &[0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..],
            &el(&[0xEC], &[0; 4]),
            &info,
        ]
        .concat();
        assert_eq!(webm_seconds(&[header.clone(), segment].concat()), Some(91));
        let cluster_first = [
            &[0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF][..],
            &[0x1F, 0x43, 0xB6, 0x75, 0x80],
        ]
        .concat();
        assert_eq!(webm_seconds(&[header, cluster_first].concat()), None, "no Info before the media");
        assert_eq!(webm_seconds(b"not a webm"), None);
    }
}
