//! Injection and escaping: every text field of every form the network admin, a city's coordination and a
//! participant can reach is filled with XSS, SQL, template and formula payloads and submitted; then every page
//! is read again. No answer may be a 5xx, no page may contain an element a payload made (a script with the
//! payload, an event handler attribute, a `javascript:` link), accepted payloads must come back verbatim as
//! text (stored as typed, rendered escaped), JSON answers must parse, and CSV downloads must not start a cell
//! with a formula. Uploads are checked by their bytes and size and served with safe headers.

use crate::case;
use crate::harness::{Case, TestApp, csrf_from};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, StatusCode};
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

pub fn cases() -> Vec<Case> {
    vec![
        case!(every_text_field_is_stored_verbatim_and_rendered_escaped),
        case!(uploads_are_checked_by_content_and_size_and_served_safely),
    ]
}

/// What is typed into text fields; each value gets a unique marker `XQ{n}Q` after the payload.
const PAYLOADS: [&str; 12] = [
    r#"<script>alert("xss")</script>"#,
    r#""><img src=x onerror=alert(1)>"#,
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    "{{7*7}} ${7*7} {% raw %}",
    "Straße \u{202E}gnp.exe مرحبا 👩\u{200D}👩\u{200D}👧",
    r#"=HYPERLINK("http://evil.example","klick")"#,
    "+SUMME(1;2)",
    "-2+3",
    "@SUMME(A1)",
    "[klick](javascript:alert(1)) <svg onload=alert(1)>",
    "</textarea><script>alert(2)</script>",
];

/// After the payload in every text area (Markdown fields among them).
const MARKDOWN_PAYLOAD: &str = "[klick](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\">b</a>";

/// In fields that take a link.
const URL_PAYLOAD: &str = "javascript:alert(1)//";

/// Actions not to submit: they end the session, remove people or data, or change the language.
const SKIP_ACTIONS: [&str; 12] = [
    "abmelden",
    "entfernen",
    "entziehen",
    "loeschen",
    "widerrufen",
    "sprache",
    "passwort",
    "anmelden",
    "einladung/",
    "meine-daten",
    "zurueckziehen",
    "verschieben",
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// One input of a form, as the page offers it.
#[derive(Debug, Clone)]
struct Input {
    name: String,
    kind: String,
    value: String,
    checked: bool,
    options: Vec<(String, bool)>,
    multiple: bool,
}

#[derive(Debug, Clone)]
struct PageForm {
    method: Method,
    action: String,
    multipart: bool,
    inputs: Vec<Input>,
    submit: Option<(String, String)>,
}

fn forms_of(doc: &Html, page: &str) -> Vec<PageForm> {
    let mut out = Vec::new();
    for f in doc.select(&sel("form")) {
        let method = match f.value().attr("method").map(str::to_ascii_lowercase) {
            Some(m) if m == "post" => Method::POST,
            _ => Method::GET,
        };
        let action = f
            .value()
            .attr("action")
            .filter(|a| !a.is_empty())
            .unwrap_or(page)
            .to_string();
        let multipart = f
            .value()
            .attr("enctype")
            .is_some_and(|e| e.contains("multipart"));
        let mut inputs = Vec::new();
        let mut submit = None;
        for el in f.select(&sel("input, textarea, select, button")) {
            let v = el.value();
            let Some(name) = v.attr("name").map(str::to_string) else {
                continue;
            };
            let tag = v.name();
            let kind = match tag {
                "textarea" => "textarea".to_string(),
                "select" => "select".to_string(),
                "button" => v.attr("type").unwrap_or("submit").to_ascii_lowercase(),
                _ => v.attr("type").unwrap_or("text").to_ascii_lowercase(),
            };
            if kind == "submit" {
                submit.get_or_insert((name, v.attr("value").unwrap_or("").to_string()));
                continue;
            }
            let value = if tag == "textarea" {
                el.text().collect()
            } else {
                v.attr("value").unwrap_or("").to_string()
            };
            let options = el
                .select(&sel("option"))
                .map(|o| {
                    (
                        o.value()
                            .attr("value")
                            .map(str::to_string)
                            .unwrap_or_else(|| o.text().collect()),
                        o.value().attr("selected").is_some(),
                    )
                })
                .collect();
            inputs.push(Input {
                name,
                kind,
                value,
                checked: v.attr("checked").is_some(),
                options,
                multiple: v.attr("multiple").is_some(),
            });
        }
        out.push(PageForm {
            method,
            action,
            multipart,
            inputs,
            submit,
        });
    }
    out
}

fn is_text(i: &Input) -> bool {
    matches!(
        i.kind.as_str(),
        "text" | "search" | "textarea" | "url" | "tel"
    ) && i.name != "website"
        && i.name != "_csrf"
}

fn is_url(i: &Input) -> bool {
    i.kind == "url" || i.name.contains("link") || i.name.contains("url")
}

/// A neutral valid-looking value for a field that refused its payload.
fn fallback(i: &Input, n: usize) -> String {
    if !i.value.trim().is_empty() {
        return i.value.clone();
    }
    let name = i.name.as_str();
    let today = web::view::today();
    let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
    if has(&["slug"]) {
        format!("xq-{n}")
    } else if has(&["ags"]) {
        format!("0597{:04}", n % 10_000)
    } else if has(&["email"]) {
        format!("xq{n}@example.org")
    } else if has(&["time", "zeit"]) {
        "10:00".into()
    } else if has(&["date", "datum", "_on", "due", "opens", "closes", "day"]) || i.kind == "date" {
        today
    } else if has(&["link", "url"]) {
        format!("https://example.org/xq{n}")
    } else if has(&[
        "population",
        "minutes",
        "percent",
        "cost",
        "eur",
        "amount",
        "value",
        "baseline",
        "target",
        "capacity",
        "days",
        "points",
        "max",
        "min",
        "scale",
        "year",
        "weight",
        "rate",
        "share",
        "number",
        "zahl",
        "budget",
        "dots",
        "lat",
        "lon",
        "priority",
        "staff",
    ]) {
        "5".into()
    } else {
        format!("Text XQ{n}Q")
    }
}

/// Everything the test learned.
#[derive(Default)]
struct Findings {
    /// marker number → the exact value typed.
    typed: BTreeMap<usize, String>,
    /// markers of accepted submissions.
    accepted: BTreeSet<usize>,
    /// markers found back verbatim (page text, attribute values, JSON strings).
    rendered: BTreeSet<usize>,
    forms_submitted: usize,
    /// (duration, request) of the slowest requests, for the summary.
    slow: Vec<(std::time::Duration, String)>,
    forms_accepted: usize,
    pages: usize,
    csv_files: usize,
    json_docs: usize,
    next: usize,
}

impl Findings {
    fn note_text(&mut self, text: &str) {
        let re = marker_re();
        for cap in re.captures_iter(text) {
            let Ok(n) = cap[1].parse::<usize>() else {
                continue;
            };
            if let Some(typed) = self.typed.get(&n)
                && text.contains(typed.trim())
            {
                self.rendered.insert(n);
            }
        }
    }
}

fn marker_re() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"XQ(\d+)Q").expect("regex"))
}

/// No element a payload could have made: no script carrying a payload, no event handler attribute, no
/// `javascript:` address; and note the markers found back verbatim.
fn check_html(body: &str, what: &str, found: &mut Findings) {
    let doc = Html::parse_document(body);
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let v = el.value();
        if v.name() == "script" {
            let text: String = el.text().collect();
            assert!(
                !text.contains("alert(") && !text.contains("XQ"),
                "{what}: a script made by a payload: {text}"
            );
        }
        for (attr, value) in v.attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{what}: <{} {attr}=\"{value}\">",
                v.name()
            );
            let lower = value.trim().to_ascii_lowercase();
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                assert!(
                    !lower.starts_with("javascript:") && !lower.starts_with("data:text/html"),
                    "{what}: <{} {attr}=\"{value}\">",
                    v.name()
                );
            }
            if value.contains("XQ") {
                found.note_text(value);
            }
        }
    }
    for text in doc.root_element().text() {
        if text.contains("XQ") {
            found.note_text(text);
        }
    }
}

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// No cell of a CSV download starts a formula (numbers such as `-2,5` are fine).
fn check_csv(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{what}: not CSV: {e}"));
        for cell in rec.iter() {
            let numeric = cell
                .replace(['.', ','], "")
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit());
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && !numeric);
            assert!(!formula, "{what}: a cell starts a formula: {cell}");
        }
    }
}

fn skip_link(link: &str) -> bool {
    let path = link.split('?').next().unwrap_or(link);
    path.contains("/events")
        || path.ends_with(".pdf")
        || path.ends_with(".xlsx")
        || path.contains("/abmelden")
        || path.contains("/static/")
        || path.contains("/fotos/")
        || path.contains("/bilder/")
        || path.ends_with("/qr.svg")
        || path.contains("/zugangscodes")
}

/// Visit every page reachable from `seeds` by links (one or two variants of each path), check each
/// answer, and return the forms found.
async fn crawl(
    app: &TestApp,
    c: &Client,
    who: &str,
    seeds: &[String],
    found: &mut Findings,
) -> Vec<(String, PageForm)> {
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut per_path: HashMap<String, usize> = HashMap::new();
    let mut forms = Vec::new();
    let a = sel("a[href]");
    while let Some(url) = queue.pop_front() {
        if found.pages > 6_000 {
            break;
        }
        let t = std::time::Instant::now();
        let r = app.get(c, &url).await;
        found.slow.push((t.elapsed(), format!("GET {url}")));
        found.pages += 1;
        let status = r.status();
        assert!(!status.is_server_error(), "GET {url} as {who}: {status}");
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = r.bytes().await.expect("body");
        if ct.starts_with("text/csv") {
            found.csv_files += 1;
            check_csv(&bytes, &format!("GET {url} as {who}"));
            continue;
        }
        if ct.contains("json") {
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("GET {url} as {who}: invalid JSON: {e}"));
            found.json_docs += 1;
            let mut strings = Vec::new();
            json_strings(&v, &mut strings);
            for s in strings.iter().filter(|s| s.contains("XQ")) {
                found.note_text(s);
            }
            continue;
        }
        if !ct.starts_with("text/html") {
            continue;
        }
        let body = String::from_utf8_lossy(&bytes).into_owned();
        check_html(&body, &format!("GET {url} as {who}"), found);
        let doc = Html::parse_document(&body);
        let path_only = url.split('?').next().unwrap_or(&url).to_string();
        for f in forms_of(&doc, &path_only) {
            forms.push((url.clone(), f));
        }
        for link in doc.select(&a) {
            let href = link.value().attr("href").unwrap_or("");
            let href = href.split('#').next().unwrap_or("");
            if !href.starts_with('/') || href.starts_with("//") || skip_link(href) {
                continue;
            }
            let path = href.split('?').next().unwrap_or(href).to_string();
            let n = per_path.entry(path).or_default();
            if *n >= 1 || seen.contains(href) {
                continue;
            }
            *n += 1;
            seen.insert(href.to_string());
            queue.push_back(href.to_string());
        }
    }
    forms
}

/// The key under which equal forms (the same action with other ids, the same fields) are submitted once.
fn form_key(f: &PageForm) -> String {
    let action = regex::Regex::new(r"/\d+")
        .expect("regex")
        .replace_all(f.action.split('?').next().unwrap_or(""), "/N")
        .into_owned();
    let names: BTreeSet<&str> = f.inputs.iter().map(|i| i.name.as_str()).collect();
    format!("{} {action} {names:?}", f.method)
}

/// Fill and submit one form, replacing refused values by neutral ones for up to four rounds.
async fn submit(app: &TestApp, c: &Client, who: &str, f: &PageForm, found: &mut Findings) {
    let mut values: Vec<(String, String, Option<usize>)> = Vec::new();
    let mut radios = BTreeSet::new();
    for i in &f.inputs {
        match i.kind.as_str() {
            "checkbox" => {
                if i.checked || i.name.contains("consent") {
                    let v = if i.value.is_empty() { "on" } else { &i.value };
                    values.push((i.name.clone(), v.to_string(), None));
                }
            }
            "radio" => {
                let first_of_name = radios.insert(i.name.clone());
                let checked_exists = f
                    .inputs
                    .iter()
                    .any(|o| o.name == i.name && o.kind == "radio" && o.checked);
                if i.checked || (first_of_name && !checked_exists) {
                    values.push((i.name.clone(), i.value.clone(), None));
                }
            }
            "select" => {
                let selected: Vec<&String> = i
                    .options
                    .iter()
                    .filter(|(_, s)| *s)
                    .map(|(v, _)| v)
                    .collect();
                if i.multiple {
                    for v in selected {
                        values.push((i.name.clone(), v.clone(), None));
                    }
                } else {
                    let v = selected
                        .first()
                        .map(|v| v.to_string())
                        .or_else(|| {
                            i.options
                                .iter()
                                .map(|(v, _)| v)
                                .find(|v| !v.is_empty())
                                .cloned()
                        })
                        .unwrap_or_default();
                    values.push((i.name.clone(), v, None));
                }
            }
            "file" | "password" => {}
            "email" => values.push((i.name.clone(), fallback(i, found.next), None)),
            "hidden" => values.push((i.name.clone(), i.value.clone(), None)),
            "number" | "date" | "time" | "datetime-local" | "range" => {
                values.push((i.name.clone(), fallback(i, found.next), None))
            }
            _ if is_text(i) => {
                found.next += 1;
                let n = found.next;
                let v = if is_url(i) {
                    format!("{URL_PAYLOAD}XQ{n}Q")
                } else if i.kind == "textarea" {
                    // Text areas are often Markdown: a link and an element it must not let through.
                    format!(
                        "{} XQ{n}Q\n\n{MARKDOWN_PAYLOAD}",
                        PAYLOADS[n % PAYLOADS.len()]
                    )
                } else {
                    format!("{} XQ{n}Q", PAYLOADS[n % PAYLOADS.len()])
                };
                found.typed.insert(n, v.clone());
                values.push((i.name.clone(), v, Some(n)));
            }
            _ => values.push((i.name.clone(), i.value.clone(), None)),
        }
    }
    if let Some((name, value)) = &f.submit {
        values.push((name.clone(), value.clone(), None));
    }
    found.forms_submitted += 1;
    let errors_sel = sel(".error-summary a[href^='#f-']");
    for round in 0..5 {
        let t = std::time::Instant::now();
        let what = format!("{} {} as {who} (round {round})", f.method, f.action);
        let pairs: Vec<(String, String)> = values
            .iter()
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect();
        let r = if f.method == Method::GET {
            let url = reqwest::Url::parse_with_params(&app.url(&f.action), &pairs).expect("url");
            c.get(url).send().await.expect("GET")
        } else if f.multipart {
            let mut form = Form::new();
            for (k, v) in pairs {
                form = form.text(k, v);
            }
            c.post(app.url(&f.action))
                .multipart(form)
                .send()
                .await
                .expect("POST")
        } else {
            c.post(app.url(&f.action))
                .form(&pairs)
                .send()
                .await
                .expect("POST")
        };
        found.slow.push((t.elapsed(), what.clone()));
        let status = r.status();
        assert!(!status.is_server_error(), "{what}: {status}");
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = r.text().await.expect("body");
        if ct.starts_with("text/html") {
            check_html(&body, &what, found);
        }
        if status.is_redirection() || status == StatusCode::OK {
            found.forms_accepted += 1;
            found
                .accepted
                .extend(values.iter().filter_map(|(_, _, n)| *n));
            return;
        }
        if status != StatusCode::UNPROCESSABLE_ENTITY && status != StatusCode::BAD_REQUEST {
            return;
        }
        let doc = Html::parse_document(&body);
        let bad: BTreeSet<String> = doc
            .select(&errors_sel)
            .filter_map(|a| a.value().attr("href"))
            .map(|h| h.trim_start_matches("#f-").to_string())
            .collect();
        let mut changed = false;
        for (name, value, n) in values.iter_mut() {
            let hit = bad
                .iter()
                .any(|b| b == name || name.starts_with(b.as_str()));
            if hit || (bad.is_empty() && round >= 1 && n.is_some()) {
                let input = f.inputs.iter().find(|i| &i.name == name);
                if let Some(input) = input {
                    let new = fallback(input, found.next + 1000 + round);
                    if &new != value {
                        *value = new;
                        *n = None;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return;
        }
    }
}

async fn every_text_field_is_stored_verbatim_and_rendered_escaped(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    app.user("xq-admin@x.de", Some("admin"), &[]).await;
    app.user("xq-koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    app.user("xq-teilnahme@x.de", None, &[("arnsberg", "participant")])
        .await;
    let tables = [
        "users",
        "municipalities",
        "measures",
        "memberships",
        "sessions",
        "workshops",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(app.count(t).await);
    }

    let seeds: Vec<String> = crate::leaks::get_routes()
        .into_iter()
        .filter(|r| !r.contains('{') && !skip_link(r))
        .chain(
            ["arnsberg", "siegen", "wassenberg"]
                .iter()
                .map(|s| format!("/kommunen/{s}")),
        )
        .collect();
    let mut found = Findings::default();
    let mut done: HashMap<String, usize> = HashMap::new();
    for who in ["xq-admin@x.de", "xq-koord@x.de", "xq-teilnahme@x.de"] {
        let c = app.login(who).await;
        let forms = crawl(&app, &c, who, &seeds, &mut found).await;
        for (_page, f) in forms {
            let action = f.action.to_ascii_lowercase();
            if SKIP_ACTIONS.iter().any(|s| action.contains(s)) || !f.inputs.iter().any(is_text) {
                continue;
            }
            let n = done.entry(form_key(&f)).or_default();
            if *n >= 2 {
                continue;
            }
            *n += 1;
            submit(&app, &c, who, &f, &mut found).await;
        }
    }
    // Everything is read again, as the admin and anonymously, after the search index caught up.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let admin = app.login("xq-admin@x.de").await;
    let mut extra = seeds.clone();
    extra.push("/api/v1/search?q=XQ".into());
    for slug in ["arnsberg", "siegen", "wassenberg"] {
        extra.push(format!(
            "/api/v1/municipalities/{slug}/measures?per_page=100"
        ));
        extra.push(format!("/api/v1/municipalities/{slug}/participations"));
        extra.push(format!("/api/v1/municipalities/{slug}"));
    }
    crawl(&app, &admin, "admin (after)", &extra, &mut found).await;
    crawl(&app, &app.client(), "anonymous (after)", &extra, &mut found).await;

    let rendered_payloads: BTreeSet<usize> = found
        .rendered
        .iter()
        .copied()
        .filter(|n| found.accepted.contains(n))
        .collect();
    let sql_back = rendered_payloads
        .iter()
        .filter(|n| found.typed[n].contains("DROP TABLE") || found.typed[n].contains("'1'='1"))
        .count();
    let script_back = rendered_payloads
        .iter()
        .filter(|n| found.typed[n].contains("<script>"))
        .count();
    found.slow.sort();
    eprintln!(
        "injection: slowest {:?}",
        found.slow.iter().rev().take(12).collect::<Vec<_>>()
    );
    eprintln!(
        "injection: {} pages, {} forms submitted ({} accepted), {} text fields filled, {} accepted, \
         {} rendered back verbatim ({sql_back} SQL, {script_back} script), {} CSV files, {} JSON documents",
        found.pages,
        found.forms_submitted,
        found.forms_accepted,
        found.typed.len(),
        found.accepted.len(),
        rendered_payloads.len(),
        found.csv_files,
        found.json_docs
    );
    assert!(
        found.forms_submitted >= 40,
        "only {} forms",
        found.forms_submitted
    );
    assert!(
        rendered_payloads.len() >= 150,
        "only {} payloads came back",
        rendered_payloads.len()
    );
    assert!(sql_back >= 5, "SQL payloads came back {sql_back} times");
    assert!(
        script_back >= 5,
        "script payloads came back {script_back} times"
    );
    assert!(found.csv_files >= 3, "only {} CSV files", found.csv_files);
    assert!(
        found.json_docs >= 5,
        "only {} JSON documents",
        found.json_docs
    );
    // The tables are intact: nothing dropped, nothing lost.
    for (t, n) in tables.iter().zip(before) {
        let now = app.count(t).await;
        assert!(now >= n, "{t}: {n} rows before, {now} after");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Uploads

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
const HTML_AS_PNG: &[u8] =
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
const SVG_AS_PNG: &[u8] =
    b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";

async fn csrf_token(app: &TestApp, c: &Client) -> String {
    let (_, page) = app.get_text(c, "/impressum").await;
    csrf_from(&page)
}

async fn progress_upload(
    app: &TestApp,
    c: &Client,
    measure: i64,
    bytes: Vec<u8>,
) -> Result<reqwest::Response, reqwest::Error> {
    let token = csrf_token(app, c).await;
    let form = Form::new()
        .text("reported_on", web::view::today())
        .text("percent", "40")
        .text("body", "Bericht mit Foto")
        .text("milestone_id", "")
        .part("photo1", Part::bytes(bytes).file_name("foto.png"))
        .text("alt1", "Ein Foto");
    c.post(app.url(&format!(
        "/kommunen/arnsberg/massnahmen/{measure}/fortschritt?_csrf={token}"
    )))
    .multipart(form)
    .send()
    .await
}

async fn image_upload(
    app: &TestApp,
    c: &Client,
    slug: &str,
    bytes: Vec<u8>,
) -> Result<reqwest::Response, reqwest::Error> {
    let token = csrf_token(app, c).await;
    let form = Form::new()
        .part("image", Part::bytes(bytes).file_name("bild.png"))
        .text("image_alt", "Ein Bild");
    c.post(app.url(&format!("/netzwerk/magazin/{slug}/bilder?_csrf={token}")))
        .multipart(form)
        .send()
        .await
}

/// A body beyond the route's limit (`DefaultBodyLimit`) is refused — with 413, or with the form and its
/// "larger than 5 MB" message when the limit stops the reading of a photo — or the connection is closed
/// before the client has sent it all. Nothing is stored (checked by the caller).
async fn refused_as_too_large(r: Result<reqwest::Response, reqwest::Error>, what: &str) {
    match r {
        Ok(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {}
        Ok(r) => {
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
            let body = r.text().await.expect("body");
            assert!(body.contains("größer als 5 MB"), "{what}: {body}");
        }
        Err(e) => assert!(
            e.is_request() || e.is_body() || e.to_string().contains("connection"),
            "{what}: {e}"
        ),
    }
}

fn assert_safe_image_headers(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    assert_eq!(h["content-type"], "image/png", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert!(
        h["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline"),
        "{what}"
    );
    let csp = h["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("sandbox"), "{what}: {csp}");
}

async fn uploads_are_checked_by_content_and_size_and_served_safely(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let city = store::municipalities::by_slug(&app.db, "arnsberg")
        .await
        .expect("city")
        .id;
    let measure = crate::strategy::measure(
        &app,
        city,
        "Sensoren am Markt",
        domain::visibility::Visibility::Oeffentlich,
        "umsetzung",
    )
    .await;
    let red = app.login("red@x.de").await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/netzwerk/magazin/neu",
            &[
                ("title", "Bilder am Markt"),
                ("teaser", "Kurz"),
                ("body_md", "Text"),
                ("visibility", "oeffentlich"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "article");
    let slug = crate::harness::location(&r)
        .trim_start_matches("/netzwerk/magazin/")
        .split('/')
        .next()
        .expect("slug")
        .to_string();

    // Markup named .png: refused by its bytes, for photos and magazine images alike.
    for bytes in [HTML_AS_PNG, SVG_AS_PNG] {
        let r = progress_upload(&app, &red, measure, bytes.to_vec())
            .await
            .expect("POST");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("kein Foto im Format PNG, JPEG oder WebP")
        );
        let r = image_upload(&app, &admin, &slug, bytes.to_vec())
            .await
            .expect("POST");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("kein Foto im Format PNG, JPEG oder WebP")
        );
    }
    // A magazine image just over 5 MiB: refused with a message.
    let mut big = PNG.to_vec();
    big.resize(domain::progress::PHOTO_MAX_BYTES + 1, 0);
    let r = image_upload(&app, &admin, &slug, big).await.expect("POST");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("größer als 5 MB"));
    // Bodies far beyond the routes' limits: refused before they are read.
    let mut huge = PNG.to_vec();
    huge.resize(40 * 1024 * 1024, 0);
    refused_as_too_large(
        progress_upload(&app, &red, measure, huge.clone()).await,
        "progress report of 40 MiB",
    )
    .await;
    refused_as_too_large(
        image_upload(&app, &admin, &slug, huge).await,
        "magazine image of 40 MiB",
    )
    .await;
    assert_eq!(app.count("uploads").await, 0, "no photo stored");
    assert_eq!(app.count("article_images").await, 0, "no image stored");
    assert_eq!(app.count("progress_reports").await, 0, "no report stored");

    // What is accepted is served as an image only.
    let r = progress_upload(&app, &red, measure, PNG.to_vec())
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let photo = store::progress::photos(&app.db, measure)
        .await
        .expect("photos")[0]
        .upload_id;
    let r = app
        .get(&app.client(), &format!("/kommunen/arnsberg/fotos/{photo}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_safe_image_headers(&r, "progress photo");
    let r = image_upload(&app, &admin, &slug, PNG.to_vec())
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let article = store::exchange::by_slug(&app.db, &slug)
        .await
        .expect("article");
    let image = store::exchange::images(&app.db, article.id)
        .await
        .expect("images")[0]
        .id;
    let r = app
        .get(&admin, &format!("/netzwerk/magazin/bilder/{image}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_safe_image_headers(&r, "magazine image");
}
