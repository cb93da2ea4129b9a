//! Words shown to people, in both languages: every user-facing message is written twice,
//! and the shells pick one. Below `diagnostic` and `fix`, which both carry messages.

/// The language messages are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// Picks Chinese for locales such as `zh_CN.UTF-8` or `zh-Hans`, English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A text that exists in both languages: every user-facing message is written twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

impl Message {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Message {
        Message {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}
