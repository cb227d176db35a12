//! Demo implementation: progress reports on the first public measures of a city, so that the measure pages
//! and the showcase show a state of implementation. Loaded once (nothing happens when reports exist).

use crate::error::AppError;
use domain::progress::ProgressDraft;
use store::Db;

pub async fn load_progress(
    db: &Db,
    municipality_id: i64,
    author: Option<i64>,
) -> Result<(), AppError> {
    let Some(author) = author else { return Ok(()) };
    if !store::progress::latest_by_measure(db, municipality_id)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let measures = store::measures::list(
        db,
        municipality_id,
        domain::visibility::Visibility::Oeffentlich,
        &Default::default(),
        Default::default(),
    )
    .await?;
    let texts = [
        (
            30,
            "Die Ausschreibung ist veröffentlicht; drei Angebote liegen vor. (Demo)",
        ),
        (
            60,
            "Die ersten Standorte sind in Betrieb, die Rückmeldungen sind gut. (Demo)",
        ),
    ];
    for (i, m) in measures.iter().take(2).enumerate() {
        let (percent, body) = texts[i];
        let (date, _) =
            domain::workshop::utc_to_local(store::now_secs() - (10 - i as i64) * 86_400);
        let draft = ProgressDraft {
            reported_on: date,
            percent,
            body: body.into(),
            milestone_id: None,
        };
        store::progress::add_report(
            db,
            &store::progress::NewReport {
                municipality_id,
                measure_id: m.id,
                visibility: &m.visibility,
                status: &m.status,
                draft: &draft,
                author_id: author,
                photos: vec![],
            },
        )
        .await?;
    }
    Ok(())
}
