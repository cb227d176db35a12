//! The Umsetzungskonzept: rules for publishing a version and the line-level comparison of two versions'
//! Markdown (no I/O).

use crate::FieldErrors;
use crate::values::optional_text;
use crate::visibility::Visibility;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// Longest note a publisher may attach to a version.
pub const MAX_NOTE_CHARS: usize = 500;

/// Lines of unchanged context shown around each change.
pub const DIFF_CONTEXT: usize = 3;

/// A validated request to publish a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The audience the version is compiled for, and who may read it.
    pub visibility: Visibility,
    pub note: String,
}

impl Publish {
    /// Parses the publish form; errors are message keys per field (`visibility`, `note`).
    pub fn parse(visibility: &str, note: &str) -> Result<Publish, FieldErrors> {
        let mut e = FieldErrors::new();
        let visibility = match Visibility::parse(visibility) {
            Ok(v) => Some(v),
            Err(key) => {
                e.push("visibility", key);
                None
            }
        };
        let note = e.take("note", optional_text(note, MAX_NOTE_CHARS));
        match (visibility, note) {
            (Some(visibility), Some(note)) if e.is_empty() => Ok(Publish { visibility, note }),
            _ => Err(e),
        }
    }
}

/// One line of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub kind: &'static str,
    /// Line number in the older version (not for added lines).
    pub old: Option<usize>,
    /// Line number in the newer version (not for removed lines).
    pub new: Option<usize>,
    pub text: String,
}

/// A run of changes with [`DIFF_CONTEXT`] lines of context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunk {
    pub lines: Vec<DiffLine>,
}

/// The comparison of two Markdown texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub added: usize,
    pub removed: usize,
    pub hunks: Vec<Hunk>,
}

/// Line-level comparison of `old` and `new`: only the changed regions with some context.
pub fn compare(old: &str, new: &str) -> Comparison {
    let diff = TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    let mut hunks = Vec::new();
    for group in diff.grouped_ops(DIFF_CONTEXT) {
        let mut lines = Vec::new();
        for op in &group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => "same",
                    ChangeTag::Insert => {
                        added += 1;
                        "added"
                    }
                    ChangeTag::Delete => {
                        removed += 1;
                        "removed"
                    }
                };
                lines.push(DiffLine {
                    kind,
                    old: change.old_index().map(|i| i + 1),
                    new: change.new_index().map(|i| i + 1),
                    text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
                });
            }
        }
        hunks.push(Hunk { lines });
    }
    Comparison {
        added,
        removed,
        hunks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_shows_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\n";
        let c = compare(old, new);
        assert_eq!((c.added, c.removed), (2, 1));
        let all: Vec<_> = c.hunks.iter().flat_map(|h| &h.lines).collect();
        assert!(
            all.iter()
                .any(|l| l.kind == "removed" && l.text == "e" && l.old == Some(5))
        );
        assert!(
            all.iter()
                .any(|l| l.kind == "added" && l.text == "E" && l.new == Some(5))
        );
        assert!(all.iter().any(|l| l.kind == "added" && l.text == "j"));
        assert!(
            !all.iter().any(|l| l.text == "a"),
            "only context near changes"
        );
        assert!(compare(old, old).hunks.is_empty());
    }

    #[test]
    fn publish_form_is_checked() {
        let p = Publish::parse("oeffentlich", " Ratsfassung ").expect("valid");
        assert_eq!(p.visibility, Visibility::Oeffentlich);
        assert_eq!(p.note, "Ratsfassung");
        let e = Publish::parse("geheim", &"x".repeat(MAX_NOTE_CHARS + 1)).expect_err("invalid");
        assert!(e.for_field("visibility").is_some());
        assert!(e.for_field("note").is_some());
    }
}
