//! The network across cities: the dashboard for the network admin and the steering group (`/netzwerk`, with a
//! CSV export), the library of every city's measures and the network's templates (`/netzwerk/bibliothek`), and
//! the "similar measures in other cities" shown on every measure page. Figures and ranking are pure functions
//! in `domain::network`; the SQL (grouped counts, the visibility predicate) is in `store::network` and
//! `store::library`.

pub mod dashboard;
pub mod library;
pub mod similar;

/// A percentage with one decimal in German notation ("37,5 %"), or "–".
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(v) => format!("{} %", decimal1(v)),
        None => "–".into(),
    }
}

/// One decimal, German decimal comma, no trailing ",0" ("37,5", "40").
pub fn decimal1(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    s.replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_are_german() {
        assert_eq!(super::percent(Some(37.5)), "37,5 %");
        assert_eq!(super::percent(Some(100.0 / 3.0)), "33,3 %");
        assert_eq!(super::percent(Some(40.0)), "40 %");
        assert_eq!(super::percent(None), "–");
    }
}
