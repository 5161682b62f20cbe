//! What the whole app may need to tell the cashier, as a typed list rather
//! than one last-wins string: each kind of problem shows once, the newest
//! of a kind replacing the older, and each can be dismissed.

use std::fmt;

use super::local_storage::StorageError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// localStorage refused a write or is not available.
    Storage(StorageError),
    /// The sales history database (IndexedDB) failed.
    HistoryDb(String),
    /// Another tab opened a newer version of the history database.
    NewerVersionElsewhere,
    /// Some stored sales could not be read and were skipped.
    UnreadableSales(usize),
    /// The saved settings could not be used.
    Settings(String),
    /// `config.json` had fields that were skipped (or could not be read).
    Config(String),
    /// The Chinese words could not be fetched: the app stays in English.
    ChineseUnavailable,
}

/// The kinds, for showing one of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    Storage,
    HistoryDb,
    NewerVersionElsewhere,
    UnreadableSales,
    Settings,
    Config,
    ChineseUnavailable,
}

impl Problem {
    pub fn kind(&self) -> ProblemKind {
        match self {
            Problem::Storage(_) => ProblemKind::Storage,
            Problem::HistoryDb(_) => ProblemKind::HistoryDb,
            Problem::NewerVersionElsewhere => ProblemKind::NewerVersionElsewhere,
            Problem::UnreadableSales(_) => ProblemKind::UnreadableSales,
            Problem::Settings(_) => ProblemKind::Settings,
            Problem::Config(_) => ProblemKind::Config,
            Problem::ChineseUnavailable => ProblemKind::ChineseUnavailable,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = crate::i18n::current();
        match self {
            Problem::Storage(e) => write!(f, "{e}"),
            Problem::HistoryDb(why) => f.write_str(&crate::i18n::history_db_failed(lang, why)),
            Problem::NewerVersionElsewhere => {
                f.write_str(&crate::i18n::newer_version_elsewhere(lang))
            }
            Problem::UnreadableSales(n) => f.write_str(&crate::i18n::unreadable_sales(lang, *n)),
            Problem::Settings(why) | Problem::Config(why) => write!(f, "{why}"),
            // In both languages: the Chinese words are what could not load.
            Problem::ChineseUnavailable => f.write_str(crate::i18n::CHINESE_UNAVAILABLE),
        }
    }
}

/// Adds `problem` to `list`, replacing one of the same kind.
pub fn add(list: &mut Vec<Problem>, problem: Problem) {
    list.retain(|p| p.kind() != problem.kind());
    list.push(problem);
}
