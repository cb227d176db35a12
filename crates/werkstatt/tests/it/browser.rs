//! Browser tests in headless Chromium over WebDriver, with axe-core on every page visited: no serious or
//! critical violation is allowed; milder findings are printed.

use crate::case;
use crate::harness::{Case, Needs, PASSWORD, TestApp, axe_path};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            admin_logs_in_creates_a_municipality_and_sees_it,
            Needs::Browser
        ),
        case!(
            editor_creates_a_measure_changes_its_status_and_sees_the_history,
            Needs::Browser
        ),
    ]
}

/// A chromedriver process and a Chromium session driven through it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = serde_json::Map::new();
        let mut opts = serde_json::json!({ "args": args });
        if std::path::Path::new("/usr/bin/chromium").exists() {
            opts["binary"] = serde_json::json!("/usr/bin/chromium");
        }
        caps.insert("goog:chromeOptions".into(), opts);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Run axe-core on the current page; panics on serious or critical violations.
    pub async fn axe(&self, label: &str) {
        let source = std::fs::read_to_string(axe_path()).expect("axe-core");
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .expect("inject axe");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })))))
              .catch(e => done('ERROR ' + e));
        "#;
        let out = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe.run");
        let text = out.as_str().unwrap_or_default().to_string();
        assert!(!text.starts_with("ERROR"), "axe failed on {label}: {text}");
        let violations: Vec<serde_json::Value> = serde_json::from_str(&text).expect("axe json");
        let (bad, mild): (Vec<_>, Vec<_>) = violations
            .into_iter()
            .partition(|v| matches!(v["impact"].as_str(), Some("serious") | Some("critical")));
        for v in &mild {
            eprintln!("axe ({label}): {} [{}] {}", v["id"], v["impact"], v["help"]);
        }
        assert!(
            bad.is_empty(),
            "axe: serious/critical violations on {label}: {bad:#?}"
        );
        if let Ok(dir) = std::env::var("WERKSTATT_SCREENSHOTS") {
            let png = self.client.screenshot().await.expect("screenshot");
            let name: String = label
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png);
        }
    }

    pub async fn visit(&self, app: &TestApp, path: &str) -> String {
        self.client.goto(&app.url(path)).await.expect("goto");
        self.axe(path).await;
        self.client.source().await.expect("source")
    }

    pub async fn fill(&self, id: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("field #{id}"));
        el.clear().await.expect("clear");
        el.send_keys(value).await.expect("type");
    }

    pub async fn select(&self, id: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|_| panic!("select #{id}"));
        el.select_by_value(value)
            .await
            .unwrap_or_else(|_| panic!("option {value} of #{id}"));
    }

    pub async fn click(&self, css: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("element {css}"));
        el.click().await.unwrap_or_else(|_| panic!("click {css}"));
    }

    /// The `value` attribute of the first element matching `css`.
    pub async fn value_of(&self, css: &str) -> String {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("element {css}"));
        el.attr("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{css} has no value"))
    }

    pub async fn submit(&self, button_css: &str) {
        self.client
            .find(Locator::Css(button_css))
            .await
            .expect("button")
            .click()
            .await
            .expect("click");
    }

    /// Wait until an element matching `css` is on the page (polling, robust against navigation in between).
    pub async fn wait_css(&self, css: &str) {
        let started = Instant::now();
        loop {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no element {css} within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.expect("url");
            let here = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            if here == path {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "expected {path}, still at {here}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn admin_logs_in_creates_a_municipality_and_sees_it(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    app.user("admin@x.de", Some("admin"), &[]).await;
    let b = Browser::start().await;

    let home = b.visit(&app, "/").await;
    assert!(home.contains("Arnsberg") && home.contains("Mittelstadt"));
    // The first thing the keyboard reaches is the skip link.
    b.client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys("\u{E004}")
        .await
        .expect("tab");
    let focused = b
        .client
        .execute("return document.activeElement.className;", vec![])
        .await
        .expect("js");
    assert_eq!(focused.as_str(), Some("skip-link"));

    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "admin@x.de").await;
    b.fill("f-password", PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;

    b.visit(&app, "/admin/kommunen").await;
    b.client
        .find(Locator::LinkText("Neue Kommune anlegen"))
        .await
        .expect("link")
        .click()
        .await
        .expect("click");
    b.wait_for_path("/admin/kommunen/neu").await;
    b.axe("/admin/kommunen/neu").await;
    // Bad input: the error summary lists every problem, and the form is checked by axe in that state.
    b.fill("f-ags", "123").await;
    b.submit("main form button[type=submit]").await;
    b.wait_css(".error-summary").await;
    b.axe("/admin/kommunen/neu (errors)").await;
    let page = b.client.source().await.expect("source");
    assert!(page.contains("genau 8 Ziffern") && page.contains(r#"value="123""#));

    b.fill("f-name", "Olpe").await;
    b.fill("f-slug", "olpe").await;
    b.fill("f-ags", "05966020").await;
    b.fill("f-population", "24.688").await;
    b.select("f-state", "05").await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/admin/kommunen?ok=created").await;
    b.axe("/admin/kommunen?ok=created").await;

    let home = b.visit(&app, "/").await;
    assert!(
        home.contains(r#"href="/kommunen/olpe""#),
        "the new municipality is on the start page"
    );
    let city = b.visit(&app, "/kommunen/olpe").await;
    assert!(city.contains("Mittelstadt") && city.contains("24.688"));

    for path in [
        "/kommunen/arnsberg",
        "/kommunen/arnsberg/mitglieder",
        "/admin/benutzer",
        "/admin/kommunen/arnsberg/bearbeiten",
        "/admin/seiten/barrierefreiheit",
        "/konto",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        "/nicht/vorhanden",
    ] {
        b.visit(&app, path).await;
    }
    // Logged out: log-in errors, password reset and the English UI.
    b.click("form[action='/abmelden'] button").await;
    b.wait_for_path("/anmelden?ok=logout").await;
    b.axe("/anmelden?ok=logout").await;
    b.submit("main form button[type=submit]").await;
    b.wait_css(".error-summary").await;
    b.axe("/anmelden (errors)").await;
    b.visit(&app, "/passwort-vergessen").await;
    b.submit("form.lang-switch button").await;
    b.wait_css("html[lang=en]").await;
    b.wait_for_path("/passwort-vergessen").await;
    let en = b.client.source().await.expect("source");
    assert!(en.contains(r#"lang="en""#) && en.contains("Forgot password"));
    b.axe("/passwort-vergessen (en)").await;
    b.stop().await;
}

async fn editor_creates_a_measure_changes_its_status_and_sees_the_history(app: TestApp) {
    web::demo::load(&app.db).await.expect("demo");
    let b = Browser::start().await;
    b.visit(&app, "/anmelden").await;
    b.fill("f-email", "koordination.arnsberg@werkstatt.demo")
        .await;
    b.fill("f-password", web::demo::DEMO_PASSWORD).await;
    b.submit("main form button[type=submit]").await;
    b.wait_for_path("/").await;

    for path in [
        "/kommunen/arnsberg",
        "/kommunen/arnsberg/prozess",
        "/kommunen/arnsberg/leitbild",
        "/kommunen/arnsberg/leitbild?von=1&bis=2",
        "/kommunen/arnsberg/leitbild/bearbeiten",
        "/kommunen/arnsberg/handlungsfelder",
        "/kommunen/arnsberg/akteure",
        "/kommunen/arnsberg/massnahmen",
        "/kommunen/arnsberg/massnahmen?status=umsetzung&sortierung=prioritaet",
        "/kommunen/arnsberg/massnahmen/vorlagen",
        "/kommunen/arnsberg/massnahmen/1",
        "/kommunen/arnsberg/massnahmen/1/bearbeiten",
        "/kommunen/arnsberg/werkstaetten",
        "/kommunen/arnsberg/werkstaetten/neu",
        "/kommunen/arnsberg/werkstaetten/1",
    ] {
        b.visit(&app, path).await;
    }

    b.visit(&app, "/kommunen/arnsberg/massnahmen/neu").await;
    b.submit("form.sheet-form > button[type=submit]").await;
    b.wait_css(".error-summary").await;
    b.axe("/kommunen/arnsberg/massnahmen/neu (errors)").await;
    b.fill("f-title", "Digitale Sitzbank-Sensorik am Neumarkt")
        .await;
    b.fill(
        "f-short_description",
        "Sensoren messen Temperatur und Nutzung der Sitzbänke.",
    )
    .await;
    b.select("f-visibility", "oeffentlich").await;
    b.select("f-priority", "hoch").await;
    b.click("#f-quick_win").await;
    let mob = b.value_of("#f-primary_field_id option:nth-child(2)").await;
    b.select("f-primary_field_id", &mob).await;
    b.click("#f-tag_ids input[type=checkbox]").await;
    b.fill("f-target_groups", "Seniorinnen und Senioren\nBesuchende")
        .await;
    b.fill("f-lead_unit", "Fachdienst Stadtgrün").await;
    b.fill("f-investment_costs", "35.000").await;
    b.fill("f-staff_need_fte", "0,2").await;
    b.fill("f-risks", "Vandalismus").await;
    for (id, value) in [
        (
            "f-initial_situation",
            "Ältere Menschen meiden heiße Plätze ohne Schatten.",
        ),
        ("f-impact_output", "20 Bänke mit Sensoren"),
        ("f-impact_outcome", "Mehr Aufenthalt in der Innenstadt"),
        ("f-impact_impact", "Hitzeresiliente Innenstadt"),
        ("f-contact", "stadtgruen@arnsberg.example.org"),
        ("f-operating_costs", "2.500"),
        ("f-funding_programme", "Klimaanpassung NRW"),
        ("f-funding_rate_pct", "60"),
        ("f-funding_own_share_pct", "40"),
        ("f-participation_form", "Spaziergang mit dem Seniorenbeirat"),
        (
            "f-council_decision_link",
            "https://ratsinfo.example.org/vorlage/1",
        ),
        (
            "f-location_geojson",
            r#"{"type": "Point", "coordinates": [8.064, 51.396]}"#,
        ),
        ("f-data_protection", "Nur anonyme Zählwerte."),
        ("f-licence", "EUPL-1.2"),
        ("f-repository", "https://code.example.org/sitzbank"),
        ("f-transferability", "Für jede Innenstadt geeignet."),
    ] {
        b.fill(id, value).await;
    }
    let further = b
        .client
        .find_all(Locator::Css("#f-further_field_ids input[type=checkbox]"))
        .await
        .expect("further");
    for el in further {
        if el.attr("value").await.expect("attr").as_deref() != Some(mob.as_str()) {
            el.click().await.expect("click");
            break;
        }
    }
    b.click("#f-goal_ids input[type=checkbox]").await;
    b.select("f-time_horizon", "kurz").await;
    let lead = b
        .value_of("#f-lead_stakeholder_id option:nth-child(2)")
        .await;
    b.select("f-lead_stakeholder_id", &lead).await;
    b.submit("form.sheet-form > button[type=submit]").await;
    let started = Instant::now();
    loop {
        let url = b.client.current_url().await.expect("url");
        if url.query() == Some("ok=created") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "measure not created; at {url}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.axe("measure detail (new)").await;
    let page = b.client.source().await.expect("source");
    assert!(
        page.contains("Digitale Sitzbank-Sensorik am Neumarkt")
            && page.contains("35.000 €")
            && page.contains("Quick Win")
    );

    // Status: the coordinator moves it along the workflow.
    b.select("status-to", "geprueft").await;
    b.submit("#f-status button[type=submit]").await;
    b.wait_css(".status-geprueft").await;
    let page = b.client.source().await.expect("source");
    assert!(
        page.contains("Änderungsverlauf") && page.contains("Version 2"),
        "history shows the status change"
    );
    assert!(
        page.contains("<del>idee</del>") && page.contains("<ins>geprueft</ins>"),
        "field-level diff of the status"
    );
    b.axe("measure detail (history)").await;
    b.stop().await;
}
