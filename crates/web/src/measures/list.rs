//! The measure list of a municipality with filters and sorting (one SQL query whatever the size).

use super::Lookups;
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::measures::{Filter, MeasureRow, Sort};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub handlungsfeld: String,
    pub status: String,
    pub prioritaet: String,
    pub quickwin: String,
    pub federfuehrung: String,
    pub sortierung: String,
}

impl ListQuery {
    /// Filters from the query; unknown values are ignored rather than refused (links stay usable).
    pub fn filter(&self) -> (Filter, Sort) {
        let f = Filter {
            field_id: self.handlungsfeld.parse().ok(),
            status: Some(self.status.clone()).filter(|s| !s.is_empty()),
            priority: Some(self.prioritaet.clone())
                .filter(|s| matches!(s.as_str(), "hoch" | "mittel" | "niedrig")),
            quick_win: match self.quickwin.as_str() {
                "ja" => Some(true),
                "nein" => Some(false),
                _ => None,
            },
            lead: Some(self.federfuehrung.trim().to_string()).filter(|s| !s.is_empty()),
        };
        (f, Sort::parse(&self.sortierung).unwrap_or_default())
    }

    /// The query string for export links (same filters).
    pub fn as_query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("handlungsfeld", &self.handlungsfeld)
            .append_pair("status", &self.status)
            .append_pair("prioritaet", &self.prioritaet)
            .append_pair("quickwin", &self.quickwin)
            .append_pair("federfuehrung", &self.federfuehrung)
            .append_pair("sortierung", &self.sortierung)
            .finish()
    }
}

#[derive(Template)]
#[template(path = "measures/list.html")]
struct ListPage {
    ctx: RequestCtx,
    city: City,
    rows: Vec<MeasureRow>,
    q: ListQuery,
    lookups: Lookups,
    sorts: Vec<(&'static str, String)>,
    export_query: String,
    /// Labels looked up once per page, not once per row.
    labels: Vec<(String, String)>,
    quick_win: String,
}

impl ListPage {
    pub fn date(&self, iso: &str) -> String {
        domain::values::german_date(iso)
    }

    pub fn label(&self, key: &str) -> String {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let (filter, sort) = q.filter();
    let rows =
        store::measures::list(&state.db, city.m.id, city.min_visibility, &filter, sort).await?;
    let lookups = Lookups::load(&state, city.m.id).await?;
    let sorts = Sort::ALL
        .into_iter()
        .map(|s| (s.as_str(), ctx.t(&format!("sort-{}", s.as_str()))))
        .collect();
    let export_query = q.as_query();
    let labels = [
        "priority-hoch",
        "priority-mittel",
        "priority-niedrig",
        "visibility-intern",
        "visibility-netzwerk",
        "visibility-oeffentlich",
    ]
    .into_iter()
    .map(|k| (k.to_string(), ctx.t(k)))
    .collect();
    let quick_win = ctx.t("quick-win");
    Ok(render(&ListPage {
        ctx,
        city,
        rows,
        q,
        lookups,
        sorts,
        export_query,
        labels,
        quick_win,
    })?
    .into_response())
}
