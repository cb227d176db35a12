//! Rendering helpers shared by all pages: templates to HTML, and the form model that re-renders entered
//! values with one translated message per field and an error summary.

use crate::ctx::RequestCtx;
use crate::error::AppError;
use askama::Template;
use axum::response::Html;
use domain::FieldErrors;

pub fn render(t: &impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(t.render()?))
}

/// One shown error: the field id to link to, its label and the message.
#[derive(Debug, Clone)]
pub struct ShownError {
    pub field: String,
    pub label: String,
    pub message: String,
}

/// Entered values and errors of one form.
#[derive(Debug, Clone, Default)]
pub struct FormView {
    values: Vec<(String, String)>,
    pub errors: Vec<ShownError>,
}

impl FormView {
    pub fn new() -> Self {
        Self::default()
    }

    /// Remember an entered value (re-rendered into the field).
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.values.push((name.to_string(), value.to_string()));
        self
    }

    /// Translate and attach errors; labels come from `field-<name>`, messages from the error code.
    pub fn with_errors(mut self, ctx: &RequestCtx, errors: &FieldErrors) -> Self {
        for e in &errors.0 {
            self.errors.push(ShownError {
                field: e.field.to_string(),
                label: ctx.t(&format!("field-{}", e.field)),
                message: ctx.t(e.code),
            });
        }
        self
    }

    /// Attach one error by field and message key.
    pub fn with_error(self, ctx: &RequestCtx, field: &'static str, code: &'static str) -> Self {
        let mut errs = FieldErrors::new();
        errs.push(field, code);
        self.with_errors(ctx, &errs)
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn selected(&self, name: &str, option: &str) -> bool {
        self.value(name) == option
    }

    /// For fields sent several times (checkbox groups): whether `option` is among the values.
    pub fn checked(&self, name: &str, option: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == option)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }

    pub fn has_error(&self, name: &str) -> bool {
        self.error(name).is_some()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Format Unix seconds as a date and time in Europe/Berlin-agnostic UTC (shown with the zone).
pub fn datetime(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[day].[month].[year] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Today's date (UTC) as ISO `YYYY-MM-DD`.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}
