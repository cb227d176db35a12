/// Declare the searchable kinds: one line per kind (`Variant => "url key"`). The key is used in URLs
/// (`art=…`), in the index and in message ids (`search-kind-<key>`).
macro_rules! kinds {
    ($($variant:ident => $key:literal),+ $(,)?) => {
        /// What a search result is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind { $($variant),+ }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $key),+ }
            }
        }
    };
}

kinds! {
    Measure => "massnahme",
    Idea => "idee",
    Statement => "aussage",
    Workshop => "werkstatt",
    Definition => "leitbild",
    Article => "artikel",
}

impl Kind {
    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == raw.trim())
    }

    /// The message id of the kind's name.
    pub fn message_id(self) -> String {
        format!("search-kind-{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Kind::parse("artikel-unbekannt"), None);
    }
}
