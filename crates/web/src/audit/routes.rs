//! The declared route table (ADR 0018): every route of the web layer — method and path pattern exactly as
//! registered — with who may use it and whether a successful request is written to the audit log, and under
//! which label. The audit middleware reads the label from here; the authorisation matrix test
//! (`tests/it/authz.rs`) checks every route × role against the policy and fails when a route of the source
//! is missing here or an entry here names no route.

use domain::opendata::Scope;
use domain::role::CityRole;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, with or without an account (pages filter what they show by ADR 0006).
    Public,
    /// Anyone logged in.
    LoggedIn,
    /// At least this role in the municipality the route acts on (the path's `{slug}`, or the city of the
    /// record the path names). `Participant` is "may read the city's internal content": every member, and
    /// the steering group; `Editor` adds coordinators; the network admin passes every `City` policy.
    City(CityRole),
    /// The network admin.
    NetworkAdmin,
    /// The network admin and the steering group.
    NetworkStaff,
    /// A contribution to a participation format or a live board: whoever joined it, as the format's access
    /// mode allows (tested by the participation tests, not by role).
    Participant,
    /// Whoever holds the secret in the path (a mailed token, a board's join code).
    Secret,
    /// The answer depends on the visibility of the record the path names (ADR 0006); the leak test's
    /// canaries check it for every role.
    VisibilityOfEntity,
    /// An API token of the path's municipality with this scope (no session, no CSRF token).
    Token(Scope),
}

/// One route.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub policy: Policy,
    /// The German label of the audit entry a successful request writes; `None`: not audited.
    pub audit: Option<&'static str>,
}

const fn r(method: &'static str, path: &'static str, policy: Policy) -> RouteSpec {
    RouteSpec {
        method,
        path,
        policy,
        audit: None,
    }
}

const fn a(
    method: &'static str,
    path: &'static str,
    policy: Policy,
    label: &'static str,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        policy,
        audit: Some(label),
    }
}

use CityRole::{Coordinator, Editor, Participant as Member};
use Policy::{
    City, LoggedIn, NetworkAdmin, NetworkStaff, Participant, Public, Secret, Token,
    VisibilityOfEntity as Entity,
};

const G: &str = "GET";
const P: &str = "POST";

/// Every route of the application (one line each; `rustfmt::skip` keeps the table readable).
#[rustfmt::skip]
pub const ROUTES: &[RouteSpec] = &[
    // Operations and static assets
    r(G, "/healthz", Public),
    r(G, "/metrics", Public),
    r(G, "/static/app.css", Public),
    r(G, "/static/board.js", Public),
    r(G, "/static/survey.js", Public),
    // Public pages, language, accounts
    r(G, "/", Public),
    r(G, "/kommunen/{slug}", Public),
    r(G, "/impressum", Public),
    r(G, "/datenschutz", Public),
    r(G, "/barrierefreiheit", Public),
    r(P, "/sprache", Public),
    r(G, "/anmelden", Public),
    r(P, "/anmelden", Public),
    r(P, "/abmelden", Public),
    r(G, "/passwort-vergessen", Public),
    r(P, "/passwort-vergessen", Public),
    r(G, "/passwort-neu/{token}", Secret),
    r(P, "/passwort-neu/{token}", Secret),
    r(G, "/einladung/{token}", Secret),
    r(P, "/einladung/{token}", Secret),
    r(G, "/konto", LoggedIn),
    r(P, "/konto/passwort", LoggedIn),
    r(P, "/konto/benachrichtigungen", LoggedIn),
    // Administration
    r(G, "/admin/kommunen", NetworkAdmin),
    r(G, "/admin/kommunen/neu", NetworkAdmin),
    a(P, "/admin/kommunen/neu", NetworkAdmin, "Kommune angelegt"),
    r(G, "/admin/kommunen/{slug}/bearbeiten", NetworkAdmin),
    a(P, "/admin/kommunen/{slug}/bearbeiten", NetworkAdmin, "Kommune geändert"),
    r(G, "/admin/benutzer", NetworkAdmin),
    a(P, "/admin/benutzer/einladen", NetworkAdmin, "Person eingeladen"),
    a(P, "/admin/benutzer/{id}/rolle", NetworkAdmin, "Rolle vergeben"),
    a(P, "/admin/benutzer/{id}/rolle-entziehen", NetworkAdmin, "Rolle entzogen"),
    r(G, "/admin/seiten/{slug}", NetworkAdmin),
    a(P, "/admin/seiten/{slug}", NetworkAdmin, "Rechtliche Seite geändert"),
    r(G, "/admin/taxonomien", NetworkAdmin),
    a(P, "/admin/taxonomien", NetworkAdmin, "Taxonomie-Eintrag angelegt"),
    a(P, "/admin/taxonomien/{id}", NetworkAdmin, "Taxonomie-Eintrag geändert"),
    a(P, "/admin/prozessvorlage", NetworkAdmin, "Prozessvorlage: Phase angelegt"),
    a(P, "/admin/prozessvorlage/{id}", NetworkAdmin, "Prozessvorlage: Phase geändert"),
    r(G, "/admin/vorlagen", NetworkAdmin),
    a(P, "/admin/vorlagen/aus-massnahme", NetworkAdmin, "Mustervorlage aus Maßnahme angelegt"),
    a(P, "/admin/vorlagen/{id}/veroeffentlichen", NetworkAdmin, "Mustervorlage veröffentlicht"),
    r(G, "/admin/protokoll", NetworkAdmin),
    r(G, "/admin/protokoll.csv", NetworkAdmin),
    // Members of a city
    r(G, "/kommunen/{slug}/mitglieder", City(Coordinator)),
    a(P, "/kommunen/{slug}/mitglieder/einladen", City(Coordinator), "Mitglied eingeladen"),
    a(P, "/kommunen/{slug}/mitglieder/{user_id}/rolle", City(Coordinator), "Rolle eines Mitglieds geändert"),
    a(P, "/kommunen/{slug}/mitglieder/{user_id}/entfernen", City(Coordinator), "Mitglied entfernt"),
    r(G, "/kommunen/{slug}/protokoll", City(Coordinator)),
    r(G, "/kommunen/{slug}/protokoll.csv", City(Coordinator)),
    // Network dashboard, library, search
    r(G, "/netzwerk", NetworkStaff),
    r(G, "/netzwerk/uebersicht.csv", NetworkStaff),
    r(G, "/netzwerk/bibliothek", Public),
    r(G, "/suche", Public),
    // Process
    r(G, "/kommunen/{slug}/prozess", Public),
    a(P, "/kommunen/{slug}/prozess/phasen/{id}", City(Coordinator), "Prozessphase geändert"),
    a(P, "/kommunen/{slug}/prozess/meilensteine", City(Editor), "Prozess-Meilenstein angelegt"),
    // Smart City definition
    r(G, "/kommunen/{slug}/leitbild", Entity),
    r(G, "/kommunen/{slug}/leitbild/bearbeiten", City(Editor)),
    a(P, "/kommunen/{slug}/leitbild/bearbeiten", City(Editor), "Smart-City-Definition gespeichert"),
    a(P, "/kommunen/{slug}/leitbild/status", City(Coordinator), "Status der Smart-City-Definition geändert"),
    a(P, "/kommunen/{slug}/leitbild/sichtbarkeit", City(Coordinator), "Sichtbarkeit der Smart-City-Definition geändert"),
    a(P, "/kommunen/{slug}/leitbild/kommentare", City(Member), "Smart-City-Definition kommentiert"),
    // Fields of action, goals, stakeholders
    r(G, "/kommunen/{slug}/handlungsfelder", Public),
    a(P, "/kommunen/{slug}/handlungsfelder", City(Editor), "Handlungsfelder gewählt"),
    a(P, "/kommunen/{slug}/handlungsfelder/ziele", City(Editor), "Ziel angelegt"),
    r(G, "/kommunen/{slug}/akteure", City(Editor)),
    a(P, "/kommunen/{slug}/akteure", City(Editor), "Akteur angelegt"),
    // Measures
    r(G, "/kommunen/{slug}/massnahmen", Public),
    r(G, "/kommunen/{slug}/massnahmen.csv", Public),
    r(G, "/kommunen/{slug}/massnahmen.xlsx", Public),
    r(G, "/kommunen/{slug}/massnahmen.geojson", Public),
    r(G, "/kommunen/{slug}/massnahmen/neu", City(Editor)),
    a(P, "/kommunen/{slug}/massnahmen/neu", City(Editor), "Maßnahme angelegt"),
    r(G, "/kommunen/{slug}/massnahmen/vorlagen", City(Editor)),
    a(P, "/kommunen/{slug}/massnahmen/aus-vorlage/{id}", City(Editor), "Maßnahme aus Mustervorlage angelegt"),
    a(P, "/kommunen/{slug}/massnahmen/kopieren/{id}", City(Editor), "Maßnahme einer anderen Kommune übernommen"),
    r(G, "/kommunen/{slug}/massnahmen/{id}", Entity),
    r(G, "/kommunen/{slug}/massnahmen/{id}/bearbeiten", City(Editor)),
    a(P, "/kommunen/{slug}/massnahmen/{id}/bearbeiten", City(Editor), "Maßnahme bearbeitet"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/status", City(Editor), "Status einer Maßnahme geändert"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/partner", City(Editor), "Partner einer Maßnahme hinzugefügt"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/raci", City(Editor), "Zuständigkeit (RACI) einer Maßnahme gesetzt"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/abhaengigkeiten", City(Editor), "Abhängigkeit einer Maßnahme hinzugefügt"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/kpis", City(Editor), "Kennzahl einer Maßnahme angelegt"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/kpis/{kpi}/messwerte", City(Editor), "Messwert erfasst"),
    a(P, "/kommunen/{slug}/massnahmen/{id}/meilensteine", City(Editor), "Meilenstein einer Maßnahme angelegt"),
    r(G, "/kommunen/{slug}/massnahmen/{id}/projektblatt.pdf", Entity),
    r(G, "/kommunen/{slug}/massnahmen/{id}/projektblatt.md", Entity),
    r(G, "/kommunen/{slug}/massnahmen/{id}/projektblatt.json", Entity),
    a(P, "/kommunen/{slug}/massnahmen/{id}/fortschritt", City(Editor), "Fortschrittsbericht angelegt"),
    r(P, "/kommunen/{slug}/massnahmen/{id}/folgen", LoggedIn),
    r(G, "/kommunen/{slug}/fotos/{upload_id}", Entity),
    r(P, "/kommunen/{slug}/folgen", LoggedIn),
    r(G, "/kommunen/{slug}/schaufenster", Public),
    // Workshops and live boards
    r(G, "/kommunen/{slug}/werkstaetten", Public),
    r(G, "/kommunen/{slug}/werkstaetten.ics", Public),
    r(G, "/kommunen/{slug}/werkstaetten/neu", City(Editor)),
    a(P, "/kommunen/{slug}/werkstaetten/neu", City(Editor), "Werkstatt angelegt"),
    r(G, "/kommunen/{slug}/werkstaetten/{id}", Entity),
    r(G, "/kommunen/{slug}/werkstaetten/{id}/termin.ics", Entity),
    a(P, "/kommunen/{slug}/werkstaetten/{id}/agenda", City(Editor), "Tagesordnungspunkt einer Werkstatt hinzugefügt"),
    r(P, "/kommunen/{slug}/werkstaetten/{id}/anmelden", LoggedIn),
    r(P, "/kommunen/{slug}/werkstaetten/{id}/abmelden", LoggedIn),
    a(P, "/kommunen/{slug}/werkstaetten/{id}/teilnahme", City(Editor), "Anwesenheit einer Werkstatt erfasst"),
    a(P, "/kommunen/{slug}/werkstaetten/{id}/einladen", City(Editor), "Einladungen zu einer Werkstatt verschickt"),
    a(P, "/kommunen/{slug}/werkstaetten/{id}/pinnwand", City(Editor), "Pinnwand einer Werkstatt geöffnet"),
    r(G, "/kommunen/{slug}/werkstaetten/{id}/protokoll", Entity),
    a(P, "/kommunen/{slug}/werkstaetten/{id}/protokoll", City(Editor), "Werkstattprotokoll gespeichert"),
    r(G, "/kommunen/{slug}/werkstaetten/{id}/protokoll.md", Entity),
    r(G, "/kommunen/{slug}/werkstaetten/{id}/protokoll.pdf", Entity),
    r(G, "/mitmachen", Public),
    r(G, "/w/{code}", Secret),
    r(P, "/w/{code}/beitreten", Secret),
    r(G, "/w/{code}/live", Participant),
    r(G, "/w/{code}/events", Participant),
    r(G, "/w/{code}/projektor", Secret),
    r(G, "/w/{code}/projektor/live", Participant),
    r(G, "/w/{code}/qr.svg", Secret),
    r(P, "/w/{code}/karten", Participant),
    a(P, "/w/{code}/karten/{card}", City(Editor), "Karte einer Pinnwand moderiert"),
    r(P, "/w/{code}/punkte", Participant),
    a(P, "/w/{code}/cluster", City(Editor), "Cluster einer Pinnwand angelegt"),
    a(P, "/w/{code}/cluster/{cluster}", City(Editor), "Cluster einer Pinnwand geändert"),
    a(P, "/w/{code}/runde", City(Editor), "Punkterunde einer Pinnwand gesteuert"),
    a(P, "/w/{code}/einstellungen", City(Editor), "Einstellungen einer Pinnwand geändert"),
    a(P, "/w/{code}/uebernehmen", City(Editor), "Pinnwand-Ergebnis übernommen"),
    // Participation
    r(G, "/kommunen/{slug}/beteiligung", Public),
    r(G, "/kommunen/{slug}/beteiligung.ics", Public),
    r(G, "/kommunen/{slug}/beteiligung/neu", City(Editor)),
    a(P, "/kommunen/{slug}/beteiligung/neu", City(Editor), "Beteiligungsformat angelegt"),
    r(G, "/kommunen/{slug}/beteiligung/{id}", Entity),
    r(G, "/kommunen/{slug}/beteiligung/{id}/einstellungen", City(Editor)),
    a(P, "/kommunen/{slug}/beteiligung/{id}/einstellungen", City(Editor), "Beteiligungsformat geändert"),
    r(G, "/kommunen/{slug}/beteiligung/{id}/ergebnisse", Entity),
    r(G, "/kommunen/{slug}/beteiligung/{id}/ergebnisse.csv", Entity),
    r(G, "/kommunen/{slug}/beteiligung/{id}/ergebnisse.xlsx", Entity),
    r(P, "/kommunen/{slug}/beteiligung/{id}/teilnehmen", Participant),
    r(G, "/beteiligung/bestaetigen/{token}", Secret),
    a(P, "/kommunen/{slug}/beteiligung/{id}/zugangscodes", City(Editor), "Zugangscodes erzeugt"),
    r(G, "/kommunen/{slug}/beteiligung/{id}/meine-daten", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/meine-daten/loeschen", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/abstimmen", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/aussagen", Participant),
    a(P, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/aussagen/{sid}/moderation", City(Editor), "Aussage eines Meinungsbilds moderiert"),
    r(G, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/comments.csv", Entity),
    r(G, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/votes.csv", Entity),
    a(P, "/kommunen/{slug}/beteiligung/{id}/meinungsbild/import", City(Editor), "Meinungsbild importiert"),
    r(P, "/kommunen/{slug}/beteiligung/{id}/punkte", Participant),
    a(P, "/kommunen/{slug}/beteiligung/{id}/punkte/eintraege", City(Editor), "Einträge einer Punktabfrage festgelegt"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen", City(Editor), "Frage einer Umfrage angelegt"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen/{qid}/loeschen", City(Editor), "Frage einer Umfrage gelöscht"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen/{qid}/verschieben", City(Editor), "Frage einer Umfrage verschoben"),
    r(P, "/kommunen/{slug}/beteiligung/{id}/umfrage/antworten", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/ideen", Participant),
    r(G, "/kommunen/{slug}/beteiligung/{id}/ideen.geojson", Entity),
    r(P, "/kommunen/{slug}/beteiligung/{id}/ideen/melden", Participant),
    a(P, "/kommunen/{slug}/beteiligung/{id}/ideen/moderieren", City(Editor), "Ideen moderiert"),
    r(P, "/kommunen/{slug}/beteiligung/{id}/ideen/{idea}/kommentare", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/ideen/{idea}/unterstuetzen", Participant),
    a(P, "/kommunen/{slug}/beteiligung/{id}/ideen/{idea}/massnahmen", City(Editor), "Idee mit Maßnahme verknüpft"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/kriterien", City(Editor), "Kriterium einer Nutzwertanalyse angelegt"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/kriterien/standard", City(Editor), "Standardkriterien einer Nutzwertanalyse übernommen"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/kriterien/speichern", City(Editor), "Kriterien einer Nutzwertanalyse gespeichert"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/kriterien/{cid}/loeschen", City(Editor), "Kriterium einer Nutzwertanalyse gelöscht"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/massnahmen", City(Editor), "Maßnahmen einer Nutzwertanalyse gewählt"),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/gruppengewichte", City(Editor), "Gruppengewichte einer Nutzwertanalyse gesetzt"),
    r(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/gruppe", Participant),
    r(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/bewerten/{mid}", Participant),
    a(P, "/kommunen/{slug}/beteiligung/{id}/nutzwert/uebernehmen", City(Editor), "Ergebnis einer Nutzwertanalyse übernommen"),
    // Umsetzungskonzept
    r(G, "/kommunen/{slug}/umsetzungskonzept", Public),
    r(G, "/kommunen/{slug}/umsetzungskonzept/entwurf/{file}", City(Editor)),
    a(P, "/kommunen/{slug}/umsetzungskonzept/veroeffentlichen", City(Editor), "Umsetzungskonzept veröffentlicht"),
    r(G, "/kommunen/{slug}/umsetzungskonzept/vergleich", Entity),
    r(G, "/kommunen/{slug}/umsetzungskonzept/fassung/{n}", Entity),
    r(G, "/kommunen/{slug}/umsetzungskonzept/fassung/{n}/{file}", Entity),
    // Network exchange
    r(G, "/netzwerk/veranstaltungen", Public),
    r(G, "/netzwerk/veranstaltungen.ics", Public),
    r(G, "/netzwerk/veranstaltungen/neu", NetworkAdmin),
    a(P, "/netzwerk/veranstaltungen/neu", NetworkAdmin, "Netzwerkveranstaltung angelegt"),
    r(G, "/netzwerk/veranstaltungen/{id}", Entity),
    r(G, "/netzwerk/veranstaltungen/{id}/termin.ics", Entity),
    a(P, "/netzwerk/veranstaltungen/{id}/agenda", NetworkAdmin, "Tagesordnungspunkt einer Netzwerkveranstaltung hinzugefügt"),
    r(P, "/netzwerk/veranstaltungen/{id}/anmelden", LoggedIn),
    r(P, "/netzwerk/veranstaltungen/{id}/abmelden", LoggedIn),
    r(G, "/netzwerk/magazin", Public),
    r(G, "/netzwerk/magazin.atom", Public),
    r(G, "/netzwerk/magazin/neu", NetworkAdmin),
    a(P, "/netzwerk/magazin/neu", NetworkAdmin, "Magazinartikel angelegt"),
    r(G, "/netzwerk/magazin/bilder/{id}", Entity),
    r(G, "/netzwerk/magazin/{slug}", Entity),
    r(G, "/netzwerk/magazin/{slug}/bearbeiten", NetworkAdmin),
    a(P, "/netzwerk/magazin/{slug}/bearbeiten", NetworkAdmin, "Magazinartikel bearbeitet"),
    a(P, "/netzwerk/magazin/{slug}/veroeffentlichen", NetworkAdmin, "Magazinartikel veröffentlicht"),
    a(P, "/netzwerk/magazin/{slug}/zurueckziehen", NetworkAdmin, "Magazinartikel zurückgezogen"),
    a(P, "/netzwerk/magazin/{slug}/bilder", NetworkAdmin, "Bild für einen Magazinartikel hochgeladen"),
    // Open data and API tokens
    r(G, "/kommunen/{slug}/schnittstellen", City(Coordinator)),
    a(P, "/kommunen/{slug}/schnittstellen", City(Coordinator), "API-Token angelegt"),
    a(P, "/kommunen/{slug}/schnittstellen/{id}/widerrufen", City(Coordinator), "API-Token widerrufen"),
    r(G, "/kommunen/{slug}/ideen.geojson", Public),
    r(G, "/kommunen/{slug}/meilensteine.ics", Public),
    r(G, "/kommunen/{slug}/dcat.jsonld", Public),
    r(G, "/dcat.jsonld", Public),
    // JSON API
    r(G, "/api/openapi.json", Public),
    r(G, "/api/v1/search", Public),
    r(G, "/api/v1/municipalities", Public),
    r(G, "/api/v1/municipalities/{slug}", Public),
    r(G, "/api/v1/municipalities/{slug}/measures", Public),
    r(G, "/api/v1/municipalities/{slug}/measures/{id}", Entity),
    a("PATCH", "/api/v1/municipalities/{slug}/measures/{id}", Token(Scope::MeasuresWrite), "Status einer Maßnahme geändert (API)"),
    r(G, "/api/v1/municipalities/{slug}/measures/{id}/progress", Entity),
    a(P, "/api/v1/municipalities/{slug}/measures/{id}/progress", Token(Scope::ProgressWrite), "Fortschrittsbericht angelegt (API)"),
    r(G, "/api/v1/municipalities/{slug}/participations", Public),
    r(G, "/api/v1/participations/{id}", Entity),
    r(G, "/api/v1/participations/{id}/results", Entity),
    r(G, "/api/v1/participations/{id}/survey", Entity),
    r(G, "/api/v1/participations/{id}/survey/results", Entity),
    r(G, "/api/v1/participations/{id}/ideas", Entity),
    r(G, "/api/v1/participations/{id}/points", Entity),
    r(G, "/api/v1/participations/{id}/benefit", Entity),
    r(G, "/api/v1/participations/{id}/opinions", Entity),
];

/// The routes by path pattern (one to five methods each).
static INDEX: LazyLock<HashMap<&'static str, Vec<&'static RouteSpec>>> = LazyLock::new(|| {
    let mut index: HashMap<&'static str, Vec<&'static RouteSpec>> = HashMap::new();
    for s in ROUTES {
        index.entry(s.path).or_default().push(s);
    }
    index
});

/// The declared route for a method and a matched path pattern.
pub fn find(method: &str, pattern: &str) -> Option<&'static RouteSpec> {
    INDEX
        .get(pattern)?
        .iter()
        .find(|s| s.method == method)
        .copied()
}

/// The path parameters of a concrete path under its pattern, in order: `("id", "5")`, …
pub fn params<'a>(pattern: &'a str, path: &'a str) -> Vec<(&'a str, &'a str)> {
    pattern
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(p, v)| {
            p.strip_prefix('{')
                .and_then(|p| p.strip_suffix('}'))
                .map(|name| (name, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for s in ROUTES {
            assert!(
                seen.insert((s.method, s.path)),
                "{} {} declared twice",
                s.method,
                s.path
            );
            let found = find(s.method, s.path).expect("found");
            assert_eq!((found.policy, found.audit), (s.policy, s.audit));
        }
    }

    #[test]
    fn only_writes_are_audited() {
        for s in ROUTES {
            assert!(
                s.audit.is_none() || s.method != "GET",
                "{} {} is a read and cannot be audited",
                s.method,
                s.path
            );
        }
    }

    #[test]
    fn parameters_come_from_the_pattern() {
        assert_eq!(
            params(
                "/kommunen/{slug}/massnahmen/{id}/kpis/{kpi}/messwerte",
                "/kommunen/siegen/massnahmen/4/kpis/9/messwerte"
            ),
            vec![("slug", "siegen"), ("id", "4"), ("kpi", "9")]
        );
        assert!(params("/admin/kommunen", "/admin/kommunen").is_empty());
    }
}
