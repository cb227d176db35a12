//! Demo content of the network exchange: one public network event (six weeks ahead) and two published
//! magazine articles. Each is recognised by its title or slug, so loading twice changes nothing.

use crate::error::AppError;
use domain::exchange::{ArticleInput, parse_event, slugify};
use domain::visibility::Visibility;
use domain::workshop::{WorkshopInput, utc_to_local};
use store::{Db, StoreError};

const EVENT_TITLE: &str = "Erfahrungsaustausch Smart City: Parken und Sensorik (Demo)";

const ARTICLES: [(&str, &str, &str); 2] = [
    (
        "Wie Arnsberg Parkplätze in der Innenstadt sichtbar macht (Demo)",
        "Sensoren zählen freie Stellplätze, eine Anzeigetafel und eine offene Schnittstelle zeigen sie an.",
        "## Ausgangslage\n\nIn der Innenstadt suchten viele Autofahrende lange nach einem Parkplatz. \
         Die Stadt hat deshalb mit dem Handel und der IHK eine **digitale Parkraumanzeige** geplant.\n\n\
         ## Was umgesetzt wurde\n\n- Sensoren an 120 Stellplätzen\n- eine Anzeigetafel am Bahnhof\n\
         - offene Daten für Apps und Navigationsdienste\n\n## Übertragbar?\n\nJa: Ausschreibung und \
         Datenmodell stehen anderen Kommunen des Netzwerks zur Verfügung. Fragen beantwortet die \
         Smart-City-Koordination.\n",
    ),
    (
        "Drei Kleinstädte, ein Leitbild-Workshop: was wir gelernt haben (Demo)",
        "Gemeinsam vorbereiten, vor Ort entscheiden – Erfahrungen aus dem Netzwerk.",
        "Die Strategiewerkstätten in Wassenberg und zwei Nachbarkommunen hatten ein gemeinsames \
         Drehbuch. Drei Erkenntnisse:\n\n1. **Früh einladen**: Handel und Schulen brauchen vier Wochen Vorlauf.\n\
         2. **Kurze Runden**: 20 Minuten je Frage halten die Energie hoch.\n3. **Sichtbar machen**: Die \
         Ergebnisse hingen eine Woche im Rathaus aus.\n\nMehr dazu beim nächsten Erfahrungsaustausch.\n",
    ),
];

pub async fn load_exchange(db: &Db, admin: i64) -> Result<(), AppError> {
    let events = store::workshops::list_network(db, Visibility::Intern, None).await?;
    if !events.iter().any(|w| w.title == EVENT_TITLE) {
        let (date, _) = utc_to_local(store::now_secs() + 42 * 24 * 3600);
        let input = WorkshopInput {
            title: EVENT_TITLE.into(),
            format_key: "erfahrungsaustausch".into(),
            date,
            start_time: "10:00".into(),
            end_time: "15:30".into(),
            place: "Düsseldorf, Haus der Kommunen (Demo)".into(),
            online_link: String::new(),
            capacity: "40".into(),
            purpose:
                "Kommunen berichten, wie sie Parkraum mit Sensoren erfassen und die Daten öffnen."
                    .into(),
            phase_id: String::new(),
            visibility: "oeffentlich".into(),
        };
        let formats: Vec<String> = store::workshops::formats(db)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let draft = parse_event(&input, &formats)
            .map_err(|e| AppError::Internal(format!("demo event: {e}")))?;
        let id = store::workshops::create_network(db, &draft, admin).await?;
        for (title, minutes) in [
            ("Ankommen und Kennenlernen", 30),
            ("Berichte aus drei Kommunen", 90),
            (
                "Arbeitsgruppen: Ausschreibung, Datenmodell, Beteiligung",
                120,
            ),
        ] {
            store::workshops::add_agenda_item(db, id, title, minutes).await?;
        }
    }
    for (title, teaser, body) in ARTICLES {
        match store::exchange::by_slug(db, &slugify(title)).await {
            Ok(_) => continue,
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let draft = ArticleInput {
            title: title.into(),
            teaser: teaser.into(),
            body_md: body.into(),
            visibility: "oeffentlich".into(),
        }
        .parse()
        .map_err(|e| AppError::Internal(format!("demo article: {e}")))?;
        let (id, _) = store::exchange::create_article(db, &draft, admin).await?;
        store::exchange::set_published(db, id, true).await?;
    }
    Ok(())
}
