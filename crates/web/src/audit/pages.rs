//! `/admin/protokoll` (network admin: every entry) and `/kommunen/{slug}/protokoll` (the city's coordination
//! and the network admin: the city's entries), each with a CSV export of the same filter (`….csv`: UTF-8 with
//! BOM, `;`). Filters: city (admin view), person, period, text in action or path; 50 per page, newest first.

use crate::auth::{require, require_login};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::measures::export::download;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::audit::AuditFilter;
use domain::permission::Permission;
use serde::Deserialize;
use store::audit::{Entry, Filter};
use store::municipalities::Municipality;

pub const PAGE_SIZE: i64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/protokoll", get(admin_page))
        .route("/admin/protokoll.csv", get(admin_csv))
        .route("/kommunen/{slug}/protokoll", get(city_page))
        .route("/kommunen/{slug}/protokoll.csv", get(city_csv))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LogQuery {
    pub kommune: String,
    pub person: String,
    pub von_datum: String,
    pub bis_datum: String,
    pub q: String,
    pub seite: String,
}

impl LogQuery {
    fn page(&self) -> i64 {
        self.seite
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
            .min(100_000)
    }

    /// The query string of this filter, on `page` (or without a page for the export link).
    fn query(&self, page: Option<i64>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("kommune", &self.kommune),
            ("person", &self.person),
            ("von_datum", &self.von_datum),
            ("bis_datum", &self.bis_datum),
            ("q", &self.q),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        if let Some(p) = page {
            s.append_pair("seite", &p.to_string());
        }
        s.finish()
    }

    fn form(&self) -> FormView {
        FormView::new()
            .with("kommune", &self.kommune)
            .with("person", &self.person)
            .with("von_datum", &self.von_datum)
            .with("bis_datum", &self.bis_datum)
            .with("q", &self.q)
    }

    /// The store filter, with the city fixed by the page (`Some`) or chosen in the form (admin view).
    async fn filter(
        &self,
        state: &AppState,
        city: Option<i64>,
    ) -> Result<Result<Filter, domain::FieldErrors>, AppError> {
        let f = match AuditFilter::parse(&self.person, &self.von_datum, &self.bis_datum, &self.q) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e)),
        };
        let municipality_id = match (city, self.kommune.trim()) {
            (Some(id), _) => Some(id),
            (None, "") => None,
            (None, slug) => match store::municipalities::by_slug(&state.db, slug).await {
                Ok(m) => Some(m.id),
                // An unknown city matches nothing rather than everything.
                Err(store::StoreError::NotFound) => Some(0),
                Err(e) => return Err(e.into()),
            },
        };
        Ok(Ok(Filter {
            municipality_id,
            person: f.person,
            from: f.from,
            until: f.until,
            text: f.text,
        }))
    }
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    ctx: RequestCtx,
    /// The city of a city's log; `None` on the network admin's log.
    city: Option<Municipality>,
    cities: Vec<(String, String)>,
    form: FormView,
    base: String,
    rows: Vec<Entry>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    csv: String,
}

impl LogPage {
    pub fn when(&self, at: &i64) -> String {
        let (d, t) = domain::workshop::utc_to_local(*at);
        format!("{d} {t}")
    }
}

async fn show(
    state: &AppState,
    ctx: RequestCtx,
    city: Option<Municipality>,
    q: LogQuery,
) -> Result<Response, AppError> {
    let base = match &city {
        Some(m) => format!("/kommunen/{}/protokoll", m.slug),
        None => "/admin/protokoll".to_owned(),
    };
    let cities = if city.is_none() {
        store::municipalities::list(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.slug, m.name))
            .collect()
    } else {
        vec![]
    };
    let page = q.page();
    let (status, form, rows, total) = match q.filter(state, city.as_ref().map(|m| m.id)).await? {
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            q.form().with_errors(&ctx, &errors),
            vec![],
            0,
        ),
        Ok(f) => {
            let total = store::audit::count(&state.db, &f).await?;
            let rows =
                store::audit::list(&state.db, &f, Some(PAGE_SIZE), (page - 1) * PAGE_SIZE).await?;
            (StatusCode::OK, q.form(), rows, total)
        }
    };
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let view = LogPage {
        csv: format!("{base}.csv?{}", q.query(None)),
        prev: (page > 1).then(|| q.query(Some(page - 1))),
        next: (page < pages).then(|| q.query(Some(page + 1))),
        ctx,
        city,
        cities,
        form,
        base,
        rows,
        total,
        page,
        pages,
    };
    Ok((status, render(&view)?).into_response())
}

/// The CSV of every entry matching the filter (no paging).
async fn export(
    state: &AppState,
    city: Option<&Municipality>,
    q: &LogQuery,
) -> Result<Response, AppError> {
    let f = match q.filter(state, city.map(|m| m.id)).await? {
        Ok(f) => f,
        Err(errors) => {
            let fields: Vec<&str> = errors.0.iter().map(|e| e.field).collect();
            return Ok((
                StatusCode::BAD_REQUEST,
                format!("Ungültiger Filter: {}", fields.join(", ")),
            )
                .into_response());
        }
    };
    let rows = store::audit::list(&state.db, &f, None, 0).await?;
    let (header, table) = csv_table(&rows);
    let body =
        export::table_csv(&header, &table).map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let name = match city {
        Some(m) => format!("protokoll-{}.csv", m.slug),
        None => "protokoll.csv".to_owned(),
    };
    Ok(download("text/csv; charset=utf-8", name, body))
}

/// Header and rows of the export (German column names, Berlin time).
pub fn csv_table(rows: &[Entry]) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "Zeit",
        "Person",
        "E-Mail",
        "Konto-Nr.",
        "API-Token",
        "Kommune",
        "Aktion",
        "Methode",
        "Pfad",
        "Objekt",
        "Ergebnis",
    ]
    .map(String::from)
    .to_vec();
    let table = rows
        .iter()
        .map(|e| {
            let (d, t) = domain::workshop::utc_to_local(e.at);
            vec![
                format!("{d} {t}"),
                e.actor_name.clone(),
                e.actor_email.clone(),
                e.actor_user_id.map(|i| i.to_string()).unwrap_or_default(),
                if e.via_token { "ja" } else { "nein" }.to_owned(),
                e.municipality_name.clone(),
                e.action.clone(),
                e.method.clone(),
                e.path.clone(),
                e.entity.clone(),
                e.outcome.clone(),
            ]
        })
        .collect();
    (header, table)
}

/// The city of a city log, for its coordination and the network admin.
async fn city_of(state: &AppState, ctx: &RequestCtx, slug: &str) -> Result<Municipality, AppError> {
    require_login(ctx)?;
    let m = store::municipalities::by_slug(&state.db, slug).await?;
    require(ctx, Permission::ManageMembers(m.id))?;
    Ok(m)
}

/// `GET /admin/protokoll`
pub async fn admin_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    show(&state, ctx, None, q).await
}

/// `GET /admin/protokoll.csv`
pub async fn admin_csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    export(&state, None, &q).await
}

/// `GET /kommunen/{slug}/protokoll`
pub async fn city_page(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let m = city_of(&state, &ctx, &slug).await?;
    show(&state, ctx, Some(m), q).await
}

/// `GET /kommunen/{slug}/protokoll.csv`
pub async fn city_csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let m = city_of(&state, &ctx, &slug).await?;
    export(&state, Some(&m), &q).await
}
