//! Participation (Beteiligung): the shell every format shares — list, settings, the page with purpose and
//! legal basis shown before taking part, joining (confirmed e-mail, guest, single-use access code, account),
//! the participant's own data (download, delete) and results pages. Each format (`survey`, `ideas`, `points`,
//! `benefit`, `opinion`) renders its own part of the page and results and brings its own routes.

pub mod access;
pub mod benefit;
pub mod ideas;
pub mod opinion;
pub mod pages;
pub mod points;
pub mod survey;

use crate::city::City;
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum_extra::extract::CookieJar;
use domain::participation::{Kind, Phase};
use store::participation::{Participant, Participation};

/// The cookie that identifies a browser's participations (guests, code holders, confirmed e-mail).
pub const PART_COOKIE: &str = "wk_part";

/// All participation routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(pages::routes())
        .merge(access::routes())
        .merge(survey::routes())
        .merge(ideas::routes())
        .merge(points::routes())
        .merge(benefit::routes())
        .merge(opinion::routes())
}

/// A format as one request sees it: the city with the visitor's rights, the format, where it stands in
/// time, and the visitor's participant row (if they joined).
pub struct Format {
    pub city: City,
    pub p: Participation,
    pub kind: Kind,
    pub phase: Phase,
    pub participant: Option<Participant>,
}

impl Format {
    /// Load a format of the city; drafts (unpublished) only for the city's editors.
    pub async fn load(
        state: &AppState,
        ctx: &RequestCtx,
        jar: &CookieJar,
        slug: &str,
        id: i64,
    ) -> Result<Format, AppError> {
        Ok(Format::load_with_item(state, ctx, jar, slug, id, None)
            .await?
            .0)
    }

    /// [`Format::load`], and whether `item` (kind, id) is one of the format's items — one query in all
    /// (`store::participation::format_context`), so a vote reads the database once before its writer.
    pub async fn load_with_item(
        state: &AppState,
        ctx: &RequestCtx,
        jar: &CookieJar,
        slug: &str,
        id: i64,
        item: Option<(&str, i64)>,
    ) -> Result<(Format, bool), AppError> {
        let token_hash = jar
            .get(PART_COOKIE)
            .map(|c| store::tokens::hash_token(c.value()));
        let found = store::participation::format_context(
            &state.db,
            slug,
            id,
            ctx.actor.user_id,
            token_hash.as_deref(),
            item,
        )
        .await?
        .ok_or(AppError::NotFound)?;
        let city = City::of(ctx, found.municipality);
        let p = found.participation;
        if !p.published && !city.can_edit {
            return Err(AppError::NotFound);
        }
        let kind = Kind::parse(&p.kind).ok_or_else(|| AppError::Internal("unknown kind".into()))?;
        let phase = domain::participation::phase(store::now_secs(), p.opens_at, p.closes_at);
        let format = Format {
            city,
            p,
            kind,
            phase,
            participant: found.participant,
        };
        Ok((format, found.has_item))
    }

    /// `/kommunen/{slug}/beteiligung/{id}{rest}`.
    pub fn path(&self, rest: &str) -> String {
        format!(
            "/kommunen/{}/beteiligung/{}{rest}",
            self.city.m.slug, self.p.id
        )
    }

    /// The participant who may contribute now: joined (and confirmed) while the format is open.
    pub fn active_participant(&self) -> Option<&Participant> {
        self.participant
            .as_ref()
            .filter(|p| p.active() && self.phase == Phase::Open)
    }

    /// Results are shown to editors always, to everyone else once the city publishes them.
    pub fn may_see_results(&self) -> bool {
        self.city.can_edit || self.p.results_public
    }

    pub fn require_edit(&self, ctx: &RequestCtx) -> Result<i64, AppError> {
        self.city.require_edit(ctx)
    }
}

/// `dd.mm.yyyy` of a Unix time in Berlin.
pub fn date_of(secs: i64) -> String {
    let (d, _) = domain::workshop::utc_to_local(secs);
    domain::values::german_date(&d)
}

/// The participant's data in every format, for the DSGVO download.
pub async fn export_participant(
    state: &AppState,
    f: &Format,
    participant: &Participant,
) -> Result<serde_json::Value, AppError> {
    let own = match f.kind {
        Kind::Umfrage => survey::export_of(state, participant.id).await?,
        Kind::Ideen => ideas::export_of(state, participant.id).await?,
        Kind::Punkte => points::export_of(state, participant.id).await?,
        Kind::Nutzwert => benefit::export_of(state, participant.id).await?,
        Kind::Meinungsbild => opinion::export_of(state, participant.id).await?,
    };
    Ok(serde_json::json!({
        "beteiligung": { "id": f.p.id, "titel": f.p.title, "art": f.p.kind, "zweck": f.p.purpose, "rechtsgrundlage": f.p.legal_basis },
        "teilnahme": participant,
        "beitraege": own,
    }))
}

/// The format's own part of the participation page (questions, ideas, items, statements…).
pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    match f.kind {
        Kind::Umfrage => survey::section(state, ctx, f).await,
        Kind::Ideen => ideas::section(state, ctx, f).await,
        Kind::Punkte => points::section(state, ctx, f).await,
        Kind::Nutzwert => benefit::section(state, ctx, f).await,
        Kind::Meinungsbild => opinion::section(state, ctx, f).await,
    }
}

/// The format's results (charts with tables).
pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    match f.kind {
        Kind::Umfrage => survey::results(state, ctx, f).await,
        Kind::Ideen => ideas::results(state, ctx, f).await,
        Kind::Punkte => points::results(state, ctx, f).await,
        Kind::Nutzwert => benefit::results(state, ctx, f).await,
        Kind::Meinungsbild => opinion::results(state, ctx, f).await,
    }
}

/// The format's results as a table (header, rows) for CSV and XLSX.
pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    match f.kind {
        Kind::Umfrage => survey::result_table(state, f).await,
        Kind::Ideen => ideas::result_table(state, f).await,
        Kind::Punkte => points::result_table(state, f).await,
        Kind::Nutzwert => benefit::result_table(state, f).await,
        Kind::Meinungsbild => opinion::result_table(state, f).await,
    }
}
