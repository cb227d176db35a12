//! The authorisation matrix (ADR 0018): every route of the web layer — read from its source, so a route is
//! covered the moment it is added — is declared in `web::audit::routes::ROUTES` with its policy, and the
//! two sets must be equal. Then every route is requested as every role (anonymous; participant, editor and
//! coordinator of city A; editor and coordinator of city B; steering group; network admin) with its path
//! parameters filled with records of city A, and the answer must match the policy: refused roles get 403,
//! 401 or the log-in page (404 where the path names a record), and a refused write changes no table;
//! allowed roles never get those. API writes are tried without a token, with another city's token, with a
//! token lacking the scope and with the right one.

use crate::case;
use crate::harness::{Case, TestApp, location};
use crate::leaks::{canary_measure, routes};
use domain::role::CityRole;
use domain::visibility::Visibility;
use reqwest::multipart::Form;
use reqwest::{Client, Method, StatusCode};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;
use web::audit::routes::{Policy, ROUTES, RouteSpec};

pub fn cases() -> Vec<Case> {
    vec![case!(every_route_answers_every_role_as_its_policy_says)]
}

/// The roles: account, network role, memberships. City A is Wassenberg, city B Arnsberg.
/// Account, network role, memberships `(city, role)`.
type Role = (
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, &'static str)],
);

const ROLES: [Role; 8] = [
    ("anonym", None, &[]),
    ("teilnahme-a@x.de", None, &[("wassenberg", "participant")]),
    ("redaktion-a@x.de", None, &[("wassenberg", "editor")]),
    (
        "koordination-a@x.de",
        None,
        &[("wassenberg", "coordinator")],
    ),
    ("redaktion-b@x.de", None, &[("arnsberg", "editor")]),
    ("koordination-b@x.de", None, &[("arnsberg", "coordinator")]),
    ("lenkung@x.de", Some("steering"), &[]),
    ("admin@x.de", Some("admin"), &[]),
];

/// Whether the role (index into `ROLES`) may use a route of this policy on city A; `None`: the policy
/// does not decide by role (visibility of the record, participation, API token).
fn allowed(policy: Policy, role: usize) -> Option<bool> {
    let (_, network, memberships) = ROLES[role];
    let in_a = memberships
        .iter()
        .find(|(slug, _)| *slug == "wassenberg")
        .and_then(|(_, r)| CityRole::parse(r));
    let admin = network == Some("admin");
    let staff = network.is_some();
    Some(match policy {
        Policy::Public | Policy::Secret => true,
        Policy::LoggedIn => role != 0,
        Policy::NetworkAdmin => admin,
        Policy::NetworkStaff => staff,
        Policy::City(CityRole::Participant) => staff || in_a.is_some(),
        Policy::City(least) => admin || in_a.is_some_and(|r| r >= least),
        // Session roles never hold a token: all refused.
        Policy::Token(_) => false,
        Policy::Participant | Policy::VisibilityOfEntity => return None,
    })
}

async fn exec(app: &TestApp, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        store::Pool::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{e}"));
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    let q = sqlx::AssertSqlSafe(sql.to_owned());
    let v: Option<i64> = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(q).fetch_one(p).await,
        store::Pool::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    v.unwrap_or_else(|| panic!("no fixture: {sql}"))
}

async fn text_of(app: &TestApp, sql: &str) -> String {
    let q = sqlx::AssertSqlSafe(sql.to_owned());
    let v: Option<String> = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(q).fetch_optional(p).await,
        store::Pool::Postgres(p) => sqlx::query_scalar(q).fetch_optional(p).await,
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    v.unwrap_or_else(|| panic!("no fixture: {sql}"))
}

/// Row counts of every table but the sessions: what a refused request must not change.
async fn fingerprint(app: &TestApp) -> BTreeMap<String, i64> {
    let sql = match app.db.pool() {
        store::Pool::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        store::Pool::Postgres(_) => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        }
    };
    let names: Vec<String> = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await,
        store::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await,
    }
    .expect("tables");
    let mut out = BTreeMap::new();
    for name in names {
        if name == "sessions" || name.starts_with("_sqlx") {
            continue;
        }
        let n = app.count(&name).await;
        out.insert(name, n);
    }
    assert!(out.len() > 50, "only {} tables", out.len());
    out
}

/// The values that fill a route's path parameters: records of city A.
struct Fixtures {
    values: BTreeMap<&'static str, String>,
}

impl Fixtures {
    fn get(&self, key: &str) -> String {
        self.values
            .get(key)
            .cloned()
            .unwrap_or_else(|| panic!("fixture {key} missing"))
    }

    /// The concrete path of a route. A parameter this test cannot fill fails it, so a new route gets a
    /// fixture when it is added.
    fn fill(&self, route: &str) -> String {
        let mut out = String::new();
        for (i, seg) in route.split('/').enumerate() {
            if i > 0 {
                out.push('/');
            }
            let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                out.push_str(seg);
                continue;
            };
            let value = match name {
                "slug" if route.starts_with("/netzwerk/magazin/") => self.get("article"),
                "slug" if route.starts_with("/admin/seiten/") => "impressum".into(),
                "slug" => "wassenberg".into(),
                "id" => {
                    let by_prefix = [
                        ("/admin/benutzer/", "user"),
                        ("/admin/taxonomien/", "term"),
                        ("/admin/prozessvorlage/", "phase_template"),
                        ("/admin/vorlagen/", "template"),
                        ("/kommunen/{slug}/prozess/phasen/", "phase"),
                        ("/kommunen/{slug}/massnahmen/aus-vorlage/", "template"),
                        ("/kommunen/{slug}/massnahmen/kopieren/", "measure_b"),
                        ("/kommunen/{slug}/massnahmen/", "measure"),
                        ("/api/v1/municipalities/{slug}/measures/", "measure"),
                        ("/kommunen/{slug}/werkstaetten/", "workshop"),
                        ("/kommunen/{slug}/schnittstellen/", "token"),
                        ("/netzwerk/veranstaltungen/", "event"),
                        ("/netzwerk/magazin/bilder/", "image"),
                    ];
                    let key = by_prefix
                        .iter()
                        .find(|(p, _)| route.starts_with(p))
                        .map(|(_, k)| *k)
                        .or_else(|| {
                            let participation = route.starts_with("/kommunen/{slug}/beteiligung/")
                                || route.starts_with("/api/v1/participations/");
                            participation.then(|| {
                                [
                                    ("nutzwert", "nutzwert"),
                                    ("benefit", "nutzwert"),
                                    ("meinungsbild", "meinungsbild"),
                                    ("opinions", "meinungsbild"),
                                    ("umfrage", "umfrage"),
                                    ("survey", "umfrage"),
                                    ("ideen", "ideen"),
                                    ("ideas", "ideen"),
                                    ("punkte", "punkte"),
                                    ("points", "punkte"),
                                ]
                                .iter()
                                .find(|(seg, _)| route.contains(seg))
                                .map(|(_, k)| *k)
                                .unwrap_or("ideen")
                            })
                        })
                        .unwrap_or_else(|| panic!("no fixture for {{id}} in {route}"));
                    self.get(key)
                }
                "user_id" => self.get("user"),
                "token" => "a".repeat(64),
                "file" => "konzept.md".into(),
                "n" => "1".into(),
                other => self.get(other),
            };
            out.push_str(&value);
        }
        out
    }
}

/// Does a path name a record besides its city (then 404 is a refusal that hides it)?
fn names_a_record(route: &str) -> bool {
    route
        .split('/')
        .any(|s| s.starts_with('{') && s != "{slug}")
        || route.starts_with("/netzwerk/magazin/{slug}")
}

async fn send(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    method: &str,
    route: &str,
    path: &str,
) -> (StatusCode, String) {
    let url = app.url(path);
    let r = if method == "GET" {
        c.get(url).send().await
    } else {
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let multipart = route.ends_with("/fortschritt") || route.ends_with("/bilder");
        if multipart {
            c.request(m, format!("{url}?_csrf={csrf}"))
                .multipart(Form::new().text("_csrf", csrf.to_owned()))
                .send()
                .await
        } else {
            c.request(m, url)
                .header("x-csrf-token", csrf)
                .form(&[("_csrf", csrf)])
                .send()
                .await
        }
    }
    .expect("request");
    // Bodies are not read: live streams never end, and the status says what is checked here.
    (r.status(), location(&r))
}

/// A redirect to the log-in page (with the page to come back to), not the log-out's "you are logged out".
fn to_login(status: StatusCode, location: &str) -> bool {
    status == StatusCode::SEE_OTHER && location.starts_with("/anmelden?next=")
}

fn refused(route: &str, status: StatusCode, location: &str) -> bool {
    status == StatusCode::FORBIDDEN
        || status == StatusCode::UNAUTHORIZED
        || to_login(status, location)
        || (status == StatusCode::NOT_FOUND && names_a_record(route))
}

fn let_through(status: StatusCode, location: &str) -> bool {
    !(status == StatusCode::FORBIDDEN
        || status == StatusCode::UNAUTHORIZED
        || to_login(status, location))
}

async fn every_route_answers_every_role_as_its_policy_says(app: TestApp) {
    // 1. The table covers the source, and nothing else.
    let source: BTreeSet<(String, String)> = routes();
    let declared: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|s| (s.method.to_owned(), s.path.to_owned()))
        .collect();
    let undeclared: Vec<_> = source.difference(&declared).collect();
    let stale: Vec<_> = declared.difference(&source).collect();
    assert!(
        undeclared.is_empty() && stale.is_empty(),
        "routes missing from web::audit::routes::ROUTES: {undeclared:?}; declared routes that do not exist: {stale:?}"
    );
    assert!(source.len() > 200, "only {} routes read", source.len());

    // 2. Cities, roles and records of city A.
    web::demo::load(&app.db).await.expect("demo");
    let a = store::municipalities::by_slug(&app.db, "wassenberg")
        .await
        .expect("A")
        .id;
    let b = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("B")
        .id;
    let mut clients = Vec::new();
    for (email, network, memberships) in ROLES {
        let c = if email == "anonym" {
            app.client()
        } else {
            app.user(email, network, memberships).await;
            app.login(email).await
        };
        let csrf = app.csrf(&c).await;
        clients.push((email, c, csrf));
    }
    let editor = &clients[2].1;
    let coordinator = &clients[3].1;
    let coordinator_id = id_of(
        &app,
        "SELECT id FROM users WHERE email = 'koordination-a@x.de'",
    )
    .await;
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let (measure, photo) = canary_measure(&app, editor, a, Visibility::Oeffentlich, "AUTHZ").await;
    values.insert("measure", measure.to_string());
    values.insert("upload_id", photo.to_string());
    exec(
        &app,
        &format!("INSERT INTO kpis (measure_id, name) VALUES ({measure}, 'Sensoren')"),
    )
    .await;
    values.insert(
        "kpi",
        id_of(
            &app,
            &format!("SELECT MAX(id) FROM kpis WHERE measure_id = {measure}"),
        )
        .await
        .to_string(),
    );
    values.insert("measure_b", id_of(&app, &format!("SELECT MIN(id) FROM measures WHERE municipality_id = {b} AND visibility = 'oeffentlich'")).await.to_string());
    values.insert("mid", measure.to_string());
    let user = app
        .user("wegwerf@x.de", None, &[("wassenberg", "participant")])
        .await;
    values.insert("user", user.to_string());
    values.insert(
        "term",
        id_of(&app, "SELECT MIN(id) FROM taxonomy_terms")
            .await
            .to_string(),
    );
    values.insert(
        "phase_template",
        id_of(&app, "SELECT MIN(id) FROM phase_templates")
            .await
            .to_string(),
    );
    values.insert(
        "phase",
        id_of(
            &app,
            &format!("SELECT MIN(id) FROM phases WHERE municipality_id = {a}"),
        )
        .await
        .to_string(),
    );
    let template = store::templates::create(
        &app.db,
        "Vorlage",
        "Kurz",
        None,
        r#"{"title":"Vorlage"}"#,
        true,
    )
    .await
    .expect("template");
    values.insert("template", template.to_string());
    let token = store::api_tokens::create(
        &app.db,
        a,
        "Wegwerf",
        "progress:write",
        "wkt_wegwerf",
        coordinator_id,
    )
    .await
    .expect("token");
    values.insert("token", token.to_string());
    // A public workshop of A with a live board, a cluster and a card.
    let format = store::workshops::formats(&app.db).await.expect("formats")[0]
        .0
        .clone();
    let start = store::now_secs() + 10 * 86_400;
    let draft = domain::workshop::WorkshopDraft {
        title: "Werkstatt Innenstadt".into(),
        format_key: format.clone(),
        starts_at: start,
        ends_at: start + 7_200,
        place: "Rathaus".into(),
        online_link: String::new(),
        capacity: None,
        purpose: "Zweck".into(),
        phase_id: None,
        visibility: Visibility::Oeffentlich,
    };
    let workshop = store::workshops::create(&app.db, a, &draft, coordinator_id)
        .await
        .expect("workshop");
    values.insert("workshop", workshop.to_string());
    let r = app
        .post_form(
            editor,
            &format!("/kommunen/wassenberg/werkstaetten/{workshop}/pinnwand"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "board opened");
    values.insert(
        "code",
        text_of(
            &app,
            &format!("SELECT join_code FROM boards WHERE workshop_id = {workshop}"),
        )
        .await,
    );
    let now = store::now_secs();
    exec(&app, &format!("INSERT INTO board_clusters (workshop_id, name, position, created_at) VALUES ({workshop}, 'Cluster', 1, {now})")).await;
    exec(&app, &format!("INSERT INTO board_cards (workshop_id, text, created_at, updated_at) VALUES ({workshop}, 'Karte', {now}, {now})")).await;
    values.insert(
        "cluster",
        id_of(
            &app,
            &format!("SELECT MAX(id) FROM board_clusters WHERE workshop_id = {workshop}"),
        )
        .await
        .to_string(),
    );
    values.insert(
        "card",
        id_of(
            &app,
            &format!("SELECT MAX(id) FROM board_cards WHERE workshop_id = {workshop}"),
        )
        .await
        .to_string(),
    );
    // A benefit analysis (the demo has none) with its standard criteria; the demo's other formats.
    let (from, _) = domain::workshop::utc_to_local(store::now_secs() - 86_400);
    let (to, _) = domain::workshop::utc_to_local(store::now_secs() + 365 * 86_400);
    let r = app
        .post_form(
            editor,
            "/kommunen/wassenberg/beteiligung/neu",
            &[
                ("kind", "nutzwert"),
                ("title", "Welche Maßnahme bringt am meisten?"),
                ("description", "Bewertung"),
                ("processing_purpose", "Priorisierung"),
                ("legal_basis", "Art. 6 Abs. 1 lit. e DSGVO"),
                ("opens_on", &from),
                ("closes_on", &to),
                ("access", "gast"),
                ("published", "on"),
                ("results_public", "on"),
                ("retention_days", "30"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "benefit analysis created"
    );
    for kind in ["nutzwert", "meinungsbild", "umfrage", "ideen", "punkte"] {
        let id = id_of(
            &app,
            &format!(
                "SELECT MIN(id) FROM participations WHERE municipality_id = {a} AND kind = '{kind}'"
            ),
        )
        .await;
        values.insert(kind, id.to_string());
    }
    let benefit = values["nutzwert"].clone();
    let r = app
        .post_form(
            editor,
            &format!("/kommunen/wassenberg/beteiligung/{benefit}/nutzwert/kriterien/standard"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "standard criteria");
    values.insert(
        "cid",
        id_of(
            &app,
            &format!("SELECT MIN(id) FROM benefit_criteria WHERE participation_id = {benefit}"),
        )
        .await
        .to_string(),
    );
    values.insert(
        "sid",
        id_of(
            &app,
            &format!(
                "SELECT MIN(id) FROM opinion_statements WHERE participation_id = {}",
                values["meinungsbild"]
            ),
        )
        .await
        .to_string(),
    );
    values.insert(
        "qid",
        id_of(
            &app,
            &format!(
                "SELECT MIN(id) FROM survey_questions WHERE participation_id = {}",
                values["umfrage"]
            ),
        )
        .await
        .to_string(),
    );
    values.insert(
        "idea",
        id_of(
            &app,
            &format!(
                "SELECT MIN(id) FROM ideas WHERE participation_id = {}",
                values["ideen"]
            ),
        )
        .await
        .to_string(),
    );
    // A published concept version; the network's event, article and an image.
    let r = app
        .post_form(
            coordinator,
            "/kommunen/wassenberg/umsetzungskonzept/veroeffentlichen",
            &[("visibility", "oeffentlich"), ("note", "Erste Fassung")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "concept version");
    values.insert(
        "event",
        id_of(
            &app,
            "SELECT MIN(id) FROM workshops WHERE municipality_id IS NULL",
        )
        .await
        .to_string(),
    );
    let article = id_of(
        &app,
        "SELECT MIN(id) FROM articles WHERE published_at IS NOT NULL",
    )
    .await;
    values.insert(
        "article",
        text_of(
            &app,
            &format!("SELECT slug FROM articles WHERE id = {article}"),
        )
        .await,
    );
    let admin_id = id_of(&app, "SELECT id FROM users WHERE email = 'admin@x.de'").await;
    let image = store::exchange::add_image(
        &app.db,
        article,
        "image/png",
        "Bild",
        crate::leaks::PNG,
        admin_id,
    )
    .await
    .expect("image");
    values.insert("image", image.to_string());
    let fx = Fixtures { values };

    let specs: Vec<&RouteSpec> = ROUTES.iter().collect();
    let started = Instant::now();
    let mut requests = 0;
    let mut failures = Vec::new();

    // 3. Refused writes first, while every record is intact: 403 or the log-in page, and no table changes.
    let before = fingerprint(&app).await;
    for spec in specs.iter().filter(|s| s.method != "GET") {
        let path = fx.fill(spec.path);
        for (role, (who, c, csrf)) in clients.iter().enumerate() {
            if allowed(spec.policy, role) != Some(false) {
                continue;
            }
            let (status, loc) = send(&app, c, csrf, spec.method, spec.path, &path).await;
            requests += 1;
            if !refused(spec.path, status, &loc) {
                failures.push(format!(
                    "{} {path} as {who}: {status} {loc} (policy {:?}, refused)",
                    spec.method, spec.policy
                ));
            }
        }
    }
    let after = fingerprint(&app).await;
    let changed: Vec<_> = before
        .iter()
        .filter(|(t, n)| after.get(*t) != Some(n))
        .map(|(t, n)| format!("{t}: {n} → {:?}", after.get(t)))
        .collect();
    assert!(
        changed.is_empty(),
        "refused writes changed tables: {changed:?}"
    );

    // 4. API writes: no token, another city's token, a token without the scope, the right token.
    let both = "progress:write measures:write";
    store::api_tokens::create(&app.db, a, "A", both, "wkt_a_both", coordinator_id)
        .await
        .expect("token");
    store::api_tokens::create(
        &app.db,
        a,
        "A lesen",
        "progress:write",
        "wkt_a_progress",
        coordinator_id,
    )
    .await
    .expect("token");
    let b_coordinator = id_of(
        &app,
        "SELECT id FROM users WHERE email = 'koordination-b@x.de'",
    )
    .await;
    store::api_tokens::create(&app.db, b, "B", both, "wkt_b_both", b_coordinator)
        .await
        .expect("token");
    let anonymous = app.client();
    for spec in specs
        .iter()
        .filter(|s| matches!(s.policy, Policy::Token(_)))
    {
        let Policy::Token(scope) = spec.policy else {
            unreachable!()
        };
        let path = fx.fill(spec.path);
        let wrong_scope = match scope {
            domain::opendata::Scope::ProgressWrite => None,
            domain::opendata::Scope::MeasuresWrite => Some("wkt_a_progress"),
        };
        let mut tries = vec![
            (None, true),
            (Some("wkt_b_both"), true),
            (Some("wkt_unbekannt"), true),
            (Some("wkt_a_both"), false),
        ];
        if let Some(t) = wrong_scope {
            tries.push((Some(t), true));
        }
        for (token, expect_refused) in tries {
            let m = Method::from_bytes(spec.method.as_bytes()).expect("method");
            let mut rb = anonymous
                .request(m, app.url(&path))
                .header("content-type", "application/json")
                .body("{}");
            if let Some(t) = token {
                rb = rb.bearer_auth(t);
            }
            let before = fingerprint(&app).await;
            let r = rb.send().await.expect("request");
            requests += 1;
            let status = r.status();
            let ok = if expect_refused {
                matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                    && fingerprint(&app).await == before
            } else {
                !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                    && !status.is_server_error()
            };
            if !ok {
                failures.push(format!(
                    "{} {path} with token {token:?}: {status}",
                    spec.method
                ));
            }
        }
    }

    // 5. Everything else: allowed roles are let through, refused reads are refused, and nothing is a 5xx.
    // Logging out ends a session, so it comes last.
    let (last, rest): (Vec<&RouteSpec>, Vec<&RouteSpec>) =
        specs.iter().copied().partition(|s| s.path == "/abmelden");
    for spec in rest.into_iter().chain(last) {
        let path = fx.fill(spec.path);
        for (role, (who, c, csrf)) in clients.iter().enumerate() {
            let expected = allowed(spec.policy, role);
            if spec.method != "GET" && expected == Some(false) {
                continue; // tried in step 3
            }
            let (status, loc) = send(&app, c, csrf, spec.method, spec.path, &path).await;
            requests += 1;
            let ok = !status.is_server_error()
                && match expected {
                    Some(true) => let_through(status, &loc),
                    Some(false) => refused(spec.path, status, &loc),
                    None => true,
                };
            if !ok {
                failures.push(format!(
                    "{} {path} as {who}: {status} {loc} (policy {:?})",
                    spec.method, spec.policy
                ));
            }
        }
    }
    eprintln!("authz: {requests} requests in {:?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} answers against the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
