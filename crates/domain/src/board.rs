//! Rules of the live workshop board: join codes, card and name limits, voting rounds, rankings.

use crate::validation::FieldErrors;

/// Letters and digits that cannot be confused when read from a projector (no 0/O, 1/I/L, 5/S, 8/B).
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY234679";
/// Length of a join code (26^6 ≈ 3·10^8 codes).
pub const CODE_LEN: usize = 6;
/// A card holds at most this many characters (a sticky note, not an essay).
pub const CARD_MAX: usize = 280;
/// A display name holds at most this many characters.
pub const NAME_MAX: usize = 60;
/// A cluster name holds at most this many characters.
pub const CLUSTER_MAX: usize = 120;
/// Most dots one round may hand out per person.
pub const DOTS_MAX: i64 = 30;
/// A participant may add at most this many cards per window (seconds).
pub const CARD_RATE: (i64, i64) = (12, 60);
/// A join code stays valid this long after the workshop ends (seconds), for late additions.
pub const CODE_GRACE: i64 = 6 * 3600;

/// Make a join code from random bytes (one byte per character).
pub fn code_from_bytes(bytes: &[u8; CODE_LEN]) -> String {
    bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect()
}

/// Normalise what someone typed: upper case, without spaces and dashes. `None` if it cannot be a code.
pub fn normalise_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// `ABC-DEF` for display.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LEN {
        format!("{}-{}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// Whether a board's code still lets people in and take part.
pub fn code_valid(now: i64, ends_at: i64, closed: bool) -> bool {
    !closed && now <= ends_at + CODE_GRACE
}

/// Card categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Bedarf,
    Idee,
    Staerke,
    Schwaeche,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Bedarf,
        Category::Idee,
        Category::Staerke,
        Category::Schwaeche,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bedarf => "bedarf",
            Category::Idee => "idee",
            Category::Staerke => "staerke",
            Category::Schwaeche => "schwaeche",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Bedarf => "Bedarf",
            Category::Idee => "Idee",
            Category::Staerke => "Stärke",
            Category::Schwaeche => "Schwäche",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// German label of a stored category key ("" for none or unknown).
pub fn category_label(key: Option<&str>) -> &'static str {
    key.and_then(Category::parse)
        .map(Category::label)
        .unwrap_or("")
}

/// A card as typed: trimmed text and an optional category (empty = none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    pub text: String,
    pub category: Option<Category>,
}

pub fn parse_card(text: &str, category: &str) -> Result<CardText, FieldErrors> {
    let mut errs = FieldErrors::new();
    let t = text.trim();
    if t.is_empty() {
        errs.push("text", "err-card-empty");
    } else if t.chars().count() > CARD_MAX {
        errs.push("text", "err-card-long");
    }
    let category = match category.trim() {
        "" => None,
        c => match Category::parse(c) {
            Some(c) => Some(c),
            None => {
                errs.push("category", "err-card-category");
                None
            }
        },
    };
    if errs.is_empty() {
        Ok(CardText {
            text: t.to_string(),
            category,
        })
    } else {
        Err(errs)
    }
}

/// A display name for a guest: trimmed, 1..=60 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, &'static str> {
    let n = input.trim();
    if n.is_empty() {
        Err("err-board-name-empty")
    } else if n.chars().count() > NAME_MAX {
        Err("err-board-name-long")
    } else if n.chars().any(char::is_control) {
        Err("err-board-name-invalid")
    } else {
        Ok(n.to_string())
    }
}

pub fn parse_cluster_name(input: &str) -> Result<String, &'static str> {
    let n = input.trim();
    if n.is_empty() {
        Err("err-cluster-empty")
    } else if n.chars().count() > CLUSTER_MAX {
        Err("err-cluster-long")
    } else {
        Ok(n.to_string())
    }
}

/// Dots per person for a new round.
pub fn parse_dots(input: &str) -> Result<i64, &'static str> {
    match input.trim().parse::<i64>() {
        Ok(n) if (1..=DOTS_MAX).contains(&n) => Ok(n),
        _ => Err("err-dots-range"),
    }
}

/// Sum card dots per cluster: `(cluster_id, dots)` for every cluster in `clusters`, most dots first (ties
/// keep board order). `cards` maps card id to cluster id.
pub fn cluster_ranking(
    clusters: &[i64],
    cards: &[(i64, Option<i64>)],
    tally: &[(i64, i64)],
) -> Vec<(i64, i64)> {
    let mut sums: Vec<(i64, i64)> = clusters.iter().map(|c| (*c, 0)).collect();
    for (card, dots) in tally {
        if let Some((_, Some(cluster))) = cards.iter().find(|(id, _)| id == card)
            && let Some(s) = sums.iter_mut().find(|(c, _)| c == cluster)
        {
            s.1 += dots;
        }
    }
    sums.sort_by_key(|s| std::cmp::Reverse(s.1));
    sums
}

/// Cut `s` to at most `max` characters (with an ellipsis when cut).
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A project sheet pre-filled from board cards: the title from the cluster (or the card), the cards as the
/// starting situation, the workshop as the participation form. The moderator completes it afterwards.
pub fn measure_draft(
    workshop: &str,
    date: &str,
    title: &str,
    cards: &[String],
) -> crate::measure::SheetInput {
    let mut situation = format!("Ergebnis der Werkstatt „{workshop}“ am {date}:\n");
    for c in cards {
        situation.push_str("- ");
        situation.push_str(&c.replace('\n', " "));
        situation.push('\n');
    }
    crate::measure::SheetInput {
        title: clip(title, 200),
        short_description: clip(cards.first().map(String::as_str).unwrap_or(title), 2_000),
        visibility: "intern".into(),
        initial_situation: clip(&situation, 20_000),
        participation_form: clip(&format!("Werkstatt „{workshop}“"), 200),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalised() {
        let c = code_from_bytes(&[0, 1, 2, 3, 25, 26]);
        assert_eq!(c.len(), CODE_LEN);
        assert_eq!(normalise_code(&c.to_lowercase()), Some(c.clone()));
        assert_eq!(normalise_code(&display_code(&c)), Some(c.clone()));
        assert_eq!(normalise_code(" acd - efg "), Some("ACDEFG".into()));
        assert_eq!(normalise_code("ACDEF0"), None, "0 is not in the alphabet");
        assert_eq!(normalise_code("ACDEF"), None);
        assert_eq!(display_code("ACDEFG"), "ACD-EFG");
    }

    #[test]
    fn codes_expire_with_the_workshop() {
        assert!(code_valid(100, 100, false));
        assert!(code_valid(100 + CODE_GRACE, 100, false));
        assert!(!code_valid(101 + CODE_GRACE, 100, false));
        assert!(!code_valid(0, 100, true));
    }

    #[test]
    fn cards_are_limited() {
        assert_eq!(
            parse_card("  Mehr Bänke  ", "bedarf").unwrap(),
            CardText {
                text: "Mehr Bänke".into(),
                category: Some(Category::Bedarf)
            }
        );
        assert_eq!(parse_card("x", "").unwrap().category, None);
        let long = "ä".repeat(CARD_MAX + 1);
        assert_eq!(
            parse_card(&long, "").unwrap_err().for_field("text"),
            Some("err-card-long")
        );
        assert!(parse_card(&"ä".repeat(CARD_MAX), "").is_ok());
        let e = parse_card(" ", "quatsch").unwrap_err();
        assert_eq!(e.for_field("text"), Some("err-card-empty"));
        assert_eq!(e.for_field("category"), Some("err-card-category"));
    }

    #[test]
    fn names_and_dots() {
        assert_eq!(parse_name(" Ana "), Ok("Ana".into()));
        assert!(parse_name("").is_err());
        assert!(parse_name("a\u{7}b").is_err());
        assert!(parse_name(&"n".repeat(NAME_MAX + 1)).is_err());
        assert_eq!(parse_dots("5"), Ok(5));
        assert!(parse_dots("0").is_err());
        assert!(parse_dots("31").is_err());
        assert!(parse_dots("drei").is_err());
    }

    #[test]
    fn a_measure_draft_is_a_valid_sheet() {
        let cards = vec![
            "Freies WLAN am Markt".to_string(),
            "Sensoren\nfür Parkplätze".to_string(),
        ];
        let d = measure_draft("Zukunftswerkstatt", "12.03.2027", &"P".repeat(300), &cards);
        let sheet = d.parse().expect("valid sheet");
        assert_eq!(sheet.title.chars().count(), 200);
        assert_eq!(sheet.short_description, "Freies WLAN am Markt");
        assert!(
            sheet
                .initial_situation
                .contains("- Sensoren für Parkplätze")
        );
        assert!(
            sheet
                .initial_situation
                .starts_with("Ergebnis der Werkstatt „Zukunftswerkstatt“ am 12.03.2027")
        );
    }

    #[test]
    fn clusters_rank_by_the_sum_of_their_cards() {
        let cards = [(1, Some(10)), (2, Some(10)), (3, Some(20)), (4, None)];
        let tally = [(1, 2), (2, 1), (3, 4), (4, 9)];
        assert_eq!(
            cluster_ranking(&[10, 20, 30], &cards, &tally),
            vec![(20, 4), (10, 3), (30, 0)]
        );
    }
}
