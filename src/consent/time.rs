//! UTC timestamps as ISO 8601 text, without a date library: the record's
//! `timestamp` must read as a date to a person auditing consent.

use crate::text::{parse_decimal, push_padded};

/// Milliseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC). A year
/// before 1 or after 9999 is written as its digits, as `{:04}` would
/// (years before 0 keep their sign).
pub fn iso_from_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    if y < 0 {
        out.push('-');
    }
    // `{:04}` of a negative year pads the digits to 3 after the sign.
    push_padded(&mut out, y.unsigned_abs(), if y < 0 { 3 } else { 4 });
    for (sep, n, width) in [
        ('-', m, 2),
        ('-', d, 2),
        ('T', rem / 3_600_000, 2),
        (':', rem / 60_000 % 60, 2),
        (':', rem / 1000 % 60, 2),
        ('.', rem % 1000, 3),
    ] {
        out.push(sep);
        push_padded(&mut out, n.unsigned_abs(), width);
    }
    out.push('Z');
    out
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fff]Z` back to milliseconds; `None` for
/// anything else (other offsets, out-of-range fields).
pub fn ms_from_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b.len() > 30 || *b.last()? != b'Z' {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        parse_decimal(part).and_then(|n| i64::try_from(n).ok())
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, se) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let frac = s.get(19..s.len() - 1)?;
    let millis = match frac {
        "" => 0,
        f if f.starts_with(".") && f.len() >= 2 && f.len() <= 10 => {
            let digits = f.get(1..)?;
            if !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            // The first three digits are the milliseconds ("5" is 500).
            digits
                .bytes()
                .chain(*b"000")
                .take(3)
                .fold(0, |n, c| n * 10 + i64::from(c - b'0'))
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + millis)
}

// Howard Hinnant's civil calendar algorithms (public domain).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_reads_back() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(1_795_336_431_123), "2026-11-22T08:33:51.123Z");
        for ms in [
            0,
            951_782_400_000,
            1_709_164_800_000,
            1_795_336_431_123,
            4_102_444_799_999,
        ] {
            assert_eq!(ms_from_iso(&iso_from_ms(ms)), Some(ms));
        }
        assert_eq!(ms_from_iso("2026-11-22T08:33:51Z"), Some(1_795_336_431_000));
    }

    #[test]
    fn writes_what_format_would_for_any_year() {
        for ms in [
            i64::MIN / 2,
            -62_198_755_200_001,
            -62_135_596_800_000,
            -1,
            0,
            253_402_300_800_000,
            i64::MAX / 2,
        ] {
            let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
            let rem = ms.rem_euclid(86_400_000);
            let expected = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                rem / 3_600_000,
                rem / 60_000 % 60,
                rem / 1000 % 60,
                rem % 1000
            );
            assert_eq!(iso_from_ms(ms), expected, "{ms}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_utc_timestamp() {
        for bad in [
            "",
            "2026-11-22",
            "2026-13-01T00:00:00Z",
            "2026-11-22T06:33:51+01:00",
            "２026-11-22T06:33:51Z",
            "2026-11-22T06:33:51.Z",
        ] {
            assert_eq!(ms_from_iso(bad), None, "{bad}");
        }
    }
}
