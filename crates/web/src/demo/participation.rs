//! Demo participation: one format of each kind per city, open now, with a few contributions so that the
//! results pages show something. Loaded once (nothing happens when the city has formats already).

use crate::error::AppError;
use domain::participation::ParticipationInput;
use store::Db;

fn input(
    kind: &str,
    title: &str,
    description: &str,
    purpose: &str,
    access: &str,
) -> ParticipationInput {
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

pub async fn load_participation(
    db: &Db,
    municipality_id: i64,
    author: Option<i64>,
) -> Result<(), AppError> {
    let Some(author) = author else { return Ok(()) };
    if !store::participation::list(db, municipality_id, false)
        .await?
        .is_empty()
    {
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
        let items: Vec<(&str, i64)> = measures
            .iter()
            .take(5)
            .map(|m| ("massnahme", m.id))
            .collect();
        store::participation::set_items(db, id, &items).await?;
    }
    // A survey about getting to the city centre.
    if let Ok(d) = input(
        "umfrage",
        "Wie erleben Sie die Innenstadt?",
        "Fünf Minuten für Ihre Innenstadt: Mobilität, Aufenthalt, digitale Angebote.",
        "Bedarfe für die Handlungsfelder Mobilität und Innenstadt erheben",
        "gast",
    )
    .parse()
    {
        let id = store::participation::create(db, municipality_id, &d, author).await?;
        use domain::survey::{QuestionDraft, QuestionKind};
        let q = |kind, text: &str, options: &[&str], scale: i64, required: bool| QuestionDraft {
            kind,
            text: text.into(),
            help: String::new(),
            required,
            options: options.iter().map(|o| o.to_string()).collect(),
            scale,
            low_label: if scale > 0 {
                "gar nicht".into()
            } else {
                String::new()
            },
            high_label: if scale > 0 {
                "sehr".into()
            } else {
                String::new()
            },
            min: None,
            max: None,
            max_length: if kind == QuestionKind::Freitext {
                1000
            } else {
                0
            },
            condition: None,
        };
        for draft in [
            q(
                QuestionKind::Einfach,
                "Wie kommen Sie meist in die Innenstadt?",
                &["zu Fuß", "Fahrrad", "Bus oder Bahn", "Auto"],
                0,
                true,
            ),
            q(
                QuestionKind::Skala,
                "Wie gern halten Sie sich in der Innenstadt auf?",
                &[],
                5,
                true,
            ),
            q(
                QuestionKind::Mehrfach,
                "Welche digitalen Angebote würden Sie nutzen?",
                &[
                    "freies WLAN",
                    "Parkplatz-App",
                    "Online-Marktplatz lokaler Händler",
                    "digitale Bürgerdienste",
                ],
                0,
                false,
            ),
            q(
                QuestionKind::Freitext,
                "Was fehlt Ihnen in der Innenstadt?",
                &[],
                0,
                false,
            ),
        ] {
            store::surveys::add_question(db, id, &draft).await?;
        }
    }
    // An idea collection with a first idea.
    if let Ok(d) = input(
        "ideen",
        "Ideen für eine smarte Innenstadt",
        "Was würde Ihren Alltag in der Stadt leichter machen? Teilen Sie Ihre Idee.",
        "Ideen der Bürgerschaft für Maßnahmen sammeln",
        "gast",
    )
    .parse()
    {
        let id = store::participation::create(db, municipality_id, &d, author).await?;
        let p = store::participation::join_account(db, id, author).await?;
        let idea = domain::idea::IdeaDraft {
            title: "Sitzbänke mit Solar-Ladestation".into(),
            text: "Auf dem Marktplatz Bänke, an denen man das Handy laden kann.".into(),
            field_id: None,
            location: None,
        };
        let idea_id =
            store::ideas::create(db, id, p.id, &idea, domain::idea::State::Visible).await?;
        // The idea fed the city's first public measure ("Ihr habt gesagt – wir haben getan").
        let measures = store::measures::list(
            db,
            municipality_id,
            domain::visibility::Visibility::Oeffentlich,
            &Default::default(),
            Default::default(),
        )
        .await?;
        if let Some(m) = measures.first() {
            store::participation::link_measure(db, id, "idee", idea_id, m.id).await?;
        }
    }
    // An opinion map with seed statements.
    if let Ok(d) = input(
        "meinungsbild",
        "Meinungsbild: Autos in der Innenstadt",
        "Stimmen Sie den Aussagen zu, lehnen Sie sie ab oder überspringen Sie sie. Eigene Aussagen sind willkommen.",
        "Meinungen zur Verkehrsplanung erfassen",
        "gast",
    )
    .parse()
    {
        let id = store::participation::create(db, municipality_id, &d, author).await?;
        for text in [
            "Die Innenstadt sollte autofrei werden.",
            "Parkplätze am Rand mit gutem Bus-Anschluss reichen aus.",
            "Lieferverkehr braucht feste Zeitfenster.",
            "Mehr Fahrradstellplätze sind wichtiger als Parkplätze.",
        ] {
            store::opinions::create(db, id, None, text, "angenommen").await?;
        }
    }
    Ok(())
}
