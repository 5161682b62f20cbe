//! The languages the app speaks, how one is picked from the browser's list,
//! and dates written the way each reads them. Pure: the browser's list and
//! the clock's parts are passed in.

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    /// Simplified Chinese.
    ZhHans,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhHans];

    /// The BCP 47 tag, for `<html lang>` and for storing the choice.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
        }
    }

    /// The language's own name, as the Language select lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHans => "中文（简体）",
        }
    }

    /// The language a BCP 47 tag asks for, if the app has it. Chinese written
    /// in traditional characters (zh-Hant, zh-TW, zh-HK, zh-MO) is not
    /// Simplified Chinese, so it is not taken for it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
                let simplified = rest.contains(&"hans");
                (simplified || !traditional).then_some(Lang::ZhHans)
            }
            _ => None,
        }
    }

    /// The first language of the browser's list (`navigator.languages`) the
    /// app speaks; English when none.
    pub fn from_browser<S: AsRef<str>>(languages: &[S]) -> Lang {
        languages
            .iter()
            .find_map(|l| Lang::from_tag(l.as_ref()))
            .unwrap_or_default()
    }
}

/// A moment on the tablet's clock, in its parts (month 1–12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

/// A day as the app keys it (`2026-11-27`, what `<input type=date>` gives),
/// written for people: the same in English, `2026年11月27日` in Chinese.
pub fn format_day(lang: Lang, iso_day: &str) -> String {
    let parts: Vec<u32> = iso_day.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] => match crate::i18n::zh::Tr::get(crate::zh!("{y}年{m}月{d}日"; y, m, d), lang) {
            Some(day) => day,
            None => iso_day.to_string(),
        },
        _ => iso_day.to_string(),
    }
}

/// A date and time: `2026-11-27 09:05` in English, `2026年11月27日 09:05` in
/// Chinese (24-hour clock in both, as shops read receipts).
pub fn format_time(lang: Lang, t: LocalTime) -> String {
    let day = format!("{:04}-{:02}-{:02}", t.year, t.month, t.day);
    format!("{} {:02}:{:02}", format_day(lang, &day), t.hour, t.minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_list_picks_the_first_language_the_app_has() {
        assert_eq!(Lang::from_browser(&["zh-CN", "en-US"]), Lang::ZhHans);
        assert_eq!(Lang::from_browser(&["fr-FR", "zh", "en"]), Lang::ZhHans);
        assert_eq!(Lang::from_browser(&["en-GB", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_browser(&["zh-Hans-SG"]), Lang::ZhHans);
        assert_eq!(Lang::from_browser(&["zh_CN"]), Lang::ZhHans);
        // Traditional Chinese is not Simplified Chinese: the next choice wins.
        assert_eq!(Lang::from_browser(&["zh-TW", "en"]), Lang::En);
        assert_eq!(Lang::from_browser(&["zh-Hant-HK"]), Lang::En);
        assert_eq!(Lang::from_browser(&["de", "ja"]), Lang::En);
        assert_eq!(Lang::from_browser::<&str>(&[]), Lang::En);
    }

    #[test]
    fn tags_read_back() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn dates_in_each_language() {
        let t = LocalTime {
            year: 2026,
            month: 11,
            day: 7,
            hour: 9,
            minute: 5,
        };
        assert_eq!(format_time(Lang::En, t), "2026-11-07 09:05");
        assert_eq!(format_time(Lang::ZhHans, t), "2026年11月7日 09:05");
        assert_eq!(format_day(Lang::ZhHans, "2026-01-31"), "2026年1月31日");
        assert_eq!(format_day(Lang::En, "2026-01-31"), "2026-01-31");
        // Not a day: shown as it is rather than lost.
        assert_eq!(format_day(Lang::ZhHans, ""), "");
    }
}
