//! The network across cities: the dashboard's figures equal counts taken from what the test created (page and
//! CSV), a bounded number of queries whatever the number of cities, who may see it; the library's filters each
//! narrow the list, bad amounts are explained; library and similar measures never show what the visitor may
//! not see; taking a measure over keeps its origin; a browser run with axe-core.

use crate::browser::Browser;
use crate::case;
use crate::harness::{Case, Needs, TestApp, location};
use domain::measure::Sheet;
use domain::visibility::Visibility;
use reqwest::{Client, StatusCode};
use store::measures::Origin;

pub fn cases() -> Vec<Case> {
    vec![
        case!(dashboard_figures_equal_what_was_created),
        case!(dashboard_csv_has_one_escaped_row_per_city),
        case!(dashboard_uses_the_same_number_of_queries_for_three_or_six_cities),
        case!(only_network_admin_and_steering_group_see_the_dashboard),
        case!(library_filters_each_narrow_the_list),
        case!(library_refuses_bad_amounts_with_a_message_per_field),
        case!(library_and_similar_measures_show_only_what_the_visitor_may_see),
        case!(a_measure_taken_over_from_the_library_keeps_its_origin),
        case!(
            steering_group_reads_dashboard_and_filters_library_in_the_browser,
            Needs::Browser
        ),
    ]
}

/// Run one SQL statement on whichever engine the test uses.
async fn exec(app: &TestApp, sql: &str) {
    let q = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => {
            sqlx::query(q).execute(p).await.expect(sql);
        }
        store::Pool::Postgres(p) => {
            sqlx::query(q).execute(p).await.expect(sql);
        }
    }
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let q = sqlx::AssertSqlSafe(sql.to_string());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(q).fetch_one(p).await.expect(sql),
        store::Pool::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await.expect(sql),
    }
}

/// The ids of the first `n` fields of action of the seeded taxonomy.
async fn fields(app: &TestApp, n: i64) -> Vec<i64> {
    let mut out = vec![];
    for i in 0..n {
        out.push(
            scalar(
                app,
                &format!(
                    "SELECT id FROM taxonomy_terms WHERE taxonomy = 'field_of_action' ORDER BY position, id LIMIT 1 OFFSET {i}"
                ),
            )
            .await,
        );
    }
    out
}

/// A measure with what the library and the ranking look at.
#[allow(clippy::too_many_arguments)]
async fn measure(
    app: &TestApp,
    city: i64,
    title: &str,
    description: &str,
    v: Visibility,
    status: &str,
    field: Option<i64>,
    costs: Option<i64>,
) -> i64 {
    let sheet = Sheet {
        title: title.into(),
        short_description: description.into(),
        visibility: Some(v),
        primary_field_id: field,
        investment_costs: costs,
        lead_unit: "Fachdienst Test".into(),
        ..Default::default()
    };
    store::measures::create(&app.db, city, &sheet, status, None, Origin::default())
        .await
        .expect("measure")
}

/// A participation format with `guests` guest participants and `ideas` ideas.
async fn participation(app: &TestApp, city: i64, guests: usize, ideas: usize) {
    let now = 1_700_000_000;
    exec(
        app,
        &format!(
            "INSERT INTO participations (municipality_id, kind, title, purpose, legal_basis, opens_at, closes_at, access, \
             created_at, updated_at) VALUES ({city}, 'ideen', 'Ideen {city}', 'Zweck', 'Einwilligung', {now}, {}, 'gast', {now}, {now})",
            now + 86_400
        ),
    )
    .await;
    let pid = scalar(app, "SELECT MAX(id) FROM participations").await;
    let mut participant = 0;
    for g in 0..guests {
        participant = store::participation::join_guest(&app.db, pid, &format!("token-{pid}-{g}"))
            .await
            .expect("join")
            .id;
    }
    for i in 0..ideas {
        exec(
            app,
            &format!(
                "INSERT INTO ideas (participation_id, participant_id, title, body, state, created_at) \
                 VALUES ({pid}, {participant}, 'Idee {i}', 'Text', 'sichtbar', {now})"
            ),
        )
        .await;
    }
}

async fn report(app: &TestApp, measure_id: i64, day: &str, percent: i64) {
    exec(
        app,
        &format!(
            "INSERT INTO progress_reports (measure_id, reported_on, status, percent, body, created_at) \
             VALUES ({measure_id}, '{day}', 'umsetzung', {percent}, 'Bericht', 1700000000)"
        ),
    )
    .await;
}

/// The text of the cell `data-col="{col}"` in the row `data-city="{city}"` of the table `id="{table}"`.
fn cell(html: &str, table: &str, city: &str, col: &str) -> String {
    let t = &html[html
        .find(&format!("id=\"{table}\""))
        .unwrap_or_else(|| panic!("table {table}"))..];
    let t = &t[..t.find("</table>").expect("table end")];
    let row = &t[t
        .find(&format!("data-city=\"{city}\""))
        .unwrap_or_else(|| panic!("row {city} in {table}"))..];
    let row = &row[..row.find("</tr>").expect("row end")];
    let c = &row[row
        .find(&format!("data-col=\"{col}\">"))
        .unwrap_or_else(|| panic!("{col} of {city} in {table}"))
        + format!("data-col=\"{col}\">").len()..];
    c[..c.find('<').expect("cell end")].to_string()
}

struct Network {
    arnsberg: i64,
    siegen: i64,
    wassenberg: i64,
}

/// Three cities of three size classes with measures, participation and progress reports.
async fn network(app: &TestApp) -> Network {
    let arnsberg = app
        .municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    let siegen = app
        .municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    let wassenberg = app
        .municipality("wassenberg", "Wassenberg", "05370036", 18_600)
        .await;
    app.user("lenk@x.de", Some("steering"), &[]).await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    app.user("buerger@x.de", None, &[("arnsberg", "participant")])
        .await;
    Network {
        arnsberg,
        siegen,
        wassenberg,
    }
}

async fn dashboard_figures_equal_what_was_created(app: TestApp) {
    let n = network(&app).await;
    let f = fields(&app, 2).await;
    // Arnsberg: 6 measures, 2 implemented (abgeschlossen, verstetigt), 1 discarded → 2 of 5 = 40 %.
    let a_statuses = [
        "idee",
        "idee",
        "umsetzung",
        "abgeschlossen",
        "verstetigt",
        "verworfen",
    ];
    let mut a_ids = vec![];
    for (i, s) in a_statuses.iter().enumerate() {
        let v = if i % 2 == 0 {
            Visibility::Intern
        } else {
            Visibility::Oeffentlich
        };
        a_ids.push(
            measure(
                &app,
                n.arnsberg,
                &format!("A{i}"),
                "",
                v,
                s,
                Some(f[i % 2]),
                None,
            )
            .await,
        );
    }
    // Siegen: 3 measures, 1 implemented → 33,3 %.
    for (i, s) in ["priorisiert", "abgeschlossen", "beschlossen"]
        .iter()
        .enumerate()
    {
        measure(
            &app,
            n.siegen,
            &format!("S{i}"),
            "",
            Visibility::Netzwerk,
            s,
            Some(f[0]),
            None,
        )
        .await;
    }
    // Wassenberg: nothing, so no rate at all.
    participation(&app, n.arnsberg, 3, 4).await;
    participation(&app, n.arnsberg, 2, 1).await;
    participation(&app, n.siegen, 1, 0).await;
    // Latest report counts: 80 (not the older 20) and 50 → mean 65 %.
    report(&app, a_ids[2], "2026-01-10", 20).await;
    report(&app, a_ids[2], "2026-03-10", 80).await;
    report(&app, a_ids[3], "2026-02-01", 50).await;

    let steering = app.login("lenk@x.de").await;
    // The process of Arnsberg exists once the page was seen; close the first phase, start the second.
    app.get(&steering, "/kommunen/arnsberg/prozess").await;
    exec(&app, &format!("UPDATE phases SET status = 'abgeschlossen' WHERE municipality_id = {} AND position = 1", n.arnsberg)).await;
    exec(
        &app,
        &format!(
            "UPDATE phases SET status = 'aktiv' WHERE municipality_id = {} AND position = 2",
            n.arnsberg
        ),
    )
    .await;
    let phases = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM phases WHERE municipality_id = {}",
            n.arnsberg
        ),
    )
    .await;

    let (s, html) = app.get_text(&steering, "/netzwerk").await;
    assert_eq!(s, StatusCode::OK);
    // Independent counts from what was created.
    let created = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM measures WHERE municipality_id = {}",
            n.arnsberg
        ),
    )
    .await;
    assert_eq!(
        cell(&html, "t-cities", "arnsberg", "measures"),
        created.to_string()
    );
    assert_eq!(cell(&html, "t-cities", "arnsberg", "measures"), "6");
    assert_eq!(cell(&html, "t-cities", "arnsberg", "implemented"), "2");
    assert_eq!(cell(&html, "t-cities", "arnsberg", "rate"), "40 %");
    assert_eq!(cell(&html, "t-cities", "arnsberg", "progress"), "65 %");
    assert_eq!(cell(&html, "t-cities", "siegen", "measures"), "3");
    assert_eq!(cell(&html, "t-cities", "siegen", "rate"), "33,3 %");
    assert_eq!(cell(&html, "t-cities", "siegen", "progress"), "–");
    assert_eq!(cell(&html, "t-cities", "wassenberg", "measures"), "0");
    assert_eq!(cell(&html, "t-cities", "wassenberg", "rate"), "–");
    // Phase and phase progress of Arnsberg: second phase active, 1 of 7 closed.
    assert!(html.contains(&format!("1 / {phases}")), "phases done");
    assert!(
        html.contains("2. Strategiewerkstätten (aktiv)"),
        "current phase"
    );
    // Participation: formats, participants, contributions (ideas).
    assert_eq!(cell(&html, "t-participation", "arnsberg", "formats"), "2");
    assert_eq!(
        cell(&html, "t-participation", "arnsberg", "participants"),
        "5"
    );
    assert_eq!(
        cell(&html, "t-participation", "arnsberg", "contributions"),
        "5"
    );
    assert_eq!(
        cell(&html, "t-participation", "siegen", "participants"),
        "1"
    );
    assert_eq!(cell(&html, "t-participation", "wassenberg", "formats"), "0");
    // Whole network: 9 measures, 3 implemented of 8 not discarded.
    assert!(html.contains("<strong id=\"total-measures\">9</strong>"));
    assert!(html.contains("<strong id=\"total-rate\">37,5 %</strong>"));
    // Status table: the row of Arnsberg in workflow order (idee … verworfen).
    let t = &html[html.find("id=\"t-status\"").expect("status table")..];
    let row = &t[t.find("data-city=\"arnsberg\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| &c[..c.find('<').expect("cell")])
        .collect();
    assert_eq!(cells, vec!["2", "0", "0", "0", "1", "1", "1", "1"]);
    // Field table: field 1 has A0, A2, A4 and S0..S2 = 6, field 2 has A1, A3, A5 = 3.
    let f1 = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM measures WHERE primary_field_id = {}",
            f[0]
        ),
    )
    .await;
    assert_eq!(f1, 6);
    let t = &html[html.find("id=\"t-field\"").expect("field table")..];
    assert!(t[..t.find("</table>").expect("end")].contains("<td class=\"num\">6</td>"));
    // Per city and field, in the order of the totals (field 1 with 6 first, field 2 with 3).
    let t = &html[html
        .find("id=\"t-field-city\"")
        .expect("field by city table")..];
    let row = &t[t.find("data-city=\"arnsberg\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(
        row.ends_with("<td class=\"num\">3</td><td class=\"num\">3</td>"),
        "{row}"
    );
    let row = &t[t.find("data-city=\"siegen\"").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(
        row.ends_with("<td class=\"num\">3</td><td class=\"num\">0</td>"),
        "{row}"
    );
    // Size classes: one row each, with the class's own rate.
    let t = &html[html.find("id=\"t-class\"").expect("class table")..];
    let t = &t[..t.find("</table>").expect("end")];
    for label in ["Kleinstadt", "Mittelstadt", "Großstadt"] {
        assert!(t.contains(label), "class {label}");
    }
    assert!(
        !t.contains("Landgemeinde"),
        "no row for a class without cities"
    );
    assert!(t.contains("<td class=\"num\" data-col=\"rate\">40 %</td>"));
    // Every chart is an image with a title and sits beside its table.
    assert_eq!(html.matches("role=\"img\"").count(), 5);
    assert!(html.contains(
        "Umsetzungsquote: Anteil der Maßnahmen im Status „abgeschlossen“ oder „verstetigt“"
    ));
}

async fn dashboard_csv_has_one_escaped_row_per_city(app: TestApp) {
    let n = network(&app).await;
    let odd = app
        .municipality("nord", "Bad \"Nord\"; Süd", "05370004", 4_200)
        .await;
    measure(
        &app,
        n.arnsberg,
        "A",
        "",
        Visibility::Intern,
        "abgeschlossen",
        None,
        None,
    )
    .await;
    measure(
        &app,
        n.arnsberg,
        "B",
        "",
        Visibility::Intern,
        "idee",
        None,
        None,
    )
    .await;
    measure(
        &app,
        odd,
        "C",
        "",
        Visibility::Intern,
        "verstetigt",
        None,
        None,
    )
    .await;
    participation(&app, odd, 2, 3).await;
    let steering = app.login("lenk@x.de").await;
    let r = app.get(&steering, "/netzwerk/uebersicht.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "content type"
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("netzwerk-uebersicht.csv")
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 BOM like the other CSV exports"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "header and one row per city: {text}");
    assert!(lines[0].starts_with("Kommune;Größenklasse;Einwohner;Aktuelle Phase;"));
    assert!(
        lines[0].contains("Status: Idee;")
            && lines[0].ends_with("Beteiligungsformate;Teilnehmende;Beiträge")
    );
    let header: Vec<&str> = lines[0].split(';').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // The odd name is quoted, its quotes doubled; its row still has every column after it.
    let odd_line = lines
        .iter()
        .find(|l| l.starts_with("\"Bad \"\"Nord\"\"; Süd\";"))
        .expect("escaped row");
    let rest: Vec<&str> = odd_line["\"Bad \"\"Nord\"\"; Süd\";".len()..]
        .split(';')
        .collect();
    assert_eq!(rest.len(), header.len() - 1);
    let odd_cell = |name: &str| rest[col(name) - 1];
    assert_eq!(odd_cell("Größenklasse"), "Landgemeinde");
    assert_eq!(odd_cell("Maßnahmen"), "1");
    assert_eq!(odd_cell("umgesetzt"), "1");
    assert_eq!(odd_cell("Umsetzungsquote (%)"), "100");
    assert_eq!(odd_cell("Teilnehmende"), "2");
    assert_eq!(odd_cell("Beiträge"), "3");
    let arnsberg: Vec<&str> = lines
        .iter()
        .find(|l| l.starts_with("Arnsberg;"))
        .expect("row")
        .split(';')
        .collect();
    assert_eq!(arnsberg[col("Einwohner")], "73456");
    assert_eq!(arnsberg[col("Maßnahmen")], "2");
    assert_eq!(arnsberg[col("Status: abgeschlossen")], "1");
    assert_eq!(arnsberg[col("Umsetzungsquote (%)")], "50");
    assert_eq!(arnsberg[col("Ø Fortschritt (%)")], "");
    let wassenberg: Vec<&str> = lines
        .iter()
        .find(|l| l.starts_with("Wassenberg;"))
        .expect("row")
        .split(';')
        .collect();
    assert_eq!(
        wassenberg[col("Umsetzungsquote (%)")],
        "",
        "no rate without measures"
    );
    let _ = n.wassenberg;
}

async fn dashboard_uses_the_same_number_of_queries_for_three_or_six_cities(app: TestApp) {
    let n = network(&app).await;
    let steering = app.login("lenk@x.de").await;
    let count = |path: &'static str| {
        let app = &app;
        let c = steering.clone();
        async move {
            let before = app.db.round_trips();
            assert_eq!(app.get(&c, path).await.status(), StatusCode::OK);
            app.db.round_trips() - before
        }
    };
    measure(
        &app,
        n.arnsberg,
        "A",
        "",
        Visibility::Intern,
        "idee",
        None,
        None,
    )
    .await;
    participation(&app, n.arnsberg, 1, 1).await;
    let small = count("/netzwerk").await;
    let small_csv = count("/netzwerk/uebersicht.csv").await;
    for i in 0..3 {
        let id = app
            .municipality(
                &format!("stadt-{i}"),
                &format!("Stadt {i}"),
                &format!("0537000{i}"),
                30_000 + i,
            )
            .await;
        for s in ["idee", "abgeschlossen", "umsetzung"] {
            let m = measure(&app, id, "M", "", Visibility::Intern, s, None, None).await;
            report(&app, m, "2026-01-01", 30).await;
        }
        participation(&app, id, 2, 2).await;
    }
    assert_eq!(
        count("/netzwerk").await,
        small,
        "dashboard queries grow with the cities"
    );
    assert_eq!(count("/netzwerk/uebersicht.csv").await, small_csv);
    let _ = (n.siegen, n.wassenberg);
}

async fn only_network_admin_and_steering_group_see_the_dashboard(app: TestApp) {
    network(&app).await;
    for path in ["/netzwerk", "/netzwerk/uebersicht.csv"] {
        let anonymous = app.get(&app.client(), path).await;
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            location(&anonymous).starts_with("/anmelden?next="),
            "{path}"
        );
        for who in ["buerger@x.de", "koord@x.de", "red@x.de"] {
            let c = app.login(who).await;
            assert_eq!(
                app.get(&c, path).await.status(),
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
        for who in ["lenk@x.de", "admin@x.de"] {
            let c = app.login(who).await;
            assert_eq!(
                app.get(&c, path).await.status(),
                StatusCode::OK,
                "{who} {path}"
            );
        }
    }
    // The header links the dashboard only for those who may open it; the library for everyone.
    let (_, home) = app.get_text(&app.client(), "/").await;
    assert!(!home.contains("href=\"/netzwerk\"") && home.contains("href=\"/netzwerk/bibliothek\""));
    let (_, home) = app.get_text(&app.login("lenk@x.de").await, "/").await;
    assert!(home.contains("href=\"/netzwerk\""));
}

/// The measure ids listed by the library for this query.
async fn listed(app: &TestApp, c: &Client, query: &str) -> Vec<i64> {
    let (s, html) = app
        .get_text(c, &format!("/netzwerk/bibliothek?{query}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{query}");
    let mut ids: Vec<i64> = html
        .split("data-measure=\"")
        .skip(1)
        .map(|p| p[..p.find('"').expect("id")].parse().expect("number"))
        .collect();
    ids.sort();
    ids
}

async fn library_filters_each_narrow_the_list(app: TestApp) {
    let n = network(&app).await;
    let f = fields(&app, 2).await;
    let v = Visibility::Netzwerk;
    let park = measure(
        &app,
        n.arnsberg,
        "Digitale Parkraumsteuerung",
        "Sensoren zeigen freie Plätze",
        v,
        "umsetzung",
        Some(f[0]),
        Some(120_000),
    )
    .await;
    let wlan = measure(
        &app,
        n.siegen,
        "Freies WLAN",
        "Hotspots in der Innenstadt",
        v,
        "idee",
        Some(f[1]),
        Some(15_000),
    )
    .await;
    let rad = measure(
        &app,
        n.wassenberg,
        "Radverleih",
        "Leihräder am Bahnhof",
        v,
        "idee",
        Some(f[0]),
        None,
    )
    .await;
    let schule = measure(
        &app,
        n.siegen,
        "Tablets für Schulen",
        "Digitale Bildung",
        v,
        "abgeschlossen",
        Some(f[1]),
        Some(60_000),
    )
    .await;
    let red = app.login("red@x.de").await;
    let all = vec![park, wlan, rad, schule];
    assert_eq!(listed(&app, &red, "").await, all);
    // Each filter alone.
    assert_eq!(
        listed(&app, &red, &format!("handlungsfeld={}", f[0])).await,
        vec![park, rad]
    );
    assert_eq!(
        listed(&app, &red, "groesse=grossstadt").await,
        vec![wlan, schule]
    );
    assert_eq!(listed(&app, &red, "groesse=kleinstadt").await, vec![rad]);
    assert_eq!(listed(&app, &red, "status=idee").await, vec![wlan, rad]);
    assert_eq!(
        listed(&app, &red, "kosten_von=50.000").await,
        vec![park, schule]
    );
    assert_eq!(
        listed(&app, &red, "kosten_bis=60000").await,
        vec![wlan, schule]
    );
    assert_eq!(
        listed(&app, &red, "kosten_von=20000&kosten_bis=100000").await,
        vec![schule]
    );
    assert_eq!(listed(&app, &red, "q=innenstadt").await, vec![wlan]);
    assert_eq!(listed(&app, &red, "q=DIGITALE").await, vec![park, schule]);
    // Combined, and unknown choices are ignored rather than refused.
    assert_eq!(
        listed(
            &app,
            &red,
            &format!("handlungsfeld={}&groesse=grossstadt", f[1])
        )
        .await,
        vec![wlan, schule]
    );
    assert_eq!(
        listed(
            &app,
            &red,
            &format!("handlungsfeld={}&status=idee&q=wlan", f[1])
        )
        .await,
        vec![wlan]
    );
    assert_eq!(listed(&app, &red, "groesse=riesig&status=").await, all);
    // Paging: 20 per page, the filter kept in the links.
    for i in 0..21 {
        measure(
            &app,
            n.wassenberg,
            &format!("Zusatz {i:02}"),
            "",
            v,
            "idee",
            None,
            None,
        )
        .await;
    }
    let first = listed(&app, &red, "status=idee").await;
    assert_eq!(first.len(), 20);
    let (_, html) = app.get_text(&red, "/netzwerk/bibliothek?status=idee").await;
    assert!(html.contains("23 Maßnahmen gefunden"));
    assert!(
        html.replace("&#38;", "&")
            .replace("&amp;", "&")
            .contains("status=idee&kosten_von=&kosten_bis=&q=&seite=2"),
        "next link keeps the filter"
    );
    let second = listed(&app, &red, "status=idee&seite=2").await;
    assert_eq!(second.len(), 3);
    assert!(second.iter().all(|id| !first.contains(id)));
}

async fn library_refuses_bad_amounts_with_a_message_per_field(app: TestApp) {
    let n = network(&app).await;
    measure(
        &app,
        n.siegen,
        "Freies WLAN",
        "",
        Visibility::Oeffentlich,
        "idee",
        None,
        Some(100),
    )
    .await;
    let c = app.client();
    let (s, html) = app
        .get_text(&c, "/netzwerk/bibliothek?kosten_von=viel&kosten_bis=-5")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Kosten ab (Euro): Bitte eine Zahl angeben"),
        "{html}"
    );
    assert!(html.contains("Kosten bis (Euro): Der Wert darf nicht negativ sein."));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(
        !html.contains("data-measure="),
        "no list from a filter that was not understood"
    );
    assert!(html.contains("value=\"viel\""), "the entered value stays");
    let (s, html) = app
        .get_text(&c, "/netzwerk/bibliothek?kosten_von=500&kosten_bis=100")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("„Kosten bis“ darf nicht kleiner sein als „Kosten ab“."));
    assert_eq!(app.count("measures").await, 1);
    // The same visitor without the bad amounts: the one public measure, counted in the singular.
    let (s, html) = app
        .get_text(&c, "/netzwerk/bibliothek?kosten_bis=100")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("1 Maßnahme gefunden"), "singular");
}

async fn library_and_similar_measures_show_only_what_the_visitor_may_see(app: TestApp) {
    let n = network(&app).await;
    let f = fields(&app, 1).await[0];
    let park = |v| {
        (
            v,
            "Parkraumsteuerung mit Sensoren",
            "Sensoren zeigen freie Parkplätze",
        )
    };
    let mut ids = vec![];
    for (city, (v, t, d)) in [
        (n.siegen, park(Visibility::Oeffentlich)),
        (n.siegen, park(Visibility::Netzwerk)),
        (n.siegen, park(Visibility::Intern)),
        (n.wassenberg, park(Visibility::Intern)),
    ] {
        ids.push(measure(&app, city, t, d, v, "idee", Some(f), None).await);
    }
    let (public, network_m, internal_s, internal_w) = (ids[0], ids[1], ids[2], ids[3]);
    let own_internal = measure(
        &app,
        n.arnsberg,
        "Digitale Parkraumsteuerung",
        "Sensoren für freie Parkplätze",
        Visibility::Intern,
        "idee",
        Some(f),
        None,
    )
    .await;
    let own_public = measure(
        &app,
        n.arnsberg,
        "Parkplätze digital",
        "Sensoren",
        Visibility::Oeffentlich,
        "idee",
        Some(f),
        None,
    )
    .await;
    app.user("red-siegen@x.de", None, &[("siegen", "editor")])
        .await;

    let anonymous = app.client();
    let citizen = app.login("buerger@x.de").await;
    let red = app.login("red@x.de").await;
    let red_siegen = app.login("red-siegen@x.de").await;
    let steering = app.login("lenk@x.de").await;
    // Library: the public sees public measures; a participant of Arnsberg also its internal ones but no network
    // measure; an editor of Arnsberg network measures too, never Siegen's or Wassenberg's internal ones.
    assert_eq!(listed(&app, &anonymous, "").await, vec![public, own_public]);
    assert_eq!(
        listed(&app, &citizen, "").await,
        vec![public, own_internal, own_public]
    );
    assert_eq!(
        listed(&app, &red, "").await,
        vec![public, network_m, own_internal, own_public]
    );
    assert_eq!(
        listed(&app, &red_siegen, "").await,
        vec![public, network_m, internal_s, own_public]
    );
    assert_eq!(
        listed(&app, &steering, "").await,
        vec![
            public,
            network_m,
            internal_s,
            internal_w,
            own_internal,
            own_public
        ]
    );

    // Similar measures on the public Arnsberg measure: other cities only, only what the visitor may see.
    let similar = |c: Client| {
        let app = &app;
        async move {
            let (s, html) = app
                .get_text(&c, &format!("/kommunen/arnsberg/massnahmen/{own_public}"))
                .await;
            assert_eq!(s, StatusCode::OK);
            let section = &html[html.find("id=\"s-similar\"").expect("similar section")..];
            let section = &section[..section.find("</section>").expect("end")];
            let mut found: Vec<i64> = section
                .split("/massnahmen/")
                .skip(1)
                .map(|p| p[..p.find('"').expect("id")].parse().expect("id"))
                .collect();
            found.sort();
            found
        }
    };
    assert_eq!(similar(anonymous.clone()).await, vec![public]);
    assert_eq!(
        similar(citizen.clone()).await,
        vec![public],
        "no network measure for a participant"
    );
    assert_eq!(
        similar(red.clone()).await,
        vec![public, network_m],
        "never another city's internal measure"
    );
    assert_eq!(
        similar(steering.clone()).await,
        vec![public, network_m, internal_s, internal_w]
    );
    // On Siegen's public measure, its own city's measures are not "other cities".
    let (_, html) = app
        .get_text(&red, &format!("/kommunen/siegen/massnahmen/{public}"))
        .await;
    let section = &html[html.find("id=\"s-similar\"").expect("similar")..];
    let section = &section[..section.find("</section>").expect("end")];
    assert!(section.contains(&format!("/kommunen/arnsberg/massnahmen/{own_internal}\"")));
    assert!(
        !section.contains(&format!("/massnahmen/{network_m}\"")),
        "same city"
    );
    // Ranking: the nearly identical measure of Arnsberg comes before the one sharing fewer words.
    assert!(
        section.find(&format!("/{own_internal}\"")) < section.find(&format!("/{own_public}\""))
    );
}

async fn a_measure_taken_over_from_the_library_keeps_its_origin(app: TestApp) {
    let n = network(&app).await;
    let src = measure(
        &app,
        n.siegen,
        "Freies WLAN",
        "Hotspots",
        Visibility::Netzwerk,
        "abgeschlossen",
        None,
        Some(15_000),
    )
    .await;
    let red = app.login("red@x.de").await;
    let (_, html) = app.get_text(&red, "/netzwerk/bibliothek").await;
    let action = format!("/kommunen/arnsberg/massnahmen/kopieren/{src}");
    assert!(
        html.contains(&format!("action=\"{action}\"")),
        "take-over form"
    );
    assert!(html.contains("In meine Kommune übernehmen"));
    // The public and participants get no take-over button.
    let (_, html) = app
        .get_text(&app.login("buerger@x.de").await, "/netzwerk/bibliothek")
        .await;
    assert!(!html.contains("/massnahmen/kopieren/"));
    let r = app.post_form(&red, &action, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let copy_path = location(&r);
    assert!(
        copy_path.starts_with("/kommunen/arnsberg/massnahmen/"),
        "{copy_path}"
    );
    let (_, copy) = app.get_text(&red, &copy_path).await;
    assert!(
        copy.contains(&format!(
            "<a href=\"/kommunen/siegen/massnahmen/{src}\">Freies WLAN (Siegen)</a>"
        )),
        "origin link"
    );
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM measures WHERE origin_measure_id = {src} AND municipality_id = {}", n.arnsberg)).await,
        1
    );

    // Templates: the admin publishes one from the measure; the library lists it with a take-over into the own
    // city, and hides templates under filters they cannot answer (status, size class, costs).
    let admin = app.login("admin@x.de").await;
    let src_text = src.to_string();
    let r = app
        .post_form(
            &admin,
            "/admin/vorlagen/aus-massnahme",
            &[
                ("municipality", "siegen"),
                ("measure_id", src_text.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let template = scalar(&app, "SELECT MAX(id) FROM measure_templates").await;
    let (_, html) = app.get_text(&red, "/netzwerk/bibliothek?q=wlan").await;
    let from_template = format!("/kommunen/arnsberg/massnahmen/aus-vorlage/{template}");
    assert!(
        html.contains("id=\"library-templates\""),
        "template section"
    );
    assert!(html.contains(&format!("action=\"{from_template}\"")));
    let (_, html) = app.get_text(&red, "/netzwerk/bibliothek?q=radweg").await;
    assert!(
        !html.contains(&from_template),
        "text filter applies to templates"
    );
    let (_, html) = app
        .get_text(&red, "/netzwerk/bibliothek?status=abgeschlossen")
        .await;
    assert!(
        !html.contains("id=\"s-templates\""),
        "no templates under a status filter"
    );
    let r = app.post_form(&red, &from_template, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM measures WHERE origin_template_id = {template} AND municipality_id = {}", n.arnsberg)).await,
        1
    );
}

async fn steering_group_reads_dashboard_and_filters_library_in_the_browser(app: TestApp) {
    let n = network(&app).await;
    let f = fields(&app, 2).await;
    let wlan = measure(
        &app,
        n.siegen,
        "Freies WLAN",
        "Hotspots in der Innenstadt",
        Visibility::Oeffentlich,
        "umsetzung",
        Some(f[0]),
        Some(15_000),
    )
    .await;
    let rad = measure(
        &app,
        n.wassenberg,
        "Radverleih",
        "Leihräder am Bahnhof",
        Visibility::Oeffentlich,
        "abgeschlossen",
        Some(f[1]),
        None,
    )
    .await;
    participation(&app, n.arnsberg, 2, 3).await;
    let b = Browser::start().await;
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "lenk@x.de").await;
    b.fill("f-password", crate::harness::PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;
    let html = b.visit(&app, "/netzwerk").await;
    assert!(
        html.contains("Umsetzungsquote je Kommune") && html.contains("Vergleich nach Größenklasse")
    );
    let html = b.visit(&app, "/netzwerk/bibliothek").await;
    assert!(
        html.contains(&format!("data-measure=\"{wlan}\""))
            && html.contains(&format!("data-measure=\"{rad}\""))
    );
    b.select("f-groesse", "kleinstadt").await;
    b.submit("form.filters button[type=submit]").await;
    b.wait_for_path(
        "/netzwerk/bibliothek?handlungsfeld=&groesse=kleinstadt&status=&kosten_von=&kosten_bis=&q=",
    )
    .await;
    b.axe("library (filtered)").await;
    let html = b.client.source().await.expect("source");
    assert!(html.contains(&format!("data-measure=\"{rad}\"")));
    assert!(!html.contains(&format!("data-measure=\"{wlan}\"")));
    // Bad input in the browser: the error summary, checked by axe.
    b.fill("f-kosten_von", "viel").await;
    b.submit("form.filters button[type=submit]").await;
    b.wait_css(".error-summary").await;
    b.axe("library (errors)").await;
    b.client
        .goto(&app.url(&format!("/kommunen/wassenberg/massnahmen/{rad}")))
        .await
        .expect("goto");
    b.axe("measure with similar measures").await;
    b.stop().await;
}
