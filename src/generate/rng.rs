//! The generator's only source of randomness, and the date format it writes.
//!
//! splitmix64 rather than a crate: the same seed must give the same bytes on
//! every platform and in every future build, which a dependency's generator
//! does not promise across versions.

use std::collections::BTreeSet;

/// splitmix64: tiny, fast and the same everywhere.
#[derive(Clone)]
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// lo..=hi.
    pub(super) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total as usize) as u32;
        for (item, w) in items {
            if x < *w {
                return *item;
            }
            x -= w;
        }
        items[items.len() - 1].0
    }

    /// `k` distinct indices of 0..n, in increasing order.
    pub(super) fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut chosen = BTreeSet::new();
        while chosen.len() < k {
            chosen.insert(self.below(n));
        }
        chosen.into_iter().collect()
    }

    /// An IAM unique id: a 4-letter prefix telling the kind (`AIDA` user,
    /// `AGPA` group, `AROA` role, `ANPA` managed policy, `AIPA` instance
    /// profile; IAM User Guide, "IAM identifiers", "Unique identifiers") and
    /// 17 base-32 characters.
    pub(super) fn unique_id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut s = String::with_capacity(21);
        s.push_str(prefix);
        for _ in 0..17 {
            s.push(ALPHABET[self.below(32)] as char);
        }
        s
    }

    pub(super) fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }

    pub(super) fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-{}{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.pick(&['8', '9', 'a', 'b']),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A date-time between 2016 and mid-2025, as the AWS CLI prints it.
    pub(super) fn date(&mut self) -> i64 {
        const FROM: i64 = 1_451_606_400; // 2016-01-01
        const TO: i64 = 1_751_241_600; // 2025-06-30
        FROM + (self.next_u64() % (TO - FROM) as u64) as i64
    }
}

pub(super) fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
