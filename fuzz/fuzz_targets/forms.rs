//! Form decoding: a url-encoded body, decoded as `web::form::Form` does (serde_html_form) into the real form
//! structs and parsed by their domain rules. The first byte picks the form. Nothing may panic; whatever is
//! accepted must satisfy the rule the form promises.
#![no_main]

use domain::survey::{Question, QuestionKind};
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Option<T> {
    serde_html_form::from_bytes::<T>(body).ok()
}

/// The questions a survey answer is checked against: one of each kind, the last asked only on a condition.
fn questions() -> Vec<Question> {
    let q = |id: i64, kind: QuestionKind| Question {
        id,
        kind,
        text: format!("Frage {id}"),
        help: String::new(),
        required: id % 2 == 0,
        options: vec!["Ja".into(), "Nein".into(), "Vielleicht".into()],
        scale: if kind == QuestionKind::Skala { 5 } else { 0 },
        low_label: String::new(),
        high_label: String::new(),
        min: (kind == QuestionKind::Zahl).then_some(-100),
        max: (kind == QuestionKind::Zahl).then_some(100),
        max_length: 200,
        condition: None,
    };
    let mut all: Vec<Question> = QuestionKind::ALL
        .into_iter()
        .enumerate()
        .map(|(i, k)| q(i as i64 + 1, k))
        .collect();
    let mut conditional = q(99, QuestionKind::Freitext);
    conditional.condition = Some(domain::survey::Condition {
        question_id: 1,
        option: 0,
    });
    all.push(conditional);
    all
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let formats = vec!["werkstatt".to_string(), "online".to_string()];
    match which % 8 {
        0 => {
            if let Some(i) = decode::<domain::measure::SheetInput>(body)
                && let Ok(sheet) = i.parse()
            {
                assert!(!sheet.title.trim().is_empty());
                let _ = sheet.changes_from(&domain::measure::Sheet::default());
            }
        }
        1 => {
            if let Some(i) = decode::<domain::workshop::WorkshopInput>(body) {
                if let Ok(d) = i.parse(&formats) {
                    assert!(d.starts_at < d.ends_at, "a workshop ends after it starts");
                }
                let _ = domain::exchange::parse_event(&i, &formats);
            }
        }
        2 => {
            if let Some(i) = decode::<domain::participation::ParticipationInput>(body) {
                let _ = i.parse();
            }
        }
        3 => {
            if let Some(i) = decode::<domain::exchange::ArticleInput>(body) {
                let _ = i.parse();
            }
        }
        4 => {
            if let Some(i) = decode::<domain::idea::IdeaInput>(body) {
                let _ = i.parse(&[1, 2, 3]);
            }
        }
        5 => {
            if let Some(i) = decode::<domain::survey::QuestionInput>(body) {
                let _ = i.parse(&questions());
            }
        }
        6 => {
            if let Ok(pairs) = serde_html_form::from_bytes::<Vec<(String, String)>>(body) {
                let _ = domain::survey::parse_answers(&questions(), &pairs);
            }
        }
        _ => {
            if let Ok(pairs) = serde_html_form::from_bytes::<Vec<(String, String)>>(body) {
                for (title, minutes) in &pairs {
                    if let Ok((_, m)) = domain::workshop::parse_agenda_item(title, minutes) {
                        assert!((1..=600).contains(&m));
                    }
                    let _ = domain::board::parse_card(title, minutes);
                    let _ = domain::idea::Moderation::parse(title, minutes);
                    let _ = domain::account::parse_new_password(title, minutes);
                }
            }
        }
    }
});
