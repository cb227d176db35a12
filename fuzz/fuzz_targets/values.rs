//! The single-field parsers of typed input: dates, numbers, amounts in euros, links, lists, join codes of
//! live boards and access codes of participation formats, e-mail addresses, municipality fields.
//! Nothing may panic; accepted values keep the promises their parsers make.
#![no_main]

use domain::{board, participation, values};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(Some(d)) = values::parse_date(raw) {
        assert_eq!(d.len(), 10, "ISO date {d:?} from {raw:?}");
    }
    let _ = values::parse_decimal(raw);
    let _ = values::parse_euros(raw);
    if let Ok(Some(p)) = values::parse_percent(raw) {
        assert!(p.is_finite(), "{raw:?}");
    }
    if let Ok(Some(n)) = values::parse_non_negative(raw) {
        assert!(n >= 0.0, "{raw:?}");
    }
    let _ = values::parse_year(raw);
    if let Ok(items) = values::parse_lines(raw, 20, 200) {
        assert!(items.len() <= 20 && items.iter().all(|i| i.chars().count() <= 200));
    }
    if let Ok(link) = values::parse_link(raw)
        && !link.is_empty()
    {
        assert!(
            link.starts_with("http://") || link.starts_with("https://"),
            "{link:?}"
        );
    }
    let _ = values::optional_text(raw, 500);
    if let Some(code) = board::normalise_code(raw) {
        assert_eq!(
            board::normalise_code(&board::display_code(&code)),
            Some(code)
        );
    }
    if let Some(code) = participation::normalise_access_code(raw) {
        let shown = participation::display_access_code(&code);
        assert_eq!(participation::normalise_access_code(&shown), Some(code));
    }
    let _ = board::parse_name(raw);
    let _ = board::parse_cluster_name(raw);
    let _ = board::parse_dots(raw);
    let _ = domain::survey::parse_int(raw);
    let _ = domain::survey::parse_condition(raw);
    let _ = domain::account::Email::parse(raw);
    let _ = domain::account::parse_display_name(raw);
    let _ = domain::municipality::parse_population(raw);
    let _ = domain::municipality::Slug::parse(raw);
    let _ = domain::municipality::Ags::parse(raw);
    let _ = domain::exchange::parse_visibility(raw);
    let _ = domain::visibility::Visibility::parse(raw);
});
