//! German-first UI text through fluent. `de` is the default, `en` the second language.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "de",
        // Unicode isolation marks would end up inside HTML attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
static EN: LanguageIdentifier = langid!("en");

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Option<Lang> {
        match raw {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }

    /// The text for `key`.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The text for `key` with named arguments. A whole number is handed to fluent as a number, so that
    /// plural variants (`[one]`) select by it.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| {
                let value = match v.parse::<i64>() {
                    Ok(n) => FluentValue::from(n),
                    Err(_) => FluentValue::from(v.clone()),
                };
                (Cow::Borrowed(*k), value)
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }
}

/// Format a whole number the German way (`73.456`) or the English way (`73,456`).
pub fn format_int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::De { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_left_are_counted_in_the_right_number() {
        // Fluent wraps arguments in isolation marks; compare the visible text.
        for (lang, key, n, text) in [
            (Lang::De, "points-remaining", 1, "Sie haben noch 1 Punkt."),
            (Lang::De, "points-remaining", 2, "Sie haben noch 2 Punkte."),
            (Lang::De, "board-remaining", 1, "Sie haben noch 1 Punkt."),
            (Lang::En, "points-remaining", 1, "You have 1 point left."),
            (Lang::En, "board-remaining", 0, "You have 0 dots left."),
        ] {
            let shown = lang.t_args(key, &[("n", n.to_string())]);
            assert_eq!(shown.replace(['\u{2068}', '\u{2069}'], ""), text);
        }
    }

    /// Keys of every `.ftl` file of one language (formats keep their texts in files of their own).
    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).expect("locale dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "ftl") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("ftl");
            for k in text
                .lines()
                .filter(|l| !l.starts_with([' ', '#']) && !l.trim().is_empty())
                .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            {
                assert!(keys.insert(k.clone()), "{k} defined twice in {lang}");
            }
        }
        keys
    }

    #[test]
    fn counts_select_their_plural_variant() {
        let t = |n: &str| Lang::De.t_args("search-count", &[("n", n.to_string())]);
        assert_eq!(t("0"), "Keine Treffer");
        assert_eq!(t("1"), "1 Treffer");
        assert!(t("7").contains('7'), "{}", t("7"));
        let en = |n: &str| Lang::En.t_args("search-count", &[("n", n.to_string())]);
        assert_ne!(
            en("1"),
            en("2").replace('2', "1"),
            "English singular differs from plural"
        );
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let de = keys("de");
        let en = keys("en");
        assert!(de.len() > 100, "{}", de.len());
        assert_eq!(
            de.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en"
        );
        assert_eq!(
            en.difference(&de).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in de"
        );
    }

    #[test]
    fn lookups_work_with_arguments() {
        assert_eq!(
            Lang::De.t_args("members-title", &[("city", "Siegen".into())]),
            "Mitglieder: Siegen"
        );
        assert_eq!(Lang::En.t("nav-login"), "Log in");
    }

    #[test]
    fn numbers() {
        assert_eq!(format_int(Lang::De, 73456), "73.456");
        assert_eq!(format_int(Lang::En, 1234567), "1,234,567");
        assert_eq!(format_int(Lang::De, 999), "999");
    }
}
