//! Network exchange (Erfahrungsaustausch): network events (workshops without a municipality) and the
//! magazine of articles written by the network admin. Rules only: who may see and write, the article form,
//! slugs derived from titles, and the visibilities network content may have.

use crate::permission::Actor;
use crate::validation::{FieldErrors, required_text};
use crate::values::optional_text;
use crate::visibility::Visibility;
use crate::workshop::{WorkshopDraft, WorkshopInput};

/// Articles per magazine page.
pub const PER_PAGE: i64 = 10;

/// Longest article body (Markdown characters).
pub const BODY_MAX: usize = 50_000;

/// Path segments under `/netzwerk/magazin/` that are routes, never article slugs.
const RESERVED: [&str; 2] = ["neu", "bilder"];

/// Network content is visible to everyone (öffentlich) or to everyone working in the network (Netzwerk:
/// network roles, coordinators and editors of any city). `intern` has no meaning without a city.
pub fn may_see(actor: &Actor, v: Visibility) -> bool {
    actor.network_role.is_some()
        || v == Visibility::Oeffentlich
        || (v == Visibility::Netzwerk && actor.is_network_member())
}

/// Only the network admin plans network events and writes articles.
pub fn may_write(actor: &Actor) -> bool {
    actor.is_admin()
}

/// The lowest visibility an actor sees of network content.
pub fn min_visibility(actor: &Actor) -> Visibility {
    if may_see(actor, Visibility::Netzwerk) {
        Visibility::Netzwerk
    } else {
        Visibility::Oeffentlich
    }
}

/// `netzwerk` or `oeffentlich`.
pub fn parse_visibility(raw: &str) -> Result<Visibility, &'static str> {
    match Visibility::parse(raw) {
        Ok(Visibility::Intern) | Err(_) => Err("err-visibility-network"),
        Ok(v) => Ok(v),
    }
}

/// A network event: the workshop form, with a visibility of network content (one message per field).
pub fn parse_event(
    input: &WorkshopInput,
    formats: &[String],
) -> Result<WorkshopDraft, FieldErrors> {
    let visibility = parse_visibility(&input.visibility);
    match (input.parse(formats), visibility) {
        (Ok(mut d), Ok(v)) => {
            d.phase_id = None;
            d.visibility = v;
            Ok(d)
        }
        (Ok(_), Err(code)) => {
            let mut e = FieldErrors::new();
            e.push("visibility", code);
            Err(e)
        }
        (Err(mut e), Err(code)) => {
            if e.for_field("visibility").is_none() {
                e.push("visibility", code);
            }
            Err(e)
        }
        (Err(e), Ok(_)) => Err(e),
    }
}

/// Raw article form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ArticleInput {
    pub title: String,
    pub teaser: String,
    pub body_md: String,
    pub visibility: String,
}

/// A validated article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleDraft {
    pub title: String,
    pub teaser: String,
    pub body_md: String,
    pub visibility: Visibility,
}

impl ArticleInput {
    pub fn parse(&self) -> Result<ArticleDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take("title", required_text(&self.title, 200));
        let teaser = e.take("teaser", optional_text(&self.teaser, 500));
        let body_md = match optional_text(&self.body_md, BODY_MAX) {
            Ok(b) if b.is_empty() => {
                e.push("body_md", "err-required");
                None
            }
            Ok(b) => Some(b),
            Err(code) => {
                e.push("body_md", code);
                None
            }
        };
        let visibility = e.take("visibility", parse_visibility(&self.visibility));
        e.finish(|| {
            Some(ArticleDraft {
                title: title?,
                teaser: teaser?,
                body_md: body_md?,
                visibility: visibility?,
            })
        })
    }
}

/// The slug of a title: lower case, German umlauts transliterated, anything else but letters and digits
/// turned into single hyphens, at most 80 characters; never empty, never a route name.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push('-');
                }
            }
        }
    }
    let mut slug: String = out.chars().take(80).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug = "artikel".into();
    }
    if RESERVED.contains(&slug.as_str()) {
        slug.push_str("-artikel");
    }
    slug
}

/// The `n`-th candidate for a slug that is taken (`n` ≥ 2): `slug-2`, `slug-3`, …
pub fn slug_candidate(base: &str, n: u32) -> String {
    if n < 2 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

/// The Markdown an editor pastes to show an uploaded image.
pub fn image_snippet(alt: &str, id: i64) -> String {
    let alt: String = alt
        .chars()
        .map(|c| if matches!(c, '[' | ']') { ' ' } else { c })
        .collect();
    format!("![{}](/netzwerk/magazin/bilder/{id})", alt.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::{CityRole, NetworkRole};

    fn actor(network_role: Option<NetworkRole>, memberships: Vec<(i64, CityRole)>) -> Actor {
        Actor {
            user_id: Some(1),
            network_role,
            memberships,
        }
    }

    #[test]
    fn who_sees_and_writes_network_content() {
        let anon = Actor::anonymous();
        let participant = actor(None, vec![(1, CityRole::Participant)]);
        let editor = actor(None, vec![(1, CityRole::Editor)]);
        let steering = actor(Some(NetworkRole::Steering), vec![]);
        let admin = actor(Some(NetworkRole::Admin), vec![]);
        for a in [&anon, &participant, &editor, &steering, &admin] {
            assert!(may_see(a, Visibility::Oeffentlich));
        }
        assert!(!may_see(&anon, Visibility::Netzwerk));
        assert!(!may_see(&participant, Visibility::Netzwerk));
        assert!(may_see(&editor, Visibility::Netzwerk));
        assert!(may_see(&steering, Visibility::Netzwerk));
        assert_eq!(min_visibility(&participant), Visibility::Oeffentlich);
        assert_eq!(min_visibility(&editor), Visibility::Netzwerk);
        assert!(may_write(&admin));
        for a in [&anon, &participant, &editor, &steering] {
            assert!(!may_write(a));
        }
    }

    #[test]
    fn slugs_are_readable_and_never_routes() {
        assert_eq!(
            slugify("Parkplätze in der Innenstadt: 3 Städte, ein Sensor!"),
            "parkplaetze-in-der-innenstadt-3-staedte-ein-sensor"
        );
        assert_eq!(slugify("  Straße & Grün  "), "strasse-gruen");
        assert_eq!(slugify("!!!"), "artikel");
        assert_eq!(slugify("Neu"), "neu-artikel");
        assert!(slugify(&"x".repeat(200)).len() <= 80);
        assert_eq!(slug_candidate("a", 1), "a");
        assert_eq!(slug_candidate("a", 3), "a-3");
    }

    #[test]
    fn article_form_one_message_per_field() {
        let bad = ArticleInput {
            title: String::new(),
            teaser: "x".repeat(501),
            body_md: "  ".into(),
            visibility: "intern".into(),
        };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.0.len(), 4);
        assert_eq!(e.for_field("visibility"), Some("err-visibility-network"));
        let ok = ArticleInput {
            title: "Titel".into(),
            teaser: String::new(),
            body_md: "# Text\r\n\r\nmehr".into(),
            visibility: "oeffentlich".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.body_md, "# Text\n\nmehr");
    }

    #[test]
    fn image_snippets_keep_the_markdown_intact() {
        assert_eq!(
            image_snippet("Sensor [am] Markt", 7),
            "![Sensor  am  Markt](/netzwerk/magazin/bilder/7)"
        );
    }
}
