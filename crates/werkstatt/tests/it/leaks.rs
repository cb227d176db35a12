//! Visibility is never leaked, through any page, API endpoint, feed or export: every GET route of the web
//! layer — read from its source, so a route is covered the moment it is added — is fetched as every role,
//! with its path parameters filled with the ids of records that only some roles may see. Those records
//! carry markers; a body (HTML, JSON, CSV, iCalendar, Markdown, and the text of PDFs and XLSX sheets)
//! that holds a marker its viewer may not see fails the test, and so does any answer 5xx.

use crate::case;
use crate::harness::{Case, TestApp, csrf_from, repo_root};
use crate::strategy::measure;
use domain::measure::Sheet;
use domain::visibility::Visibility;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};
use store::measures::Origin;

pub fn cases() -> Vec<Case> {
    vec![case!(no_route_shows_any_role_what_it_may_not_see)]
}

/// In every record only the city's members (and the network roles) may see.
const INTERN: &str = "QXINTERNQX";
/// In every record the network's staff may see, but not the public.
const NETZ: &str = "QXNETZQX";

/// The GET routes of `crates/web/src` (see `routes`).
pub fn get_routes() -> Vec<String> {
    routes()
        .into_iter()
        .filter(|(method, _)| method == "GET")
        .map(|(_, path)| path)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Every route of `crates/web/src` as `(METHOD, path)`, as registered: the path a literal, a `const`/`let`
/// base, or `&format!("{base}/…")`; the methods every `get(`/`post(`/`patch(`/`put(`/`delete(` inside the
/// `.route(…)` call (chains like `get(a).post(b)` included). A `.route(` the reader does not understand, a
/// route with no method, or routing it cannot see (`.nest(`, `.route_service(`, `any(`) fails the test, so no
/// route escapes.
pub fn routes() -> BTreeSet<(String, String)> {
    let base_re = regex::Regex::new(
        r#"(?:const\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*&str|let\s+([A-Za-z_][A-Za-z0-9_]*))\s*=\s*"([^"]*)"\s*;"#,
    )
    .expect("regex");
    let method_re = regex::Regex::new(r"\b(get|post|patch|put|delete)\(").expect("regex");
    let hidden_re = regex::Regex::new(r"\bany\(|\bon\(|MethodFilter").expect("regex");
    let unseen_re =
        regex::Regex::new(r"\.nest\(|\.nest_service\(|\.route_service\(").expect("regex");
    let mut files = Vec::new();
    collect_rs(&repo_root().join("crates/web/src"), &mut files);
    let mut routes = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        assert!(
            !unseen_re.is_match(&text),
            "{}: routing this test does not read (nest/route_service)",
            file.display()
        );
        let bases: Vec<(String, String)> = base_re
            .captures_iter(&text)
            .map(|c| {
                let name = c.get(1).or(c.get(2)).expect("name").as_str().to_owned();
                (name, c[3].to_owned())
            })
            .collect();
        let resolve = |name: &str| {
            bases
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{}: route base {name} not found", file.display()))
        };
        for (start, _) in text.match_indices(".route(") {
            let call = call_args(&text[start + ".route(".len()..]);
            assert!(
                !hidden_re.is_match(call),
                "{}: routing this test does not understand: {call}",
                file.display()
            );
            let arg = call.trim_start();
            let path = if let Some(rest) = arg.strip_prefix('"') {
                rest[..rest.find('"').expect("closing quote")].to_owned()
            } else if let Some(rest) = arg.strip_prefix("&format!(\"") {
                let fmt = &rest[..rest.find('"').expect("closing quote")];
                let mut rest = fmt.replace("{{", "\u{0}").replace("}}", "\u{1}");
                let mut out = String::new();
                while let Some(open) = rest.find('{') {
                    let close = rest[open..].find('}').expect("closing brace") + open;
                    out.push_str(&rest[..open]);
                    out.push_str(&resolve(&rest[open + 1..close]));
                    rest = rest[close + 1..].to_owned();
                }
                out.push_str(&rest);
                out.replace('\u{0}', "{").replace('\u{1}', "}")
            } else {
                let ident: String = arg
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    !ident.is_empty(),
                    "{}: a route this test does not understand: {}",
                    file.display(),
                    &arg[..arg.len().min(80)]
                );
                resolve(&ident)
            };
            assert!(
                path.starts_with('/'),
                "{}: odd route {path}",
                file.display()
            );
            let before = routes.len();
            for m in method_re.captures_iter(call) {
                routes.insert((m[1].to_uppercase(), path.clone()));
            }
            assert!(
                routes.len() > before,
                "{}: no method found for {path}",
                file.display()
            );
        }
    }
    routes
}

/// The text of a call's arguments: from just after its `(` to the matching `)`, skipping string literals.
fn call_args(text: &str) -> &str {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' => depth += 1,
            ')' if depth == 0 => return &text[..i],
            ')' => depth -= 1,
            _ => {}
        }
    }
    panic!("unbalanced .route( call: {}", &text[..text.len().min(80)])
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The paths to try for one route: every combination of city and candidate id / file name.
fn expand(route: &str, ids: &[i64], articles: &[String]) -> Vec<String> {
    let mut out = vec![route.to_owned()];
    loop {
        let Some(open) = out[0].find('{') else {
            return out;
        };
        let close = out[0][open..].find('}').expect("brace") + open;
        let name = out[0][open + 1..close].to_owned();
        let values: Vec<String> = match name.as_str() {
            "slug" if route.starts_with("/netzwerk/magazin") => articles.to_vec(),
            "slug" | "city" => vec!["wassenberg".into(), "arnsberg".into()],
            // The concept's PDF is typeset from the same document model as these two (and the concept
            // test parses it back); typesetting a whole concept per role would only add minutes.
            "file" => ["konzept.md", "konzept.html"].map(String::from).into(),
            // Secret links (board codes, mailed tokens): whoever holds one may use it.
            "code" | "token" => vec!["QX7Y2Z".into()],
            _ => ids.iter().map(i64::to_string).collect(),
        };
        let pattern = format!("{{{name}}}");
        out = out
            .iter()
            .flat_map(|p| {
                values
                    .iter()
                    .map(|v| p.replacen(&pattern, v, 1))
                    .collect::<Vec<_>>()
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
    }
}

/// The text of a response, whatever its format, without white space (PDF text may break anywhere).
async fn body_text(r: reqwest::Response) -> String {
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = r.bytes().await.expect("body");
    let text = if ct.starts_with("application/pdf") {
        pdf_extract::extract_text_from_mem(&bytes).expect("parse PDF")
    } else if ct.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml") {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
        let mut all = String::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).expect("sheet");
            for row in range.rows() {
                for cell in row {
                    all.push_str(&cell.to_string());
                    all.push(' ');
                }
            }
        }
        all
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    text.replace("-\n", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect::<String>()
        .replace("<mark>", "")
        .replace("</mark>", "")
}

/// A tiny PNG followed by the marker, so that an image served to the wrong viewer is caught like a page.
fn png(marker: &str) -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes.extend_from_slice(marker.as_bytes());
    bytes
}

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";

/// A measure of Wassenberg with a located sheet, a milestone and a progress report with a photo, all
/// carrying `marker`; returns the measure and the photo's upload id.
pub async fn canary_measure(
    app: &TestApp,
    editor: &Client,
    city: i64,
    v: Visibility,
    marker: &str,
) -> (i64, i64) {
    let sheet = Sheet {
        title: format!("Kanarienprojekt {marker}"),
        short_description: format!("Beschreibung {marker}"),
        visibility: Some(v),
        lead_unit: "Fachdienst Test".into(),
        location_geojson: r#"{"type":"Point","coordinates":[6.07,51.1]}"#.into(),
        ..Default::default()
    };
    let id = store::measures::create(&app.db, city, &sheet, "umsetzung", None, Origin::default())
        .await
        .expect("measure");
    let r = app
        .post_form(
            editor,
            &format!("/kommunen/wassenberg/massnahmen/{id}/meilensteine"),
            &[
                ("milestone_title", &format!("Meilenstein {marker}")),
                ("milestone_due", "2030-06-30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "milestone");
    let (_, page) = app.get_text(editor, "/impressum").await;
    let url = app.url(&format!(
        "/kommunen/wassenberg/massnahmen/{id}/fortschritt?_csrf={}",
        csrf_from(&page)
    ));
    let form = Form::new()
        .text("reported_on", web::view::today())
        .text("percent", "40")
        .text("body", format!("Fortschritt {marker}"))
        .text("milestone_id", "")
        .part("photo1", Part::bytes(png(marker)).file_name("f.png"))
        .text("alt1", format!("Foto {marker}"));
    let r = editor.post(url).multipart(form).send().await.expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "progress report");
    let photos = store::progress::photos(&app.db, id).await.expect("photos");
    (id, photos[0].upload_id)
}

async fn no_route_shows_any_role_what_it_may_not_see(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let city = store::municipalities::by_slug(&app.db, "wassenberg")
        .await
        .expect("city")
        .id;
    // (account, network role, memberships, markers it may not see)
    type Role<'a> = (
        &'a str,
        Option<&'a str>,
        &'a [(&'a str, &'a str)],
        &'a [&'a str],
    );
    let roles: [Role; 8] = [
        ("anonym", None, &[], &[INTERN, NETZ]),
        (
            "teilnahme-arnsberg@x.de",
            None,
            &[("arnsberg", "participant")],
            &[INTERN, NETZ],
        ),
        (
            "redaktion-arnsberg@x.de",
            None,
            &[("arnsberg", "editor")],
            &[INTERN],
        ),
        (
            "teilnahme-wassenberg@x.de",
            None,
            &[("wassenberg", "participant")],
            &[],
        ),
        (
            "redaktion-wassenberg@x.de",
            None,
            &[("wassenberg", "editor")],
            &[],
        ),
        (
            "koordination-wassenberg@x.de",
            None,
            &[("wassenberg", "coordinator")],
            &[],
        ),
        ("lenkung@x.de", Some("steering"), &[], &[]),
        ("admin@x.de", Some("admin"), &[], &[]),
    ];
    let mut clients = Vec::new();
    for (email, network, memberships, forbidden) in roles {
        let c = if email == "anonym" {
            app.client()
        } else {
            app.user(email, network, memberships).await;
            app.login(email).await
        };
        clients.push((email, c, forbidden));
    }
    let editor = &clients[4].1;
    let editor_id = store::users::by_email(&app.db, "redaktion-wassenberg@x.de")
        .await
        .expect("user")
        .expect("exists")
        .id;

    // The canaries: measures with milestones, progress and photos; workshops; the definition; a concept
    // version published to the city's members.
    let (m_intern, p_intern) = canary_measure(&app, editor, city, Visibility::Intern, INTERN).await;
    let (m_netz, p_netz) = canary_measure(&app, editor, city, Visibility::Netzwerk, NETZ).await;
    let m_public = measure(
        &app,
        city,
        "Kanarienprojekt offen",
        Visibility::Oeffentlich,
        "umsetzung",
    )
    .await;
    let format = store::workshops::formats(&app.db).await.expect("formats")[0]
        .0
        .clone();
    let mut workshops = Vec::new();
    for (v, marker) in [(Visibility::Intern, INTERN), (Visibility::Netzwerk, NETZ)] {
        let start = store::now_secs() + 10 * 86_400;
        let d = domain::workshop::WorkshopDraft {
            title: format!("Kanarienprojekt Werkstatt {marker}"),
            format_key: format.clone(),
            starts_at: start,
            ends_at: start + 7_200,
            place: "Rathaus".into(),
            online_link: String::new(),
            capacity: None,
            purpose: format!("Zweck {marker}"),
            phase_id: None,
            visibility: v,
        };
        workshops.push(
            store::workshops::create(&app.db, city, &d, editor_id)
                .await
                .expect("workshop"),
        );
    }
    let def = store::definitions::get(&app.db, city)
        .await
        .expect("definition")
        .expect("demo definition");
    assert_eq!(
        def.visibility, "intern",
        "Wassenberg's demo definition is internal"
    );
    store::definitions::save(
        &app.db,
        city,
        def.current_version,
        &format!("## Wassenberg bewegt sich\n\nKanarienprojekt {INTERN}"),
        "",
        editor_id,
    )
    .await
    .expect("definition version");
    let r = app
        .post_form(
            editor,
            "/kommunen/wassenberg/umsetzungskonzept/veroeffentlichen",
            &[("visibility", "intern"), ("note", "Intern")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "concept version");

    // The network's own: an event for its staff, a draft article with an image (the admin's only) and a
    // published article for the network's staff.
    let admin_id = store::users::by_email(&app.db, "admin@x.de")
        .await
        .expect("user")
        .expect("exists")
        .id;
    let start = store::now_secs() + 20 * 86_400;
    let event = domain::workshop::WorkshopDraft {
        title: format!("Kanarienprojekt Netzwerktreffen {NETZ}"),
        format_key: format.clone(),
        starts_at: start,
        ends_at: start + 7_200,
        place: "Düsseldorf".into(),
        online_link: String::new(),
        capacity: Some(10),
        purpose: format!("Austausch {NETZ}"),
        phase_id: None,
        visibility: Visibility::Netzwerk,
    };
    workshops.push(
        store::workshops::create_network(&app.db, &event, admin_id)
            .await
            .expect("network event"),
    );
    let mut articles = Vec::new();
    let mut images = Vec::new();
    for (v, marker, publish) in [
        (Visibility::Oeffentlich, INTERN, false),
        (Visibility::Netzwerk, NETZ, true),
    ] {
        let d = domain::exchange::ArticleDraft {
            title: format!("Kanarienprojekt Artikel {marker}"),
            teaser: format!("Anriss {marker}"),
            body_md: format!("Text {marker}"),
            visibility: v,
        };
        let (id, slug) = store::exchange::create_article(&app.db, &d, admin_id)
            .await
            .expect("article");
        images.push(
            store::exchange::add_image(&app.db, id, "image/png", marker, &png(marker), admin_id)
                .await
                .expect("image"),
        );
        if publish {
            store::exchange::set_published(&app.db, id, true)
                .await
                .expect("publish");
        }
        articles.push(slug);
    }

    // The search index has taken everything in before the routes are tried.
    let admin = &clients[7].1;
    let start = Instant::now();
    loop {
        let (_, body) = app
            .get_text(admin, "/api/v1/search?q=Kanarienprojekt")
            .await;
        if body.contains(INTERN)
            && body.contains(NETZ)
            && body.contains("Werkstatt")
            && body.contains("Netzwerktreffen")
            && body.contains("Artikel")
        {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "index: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let routes = get_routes();
    for known in [
        "/kommunen/{slug}/massnahmen/{id}",
        "/kommunen/{slug}/umsetzungskonzept/fassung/{n}/{file}",
        "/api/v1/search",
        "/kommunen/{slug}/werkstaetten.ics",
    ] {
        assert!(
            routes.iter().any(|r| r == known),
            "route list lacks {known}"
        );
    }
    let ids: Vec<i64> = [m_intern, m_netz, m_public, p_intern, p_netz, 1]
        .into_iter()
        .chain(workshops)
        .chain(images)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let queries = ["", "?q=Kanarienprojekt&fuer=intern"];
    let mut requests = 0;
    let mut seen_by_allowed = 0;
    let mut slowest = Vec::new();
    for route in &routes {
        for path in expand(route, &ids, &articles) {
            // Queries matter to lists and search, not to a page of one record.
            let queries = if route.contains("{id}") || route.contains("{n}") {
                &queries[..1]
            } else {
                &queries[..]
            };
            for query in queries {
                let url = format!("{path}{query}");
                for (who, c, forbidden) in &clients {
                    // Roles that may see every marker are asked for the quick formats only (no 5xx);
                    // rendering PDFs for them proves nothing about leaks.
                    if forbidden.is_empty() && (url.contains(".pdf") || route.contains("{file}")) {
                        continue;
                    }
                    // Streams never end; only an unknown code is asked for, which answers at once.
                    let t = Instant::now();
                    let r = app.get(c, &url).await;
                    requests += 1;
                    let status = r.status();
                    assert!(!status.is_server_error(), "GET {url} as {who}: {status}");
                    let text = body_text(r).await;
                    for marker in *forbidden {
                        assert!(
                            !text.contains(marker),
                            "GET {url} as {who} ({status}) shows {marker}"
                        );
                    }
                    if forbidden.is_empty() && text.contains(INTERN) {
                        seen_by_allowed += 1;
                    }
                    slowest.push((t.elapsed(), format!("{url} as {who}")));
                }
            }
        }
    }
    slowest.sort();
    eprintln!(
        "leaks: {requests} requests; slowest: {:?}",
        slowest.iter().rev().take(8).collect::<Vec<_>>()
    );
    // The markers are findable where they belong, so their absence elsewhere means something.
    assert!(requests > 1_000, "only {requests} requests");
    assert!(
        seen_by_allowed >= 20,
        "internal markers seen by entitled roles only {seen_by_allowed} times"
    );
    let (_, own) = app
        .get_text(
            &clients[2].1,
            &format!("/kommunen/wassenberg/massnahmen/{m_netz}"),
        )
        .await;
    assert!(
        own.contains(NETZ),
        "a network measure is shown to another city's editor"
    );
}
