//! `GET /suche?q=…&kommune=…&art=…&feld=…&seite=…`: the search page.

use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use search::{Kind, PER_PAGE, QueryError};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Deserialize, Default)]
pub struct Params {
    q: Option<String>,
    kommune: Option<String>,
    art: Option<String>,
    feld: Option<String>,
    seite: Option<String>,
}

/// One facet value: its label, count, the link that applies (or removes) it, and whether it is applied.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

pub struct HitView {
    pub kind: String,
    pub city: String,
    pub title_html: String,
    pub snippet_html: String,
    pub url: String,
}

pub struct ResultsView {
    pub total: usize,
    pub hits: Vec<HitView>,
    pub kinds: Vec<FacetLink>,
    pub cities: Vec<FacetLink>,
    pub fields: Vec<FacetLink>,
    pub page: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    ctx: RequestCtx,
    q: String,
    error: Option<String>,
    indexing: bool,
    results: Option<ResultsView>,
}

/// The link to the search with these parameters.
fn href(
    q: &str,
    city: Option<&str>,
    kind: Option<&str>,
    field: Option<&str>,
    page: usize,
) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("q", q);
    if let Some(c) = city {
        s.append_pair("kommune", c);
    }
    if let Some(k) = kind {
        s.append_pair("art", k);
    }
    if let Some(f) = field {
        s.append_pair("feld", f);
    }
    if page > 1 {
        s.append_pair("seite", &page.to_string());
    }
    format!("/suche?{}", s.finish())
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    let indexing = !state.search.is_ready();
    let raw_q = p.q.clone().unwrap_or_default();
    // The first visit (no `q` at all) shows the empty form.
    if p.q.is_none() {
        let page = SearchPage {
            ctx,
            q: raw_q,
            error: None,
            indexing,
            results: None,
        };
        return Ok(render(&page)?.into_response());
    }
    let query = match search::Query::parse(
        p.q.as_deref(),
        p.kommune.as_deref(),
        p.art.as_deref(),
        p.feld.as_deref(),
        p.seite.as_deref(),
    ) {
        Ok(q) => q,
        Err(e) => {
            let status = if e == QueryError::Empty {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let error = Some(match e {
                QueryError::TooLong => ctx.t1(e.message_id(), "max", search::MAX_QUERY_CHARS),
                _ => ctx.t(e.message_id()),
            });
            let page = SearchPage {
                ctx,
                q: raw_q,
                error,
                indexing,
                results: None,
            };
            return Ok((status, render(&page)?).into_response());
        }
    };
    let r = super::run(&state, &ctx.actor, query.clone()).await?;
    if r.no_terms {
        let error = Some(ctx.t("search-err-stop-words"));
        let page = SearchPage {
            ctx,
            q: raw_q,
            error,
            indexing,
            results: None,
        };
        return Ok(render(&page)?.into_response());
    }

    let mut cities: HashMap<String, String> = store::municipalities::list(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.slug, m.name))
        .collect();
    // Network events and articles belong to no city (ADR 0015).
    cities
        .entry("netzwerk".into())
        .or_insert_with(|| ctx.t("search-city-network"));
    let terms: HashMap<i64, String> = store::taxonomy::all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();

    let text = query.text.as_str();
    let city = query.city.as_deref();
    let kind = query.kind.map(Kind::as_str);
    let field = query.field.map(|f| f.to_string());
    let field = field.as_deref();
    let kinds = r
        .facets
        .kinds
        .iter()
        .map(|(k, n)| {
            let active = query.kind == Some(*k);
            FacetLink {
                label: ctx.t(&k.message_id()),
                count: *n,
                href: href(text, city, (!active).then_some(k.as_str()), field, 1),
                active,
            }
        })
        .collect();
    let city_links = r
        .facets
        .cities
        .iter()
        .map(|(slug, n)| {
            let active = city == Some(slug.as_str());
            FacetLink {
                label: cities.get(slug).cloned().unwrap_or_else(|| slug.clone()),
                count: *n,
                href: href(text, (!active).then_some(slug.as_str()), kind, field, 1),
                active,
            }
        })
        .collect();
    let fields = r
        .facets
        .fields
        .iter()
        .map(|(id, n)| {
            let active = query.field == Some(*id);
            let id_s = id.to_string();
            FacetLink {
                label: terms.get(id).cloned().unwrap_or_else(|| id_s.clone()),
                count: *n,
                href: href(text, city, kind, (!active).then_some(id_s.as_str()), 1),
                active,
            }
        })
        .collect();
    let pages = r.total.div_ceil(PER_PAGE).max(1);
    let results = ResultsView {
        total: r.total,
        hits: r
            .hits
            .into_iter()
            .map(|h| HitView {
                kind: ctx.t(&h.kind.message_id()),
                city: h.municipality_name,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                url: h.url,
            })
            .collect(),
        kinds,
        cities: city_links,
        fields,
        page: query.page,
        pages,
        prev: (query.page > 1).then(|| href(text, city, kind, field, query.page - 1)),
        next: (query.page < pages).then(|| href(text, city, kind, field, query.page + 1)),
    };
    let page = SearchPage {
        ctx,
        q: raw_q,
        error: None,
        indexing,
        results: Some(results),
    };
    Ok(render(&page)?.into_response())
}
