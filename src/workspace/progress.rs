//! How far a load has come, for a caller that shows it (the CLI on stderr,
//! the UI before its first screen). The loader only counts; it never prints
//! and never reads the clock, so showing progress is the caller's choice.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counters the loader advances as it goes; any thread may read them.
#[derive(Debug, Default)]
pub struct LoadProgress {
    units_total: AtomicU64,
    units_done: AtomicU64,
    bytes_done: AtomicU64,
    bytes_total: AtomicU64,
    accounts: AtomicU64,
    by_account: AtomicBool,
}

/// What a load is made of: a folder of dumps is read file by file, an
/// iam-collect store account by account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    #[default]
    File,
    Account,
}

/// One reading of the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgressReading {
    pub unit: Unit,
    /// Files (or store accounts) to parse; 0 while the files are being read.
    pub total: u64,
    /// Files (or store accounts) read and parsed.
    pub done: u64,
    /// Bytes parsed, and the bytes there are to parse (0 when not known).
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Accounts read so far.
    pub accounts: u64,
}

impl LoadProgress {
    /// The whole load is `total` units of `bytes` bytes (0 when not known).
    pub(crate) fn begin(&self, unit: Unit, total: usize, bytes: u64) {
        self.by_account
            .store(unit == Unit::Account, Ordering::Relaxed);
        self.units_total.store(total as u64, Ordering::Relaxed);
        self.bytes_total.store(bytes, Ordering::Relaxed);
    }

    /// One unit is read: `bytes` of text holding `accounts` accounts.
    pub(crate) fn advance(&self, bytes: u64, accounts: usize) {
        self.bytes_done.fetch_add(bytes, Ordering::Relaxed);
        self.accounts.fetch_add(accounts as u64, Ordering::Relaxed);
        self.units_done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn read(&self) -> ProgressReading {
        ProgressReading {
            unit: if self.by_account.load(Ordering::Relaxed) {
                Unit::Account
            } else {
                Unit::File
            },
            total: self.units_total.load(Ordering::Relaxed),
            done: self.units_done.load(Ordering::Relaxed),
            bytes_done: self.bytes_done.load(Ordering::Relaxed),
            bytes_total: self.bytes_total.load(Ordering::Relaxed),
            accounts: self.accounts.load(Ordering::Relaxed),
        }
    }
}

impl ProgressReading {
    /// One line for people: `7/10 files, 71/102 MB, 6 accounts`.
    pub fn describe(&self) -> String {
        const MB: u64 = 1_000_000;
        let noun = match (self.unit, self.total) {
            (Unit::File, 1) => "file",
            (Unit::File, _) => "files",
            (Unit::Account, 1) => "account folder",
            (Unit::Account, _) => "account folders",
        };
        if self.total == 0 {
            return "reading the files".to_string();
        }
        let mut line = format!("{}/{} {noun}", self.done, self.total);
        if self.bytes_total > 0 {
            line.push_str(&format!(
                ", {}/{} MB",
                self.bytes_done.div_ceil(MB),
                self.bytes_total.div_ceil(MB)
            ));
        } else if self.bytes_done > 0 {
            line.push_str(&format!(", {} MB", self.bytes_done.div_ceil(MB)));
        }
        let accounts = self.accounts;
        line.push_str(&format!(
            ", {accounts} account{}",
            if accounts == 1 { "" } else { "s" }
        ));
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_says_files_megabytes_and_accounts() {
        let progress = LoadProgress::default();
        assert_eq!(progress.read().describe(), "reading the files");
        progress.begin(Unit::File, 10, 102_500_000);
        progress.advance(10_250_000, 1);
        progress.advance(10_250_000, 2);
        assert_eq!(
            progress.read().describe(),
            "2/10 files, 21/103 MB, 3 accounts"
        );
        let store = LoadProgress::default();
        store.begin(Unit::Account, 1, 0);
        store.advance(3_000, 1);
        assert_eq!(
            store.read().describe(),
            "1/1 account folder, 1 MB, 1 account"
        );
    }
}
