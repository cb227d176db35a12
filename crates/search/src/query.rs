use crate::Kind;

/// Longest accepted search text, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Results per page.
pub const PER_PAGE: usize = 20;
/// Highest page number accepted (deeper paging is refused rather than made expensive).
const MAX_PAGE: usize = 500;

/// A parsed search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// Municipality slug.
    pub city: Option<String>,
    pub kind: Option<Kind>,
    /// Field of action (taxonomy term id).
    pub field: Option<i64>,
    /// 1-based.
    pub page: usize,
}

/// Why a search request was refused; each variant has a message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    TooLong,
    BadKind,
    BadField,
    BadPage,
}

impl QueryError {
    pub fn message_id(self) -> &'static str {
        match self {
            QueryError::Empty => "search-err-empty",
            QueryError::TooLong => "search-err-too-long",
            QueryError::BadKind => "search-err-kind",
            QueryError::BadField => "search-err-field",
            QueryError::BadPage => "search-err-page",
        }
    }
}

fn blank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

impl Query {
    /// Parse the raw parameters (`q`, `kommune`, `art`, `feld`, `seite`).
    pub fn parse(
        q: Option<&str>,
        city: Option<&str>,
        kind: Option<&str>,
        field: Option<&str>,
        page: Option<&str>,
    ) -> Result<Query, QueryError> {
        let text = blank(q).ok_or(QueryError::Empty)?;
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let kind = match blank(kind) {
            None => None,
            Some(k) => Some(Kind::parse(k).ok_or(QueryError::BadKind)?),
        };
        let field = match blank(field) {
            None => None,
            Some(f) => Some(f.parse::<i64>().map_err(|_| QueryError::BadField)?),
        };
        let page = match blank(page) {
            None => 1,
            Some(p) => match p.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => return Err(QueryError::BadPage),
            },
        };
        Ok(Query {
            text: text.to_string(),
            city: blank(city).map(|c| c.to_lowercase()),
            kind,
            field,
            page,
        })
    }

    pub fn offset(&self) -> usize {
        (self.page - 1) * PER_PAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        let q = Query::parse(
            Some(" Parkplatz "),
            Some("Arnsberg"),
            Some("massnahme"),
            Some("4"),
            None,
        )
        .expect("valid");
        assert_eq!(q.text, "Parkplatz");
        assert_eq!(q.city.as_deref(), Some("arnsberg"));
        assert_eq!(q.kind, Some(Kind::Measure));
        assert_eq!(q.field, Some(4));
        assert_eq!(q.page, 1);
        assert_eq!(
            Query::parse(Some("  "), None, None, None, None),
            Err(QueryError::Empty)
        );
        assert_eq!(
            Query::parse(None, None, None, None, None),
            Err(QueryError::Empty)
        );
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            Query::parse(Some(&long), None, None, None, None),
            Err(QueryError::TooLong)
        );
        assert_eq!(
            Query::parse(Some("x"), None, Some("nix"), None, None),
            Err(QueryError::BadKind)
        );
        assert_eq!(
            Query::parse(Some("x"), None, None, Some("zwei"), None),
            Err(QueryError::BadField)
        );
        assert_eq!(
            Query::parse(Some("x"), None, None, None, Some("0")),
            Err(QueryError::BadPage)
        );
        assert_eq!(
            Query::parse(Some("x"), None, None, None, Some("3")).map(|q| q.offset()),
            Ok(40)
        );
    }
}
