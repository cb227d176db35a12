//! The Smart City definition (Leitbild): a versioned text with a status and a word-level diff.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefinitionStatus {
    Entwurf,
    Abgestimmt,
    Beschlossen,
}

impl DefinitionStatus {
    pub const ALL: [DefinitionStatus; 3] = [
        DefinitionStatus::Entwurf,
        DefinitionStatus::Abgestimmt,
        DefinitionStatus::Beschlossen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DefinitionStatus::Entwurf => "entwurf",
            DefinitionStatus::Abgestimmt => "abgestimmt",
            DefinitionStatus::Beschlossen => "beschlossen",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Allowed next statuses. A decided definition can be reopened as a draft for an update.
    pub fn next(self) -> &'static [DefinitionStatus] {
        match self {
            DefinitionStatus::Entwurf => &[DefinitionStatus::Abgestimmt],
            DefinitionStatus::Abgestimmt => {
                &[DefinitionStatus::Entwurf, DefinitionStatus::Beschlossen]
            }
            DefinitionStatus::Beschlossen => &[DefinitionStatus::Entwurf],
        }
    }
}

/// Limits of the definition text.
pub const MAX_DEFINITION_CHARS: usize = 50_000;

/// One piece of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffPart {
    /// `same`, `added` or `removed`
    pub kind: &'static str,
    pub text: String,
}

/// Word-level diff of two texts, adjacent parts of the same kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::from_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "added",
            ChangeTag::Delete => "removed",
        };
        match parts.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => parts.push(DiffPart {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changed_words() {
        let d = word_diff(
            "Arnsberg wird digital und grün.",
            "Arnsberg wird vernetzt und grün.",
        );
        let added: Vec<&str> = d
            .iter()
            .filter(|p| p.kind == "added")
            .map(|p| p.text.as_str())
            .collect();
        let removed: Vec<&str> = d
            .iter()
            .filter(|p| p.kind == "removed")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(added, vec!["vernetzt"]);
        assert_eq!(removed, vec!["digital"]);
        let joined_new: String = d
            .iter()
            .filter(|p| p.kind != "removed")
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(joined_new, "Arnsberg wird vernetzt und grün.");
    }

    #[test]
    fn status_flow() {
        assert_eq!(
            DefinitionStatus::Entwurf.next(),
            &[DefinitionStatus::Abgestimmt]
        );
        assert!(
            DefinitionStatus::Abgestimmt
                .next()
                .contains(&DefinitionStatus::Beschlossen)
        );
        assert!(
            !DefinitionStatus::Entwurf
                .next()
                .contains(&DefinitionStatus::Beschlossen)
        );
    }
}
