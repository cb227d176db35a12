//! Accounts: log-in, throttling, CSRF, password reset, invitations, member management, SMTP delivery.

use crate::case;
use crate::harness::{Case, Needs, PASSWORD, TestApp, link_in, location};
use reqwest::StatusCode;
use std::time::Duration;

pub fn cases() -> Vec<Case> {
    vec![
        case!(login_and_logout),
        case!(wrong_password_is_refused_in_german),
        case!(login_is_throttled_per_account_across_nodes),
        case!(login_is_throttled_per_ip),
        case!(unsafe_requests_without_valid_csrf_are_refused),
        case!(password_reset_by_mail_link),
        case!(invitation_by_admin_creates_account_with_role),
        case!(invitation_adds_role_to_existing_account),
        case!(coordinator_manages_members_of_their_city),
        case!(change_own_password),
        case!(
            mail_goes_out_over_real_smtp_and_waits_when_it_is_down,
            Needs::Smtp
        ),
    ]
}

async fn login_and_logout(app: TestApp) {
    app.user("anna@x.de", None, &[]).await;
    let c = app.client();
    let r = app.get(&c, "/konto").await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/anmelden?next=%2Fkonto".to_string())
    );
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[
                ("email", " Anna@X.de "),
                ("password", PASSWORD),
                ("next", "/konto"),
            ],
        )
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/konto".to_string())
    );
    let (s, body) = app.get_text(&c, "/konto").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("anna@x.de"));
    assert_eq!(app.count("sessions").await, 1);
    let r = app.post_form(&c, "/abmelden", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("sessions").await,
        0,
        "log-out ends the session in the database"
    );
    assert_eq!(app.get(&c, "/konto").await.status(), StatusCode::SEE_OTHER);
    // An off-site `next` is not followed.
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[
                ("email", "anna@x.de"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/");
}

async fn wrong_password_is_refused_in_german(app: TestApp) {
    app.user("anna@x.de", None, &[]).await;
    let c = app.client();
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", "falsch-falsch")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body = r.text().await.expect("body");
    assert!(body.contains("E-Mail-Adresse oder Passwort ist nicht richtig."));
    assert!(
        body.contains(r#"value="anna@x.de""#),
        "e-mail stays filled in"
    );
    assert!(
        !body.contains("falsch-falsch"),
        "the password is never echoed"
    );
    let r = app
        .post_form(&c, "/anmelden", &[("email", ""), ("password", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(
        body.contains(r##"<a href="#f-email">"##) && body.contains(r##"<a href="#f-password">"##)
    );
    // Unknown accounts get the same answer.
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "nobody@x.de"), ("password", "falsch-falsch")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("sessions").await, 0);
}

async fn login_is_throttled_per_account_across_nodes(app: TestApp) {
    app.user("anna@x.de", None, &[]).await;
    let node_b = app.second_node().await;
    let c = app.client();
    for _ in 0..5 {
        let r = app
            .post_form(
                &c,
                "/anmelden",
                &[("email", "anna@x.de"), ("password", "falsch-falsch")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now, on this node and on another node of the same database.
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Zu viele fehlgeschlagene Anmeldeversuche")
    );
    let other = node_b.client();
    let r = node_b
        .post_form(
            &other,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the limit is shared through the database"
    );
    assert_eq!(app.count("sessions").await, 0);
    // The failure rows hold hashes, never the address itself.
    let keys: Vec<String> = match app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query_scalar("SELECT throttle_key FROM login_failures")
            .fetch_all(p)
            .await
            .expect("q"),
        store::Pool::Postgres(p) => sqlx::query_scalar("SELECT throttle_key FROM login_failures")
            .fetch_all(p)
            .await
            .expect("q"),
    };
    assert!(
        !keys.is_empty()
            && keys
                .iter()
                .all(|k| !k.contains("anna") && !k.contains("127.0.0.1")),
        "{keys:?}"
    );
}

async fn login_is_throttled_per_ip(app: TestApp) {
    app.user("last@x.de", None, &[]).await;
    let c = app.client();
    for i in 0..30 {
        let email = format!("guess{i}@x.de");
        let r = app
            .post_form(
                &c,
                "/anmelden",
                &[("email", email.as_str()), ("password", "falsch-falsch")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = app
        .post_form(
            &app.client(),
            "/anmelden",
            &[("email", "last@x.de"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "30 failures from one address block it"
    );
}

async fn unsafe_requests_without_valid_csrf_are_refused(app: TestApp) {
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let fields = [
        ("slug", "neu"),
        ("name", "Neu"),
        ("ags", "05966004"),
        ("population", "1000"),
        ("state", "05"),
    ];
    // No token.
    let r = admin
        .post(app.url("/admin/kommunen/neu"))
        .form(&fields)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("Formular abgelaufen")
    );
    // A wrong token.
    let mut wrong = vec![("_csrf", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = admin
        .post(app.url("/admin/kommunen/neu"))
        .form(&wrong)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The right token, but sent from another site.
    let token = app.csrf(&admin).await;
    let mut right = vec![("_csrf", token.clone())];
    right.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = admin
        .post(app.url("/admin/kommunen/neu"))
        .header("origin", "https://evil.example")
        .form(&right)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .post(app.url("/admin/kommunen/neu"))
        .header("sec-fetch-site", "cross-site")
        .form(&right)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // JSON bodies need the header token.
    let r = admin
        .post(app.url("/abmelden"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("municipalities").await, 0, "nothing was created");
    assert_eq!(app.count("sessions").await, 1, "nothing was logged out");
    // Same origin with the token works.
    let origin = app.base.clone();
    let r = admin
        .post(app.url("/admin/kommunen/neu"))
        .header("origin", origin)
        .form(&right)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("municipalities").await, 1);
}

async fn password_reset_by_mail_link(app: TestApp) {
    app.user("anna@x.de", None, &[]).await;
    let c = app.client();
    let r = app
        .post_form(&c, "/passwort-vergessen", &[("email", "keine-adresse")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(&c, "/passwort-vergessen", &[("email", "Anna@x.de")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let answer_known = r.text().await.expect("body");
    let r = app
        .post_form(&c, "/passwort-vergessen", &[("email", "unbekannt@x.de")])
        .await;
    let answer_unknown = r.text().await.expect("body");
    let strip = |s: &str| crate::harness::csrf_from(s);
    assert_eq!(
        answer_known.replace(&strip(&answer_known), ""),
        answer_unknown.replace(&strip(&answer_unknown), ""),
        "no account enumeration"
    );
    let mail = app.wait_for_mail("anna@x.de", 1).await;
    assert!(
        mail.contains("Subject: Smart City Werkstatt: Neues Passwort festlegen"),
        "{mail}"
    );
    let link = link_in(&mail, "/passwort-neu/");
    assert_eq!(app.get(&c, &link).await.status(), StatusCode::OK);
    let r = app
        .post_form(
            &c,
            &link,
            &[
                ("password", "neues-passwort-1"),
                ("password_confirm", "anders"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("stimmen nicht überein")
    );
    let r = app
        .post_form(
            &c,
            &link,
            &[
                ("password", "neues-passwort-1"),
                ("password_confirm", "neues-passwort-1"),
            ],
        )
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/anmelden?ok=reset".to_string())
    );
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let r = app
        .post_form(
            &c,
            "/anmelden",
            &[("email", "anna@x.de"), ("password", "neues-passwort-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&c, &link).await.status(),
        StatusCode::GONE,
        "a link works once"
    );
    assert_eq!(
        app.get(&c, "/passwort-neu/abc").await.status(),
        StatusCode::GONE
    );
    assert_eq!(app.mails_to("unbekannt@x.de").len(), 0);
}

async fn invitation_by_admin_creates_account_with_role(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    let admin = app.login("admin@x.de").await;
    let r = app
        .post_form(
            &admin,
            "/admin/benutzer/einladen",
            &[
                ("email", "neu@x.de"),
                ("grant", "city:editor"),
                ("municipality", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a city role needs a municipality"
    );
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("bitte eine Kommune wählen")
    );
    let r = app
        .post_form(
            &admin,
            "/admin/benutzer/einladen",
            &[
                ("email", "neu@x.de"),
                ("grant", "city:editor"),
                ("municipality", "arnsberg"),
            ],
        )
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (
            StatusCode::SEE_OTHER,
            "/admin/benutzer?ok=invited".to_string()
        )
    );
    let mail = app.wait_for_mail("neu@x.de", 1).await;
    assert!(mail.contains("Redaktion in Arnsberg"), "{mail}");
    let link = link_in(&mail, "/einladung/");
    let c = app.client();
    let (s, page) = app.get_text(&c, &link).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Redaktion in Arnsberg") && page.contains("neu@x.de"));
    let users_before = app.count("users").await;
    let r = app
        .post_form(
            &c,
            &link,
            &[
                ("display_name", ""),
                ("password", "kurz"),
                ("password_confirm", "kurz"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.expect("body");
    assert!(
        body.contains("mindestens 10 Zeichen") && body.contains(r##"<a href="#f-display_name">"##)
    );
    assert_eq!(
        app.count("users").await,
        users_before,
        "a failed acceptance creates nothing"
    );
    let r = app
        .post_form(
            &c,
            &link,
            &[
                ("display_name", "Nele Neu"),
                ("password", "ein-gutes-passwort"),
                ("password_confirm", "ein-gutes-passwort"),
            ],
        )
        .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/konto?ok=welcome".to_string())
    );
    let (_, konto) = app.get_text(&c, "/konto?ok=welcome").await;
    assert!(
        konto.contains("Nele Neu") && konto.contains("Arnsberg") && konto.contains("Redaktion")
    );
    assert_eq!(
        app.get(&app.client(), &link).await.status(),
        StatusCode::GONE,
        "an invitation works once"
    );
    let r = app
        .post_form(
            &app.client(),
            &link,
            &[
                ("display_name", "X"),
                ("password", "ein-gutes-passwort"),
                ("password_confirm", "ein-gutes-passwort"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::GONE);
    // Network roles too.
    app.post_form(
        &admin,
        "/admin/benutzer/einladen",
        &[("email", "lenkung@x.de"), ("grant", "network:steering")],
    )
    .await;
    let link = link_in(&app.wait_for_mail("lenkung@x.de", 1).await, "/einladung/");
    let c2 = app.client();
    app.post_form(
        &c2,
        &link,
        &[
            ("display_name", "Lena Lenkung"),
            ("password", "ein-gutes-passwort"),
            ("password_confirm", "ein-gutes-passwort"),
        ],
    )
    .await;
    let u = store::users::by_email(&app.db, "lenkung@x.de")
        .await
        .expect("q")
        .expect("user");
    assert_eq!(u.network_role.as_deref(), Some("steering"));
}

async fn invitation_adds_role_to_existing_account(app: TestApp) {
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    app.user("admin@x.de", Some("admin"), &[]).await;
    let id = app.user("bestand@x.de", None, &[]).await;
    let admin = app.login("admin@x.de").await;
    app.post_form(
        &admin,
        "/admin/benutzer/einladen",
        &[
            ("email", "bestand@x.de"),
            ("grant", "city:participant"),
            ("municipality", "siegen"),
        ],
    )
    .await;
    let link = link_in(&app.wait_for_mail("bestand@x.de", 1).await, "/einladung/");
    let c = app.client();
    let r = app
        .post_form(
            &c,
            &link,
            &[
                ("display_name", "Bea Bestand"),
                ("password", "ein-gutes-passwort"),
                ("password_confirm", "ein-gutes-passwort"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let m = store::users::memberships(&app.db, id).await.expect("m");
    assert_eq!(
        (m.len(), m[0].slug.as_str(), m[0].role.as_str()),
        (1, "siegen", "participant")
    );
    assert_eq!(
        app.count("users").await,
        2,
        "no second account for the same address"
    );
}

async fn coordinator_manages_members_of_their_city(app: TestApp) {
    app.municipality("arnsberg", "Arnsberg", "05958004", 73_456)
        .await;
    app.municipality("siegen", "Siegen", "05970040", 101_943)
        .await;
    let coord = app
        .user("koord@x.de", None, &[("arnsberg", "coordinator")])
        .await;
    let editor = app.user("red@x.de", None, &[("arnsberg", "editor")]).await;
    let foreign = app.user("siegen@x.de", None, &[("siegen", "editor")]).await;
    let c = app.login("koord@x.de").await;
    let (s, page) = app.get_text(&c, "/kommunen/arnsberg/mitglieder").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("red@x.de") && !page.contains("siegen@x.de"),
        "only Arnsberg's members are listed"
    );
    // Invite a participant.
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/mitglieder/einladen",
            &[("email", "buerger@x.de"), ("role", "participant")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        app.wait_for_mail("buerger@x.de", 1)
            .await
            .contains("Teilnehmende in Arnsberg")
    );
    let (_, page) = app.get_text(&c, "/kommunen/arnsberg/mitglieder").await;
    assert!(page.contains("buerger@x.de"), "pending invitation listed");
    let r = app
        .post_form(
            &c,
            "/kommunen/arnsberg/mitglieder/einladen",
            &[("email", "kaputt"), ("role", "chef")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Change a role, refuse to remove the last coordinator, remove a member.
    let r = app
        .post_form(
            &c,
            &format!("/kommunen/arnsberg/mitglieder/{editor}/rolle"),
            &[("role", "participant")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store::users::memberships(&app.db, editor).await.expect("m")[0].role,
        "participant"
    );
    let r = app
        .post_form(
            &c,
            &format!("/kommunen/arnsberg/mitglieder/{coord}/entfernen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("mindestens eine Person in der Kommunal-Koordination")
    );
    let r = app
        .post_form(
            &c,
            &format!("/kommunen/arnsberg/mitglieder/{editor}/entfernen"),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        store::users::memberships(&app.db, editor)
            .await
            .expect("m")
            .is_empty()
    );
    // Another city's member cannot be touched through Arnsberg, nor Siegen's page reached.
    let r = app
        .post_form(
            &c,
            &format!("/kommunen/arnsberg/mitglieder/{foreign}/rolle"),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        store::users::memberships(&app.db, foreign)
            .await
            .expect("m")[0]
            .role,
        "editor"
    );
    assert_eq!(
        app.get(&c, "/kommunen/siegen/mitglieder").await.status(),
        StatusCode::FORBIDDEN
    );
    let r = app
        .post_form(
            &c,
            "/kommunen/siegen/mitglieder/einladen",
            &[("email", "x@x.de"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn change_own_password(app: TestApp) {
    app.user("anna@x.de", None, &[]).await;
    let c = app.login("anna@x.de").await;
    let r = app
        .post_form(
            &c,
            "/konto/passwort",
            &[
                ("current_password", "falsch"),
                ("password", "neu-neu-neu-1"),
                ("password_confirm", "neu-neu-neu-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("bisherige Passwort ist nicht richtig")
    );
    let r = app
        .post_form(
            &c,
            "/konto/passwort",
            &[
                ("current_password", PASSWORD),
                ("password", "neu-neu-neu-1"),
                ("password_confirm", "neu-neu-neu-1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&c, "/konto").await.status(),
        StatusCode::SEE_OTHER,
        "all sessions end"
    );
    let r = app
        .post_form(
            &app.client(),
            "/anmelden",
            &[("email", "anna@x.de"), ("password", "neu-neu-neu-1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// An SMTP sink (aiosmtpd's debugging handler prints every mail) on a free port.
pub(crate) struct Smtp {
    child: std::process::Child,
    out: std::path::PathBuf,
    port: u16,
}

impl Smtp {
    pub(crate) fn start(dir: &std::path::Path, port: u16) -> Smtp {
        let out = dir.join(format!("smtp-{port}.log"));
        let file = std::fs::File::create(&out).expect("log");
        let child = std::process::Command::new("python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Debugging",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(file)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        Smtp { child, out, port }
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

async fn mail_goes_out_over_real_smtp_and_waits_when_it_is_down(app: TestApp) {
    let port = free_port();
    let smtp_app = TestApp::spawn_with(app.backend, &app.pg_url, |c| {
        c.mail = web::MailTransport::Smtp(format!("smtp://127.0.0.1:{port}"));
        c.run_workers = false;
    })
    .await;
    smtp_app.user("anna@x.de", None, &[]).await;
    let c = smtp_app.client();
    // Server down: the request succeeds, the mail waits in the queue.
    let r = smtp_app
        .post_form(&c, "/passwort-vergessen", &[("email", "anna@x.de")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(web::mail::send_due(&smtp_app.state).await.expect("pass") == 0);
    assert_eq!(
        store::mail::pending_count(&smtp_app.db)
            .await
            .expect("count"),
        1,
        "kept for a retry"
    );
    // Server up: make the retry due now and send.
    let smtp = Smtp::start(app.tmp.path(), port);
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", smtp.port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "aiosmtpd did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sql = "UPDATE mail_outbox SET next_attempt_at = 0";
    match smtp_app.db.pool() {
        store::Pool::Sqlite(p) => sqlx::query(sql)
            .execute(p)
            .await
            .expect("u")
            .rows_affected(),
        store::Pool::Postgres(p) => sqlx::query(sql)
            .execute(p)
            .await
            .expect("u")
            .rows_affected(),
    };
    assert_eq!(web::mail::send_due(&smtp_app.state).await.expect("pass"), 1);
    assert_eq!(
        store::mail::pending_count(&smtp_app.db)
            .await
            .expect("count"),
        0
    );
    let started = std::time::Instant::now();
    loop {
        let log = smtp.log();
        if log.contains("anna@x.de") && log.contains("/passwort-neu/") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "SMTP server did not receive the mail: {log}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
