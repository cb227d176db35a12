//! Field-level validation errors. A code is a stable message key (`err-…`) that the web layer translates;
//! the API returns the code and the translated English text next to the field name.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form/JSON field name, e.g. `ags`.
    pub field: &'static str,
    /// The message key, e.g. `err-ags-format`.
    pub code: &'static str,
}

/// All problems found in one input, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message key for `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    /// Record the error of a parse result under `field` and hand back the value, if any.
    pub fn take<T>(&mut self, field: &'static str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(code) => {
                self.push(field, code);
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded, else all errors.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        if self.is_empty() {
            value().ok_or(self)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trim and check a required single-line text of bounded length (in characters).
pub fn required_text(raw: &str, max_chars: usize) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        Err("err-required")
    } else if t.chars().count() > max_chars {
        Err("err-too-long")
    } else if t.chars().any(|c| c.is_control()) {
        Err("err-control-chars")
    } else {
        Ok(t.to_string())
    }
}
