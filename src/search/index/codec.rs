//! The compact postings the counting stage keeps in memory: varints, and a page's term
//! frequencies per field.
//!
//! A posting is a page delta (varint) and the term's frequency per field: one byte when only
//! the body or only the code has the term, fewer than 64 times (nearly always), else a byte with
//! the fields' bit mask and a varint per field. Impacts need the document frequency and the
//! average body length, known only once every page is counted, so counting stores these.

use super::{BODY, CODE, FIELDS};

/// Appends `v` as a varint: seven bits a byte, low bits first, the top bit set on all but the
/// last byte.
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Writes `v` as [`put_varint`] does into `out` at `at`; returns where it ends.
pub(super) fn set_varint(out: &mut [u8], mut at: usize, mut v: u32) -> usize {
    while v >= 0x80 {
        out[at] = v as u8 | 0x80;
        at += 1;
        v >>= 7;
    }
    out[at] = v as u8;
    at + 1
}

/// The bytes [`put_varint`] writes for `v`.
pub(super) fn varint_len(v: u32) -> usize {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

/// Reads a varint at `at`, moving `at` past it (also those of jieba's dictionary as `build.rs`
/// lays it out).
pub(in crate::search) fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// Appends a page's frequencies of one term, per field.
pub(super) fn put_tf(out: &mut Vec<u8>, tf: &[u32; FIELDS]) {
    const { assert!(BODY == FIELDS - 2 && CODE == FIELDS - 1) };
    // The fields before the body: none has the term in nearly every posting.
    let before = tf[..BODY].iter().fold(0, |any, &t| any | t);
    match (before, tf[BODY], tf[CODE]) {
        (0, body @ 1..64, 0) => out.push(body as u8),
        (0, 0, code @ 1..64) => out.push(64 | code as u8),
        _ => {
            let mask = (0..FIELDS).fold(0u8, |m, f| m | u8::from(tf[f] > 0) << f);
            out.push(0x80 | mask);
            for &t in tf.iter().filter(|&&t| t > 0) {
                put_varint(out, t);
            }
        }
    }
}

/// The bytes of what [`put_tf`] wrote at `at`.
pub(super) fn tf_len(bytes: &[u8], at: usize) -> usize {
    let b = bytes[at];
    let mut end = at + 1;
    if b >= 0x80 {
        for _ in 0..(b & 0x7f).count_ones() {
            while bytes[end] >= 0x80 {
                end += 1;
            }
            end += 1;
        }
    }
    end - at
}

/// Reads what [`put_tf`] wrote at `at`, moving `at` past it.
pub(super) fn get_tf(bytes: &[u8], at: &mut usize) -> [u32; FIELDS] {
    let mut tf = [0; FIELDS];
    let b = bytes[*at];
    *at += 1;
    if b < 64 {
        tf[BODY] = u32::from(b);
    } else if b < 0x80 {
        tf[CODE] = u32::from(b & 63);
    } else {
        for (f, t) in tf.iter_mut().enumerate() {
            if b & 1 << f != 0 {
                *t = get_varint(bytes, at);
            }
        }
    }
    tf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_every_length() {
        for v in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(out.len(), varint_len(v), "{v}");
            let mut at = 0;
            assert_eq!(get_varint(&out, &mut at), v);
            assert_eq!(at, out.len());
            let mut set = vec![0; out.len() + 1];
            assert_eq!(set_varint(&mut set, 1, v), set.len());
            assert_eq!(set[1..], out);
        }
    }

    #[test]
    fn frequencies_take_one_byte_when_only_body_or_code_has_the_term() {
        let mut body = [0; FIELDS];
        body[BODY] = 63;
        let mut code = [0; FIELDS];
        code[CODE] = 5;
        let mut many = [0; FIELDS];
        many[0] = 1;
        many[BODY] = 300;
        let mut big_body = [0; FIELDS];
        big_body[BODY] = 64;
        for (tf, len) in [(body, 1), (code, 1), (many, 4), (big_body, 2)] {
            let mut out = Vec::new();
            put_tf(&mut out, &tf);
            assert_eq!(out.len(), len, "{tf:?}");
            assert_eq!(tf_len(&out, 0), len);
            let mut at = 0;
            assert_eq!(get_tf(&out, &mut at), tf);
            assert_eq!(at, out.len());
        }
    }
}
