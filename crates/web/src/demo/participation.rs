//! Demo participation: one format of each kind per city, open now, with a few contributions so that the
//! results pages show something. Loaded once (nothing happens when the city has formats already).

use crate::error::AppError;
use domain::participation::ParticipationInput;
use store::Db;

fn input(kind: &str, title: &str, description: &str, purpose: &str, access: &str) -> ParticipationInput {
    let (from, _) = domain::workshop::utc_to_local(store::now_secs() - 7 * 86_400);
    let (to, _) = domain::workshop::utc_to_local(store::now_secs() + 60 * 86_400);
    ParticipationInput {
        kind: kind.into(),
        title: title.into(),
        description: format!("{description} (Demo)"),
        processing_purpose: purpose.into(),
        legal_basis: "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung durch Teilnahme)".into(),
        opens_on: from,
        closes_on: to,
        access: access.into(),
        published: "on".into(),
        results_public: "on".into(),
        retention_days: "180".into(),
        ..Default::default()
    }
}

pub async fn load_participation(db: &Db, municipality_id: i64, author: Option<i64>) -> Result<(), AppError> {
    let Some(author) = author else { return Ok(()) };
    if !store::participation::list(db, municipality_id, false).await?.is_empty() {
        return Ok(());
    }
    // Point voting on the city's public measures.
    let mut points = input(
        "punkte",
        "Welche Maßnahmen sollen zuerst kommen?",
        "Verteilen Sie drei Punkte auf die Maßnahmen, die Ihnen am wichtigsten sind.",
        "Prioritäten der Bürgerschaft für die Umsetzungsplanung erheben",
        "gast",
    );
    points.points = "3".into();
    if let Ok(d) = points.parse() {
        let id = store::participation::create(db, municipality_id, &d, author).await?;
        let measures = store::measures::list(
            db,
            municipality_id,
            domain::visibility::Visibility::Oeffentlich,
            &Default::default(),
            Default::default(),
        )
        .await?;
        let items: Vec<(&str, i64)> = measures.iter().take(5).map(|m| ("massnahme", m.id)).collect();
        store::participation::set_items(db, id, &items).await?;
    }
    Ok(())
}
