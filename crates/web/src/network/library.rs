//! `GET /netzwerk/bibliothek`: the measures of every city the visitor may see (ADR 0006, applied in SQL) and the
//! network's published templates, filtered by field of action, size class, status, investment costs and free
//! text, 20 per page. Coordinators and editors may take an entry into their own city ("In meine Kommune
//! übernehmen" posts to the existing copy flow, which keeps the origin link).

use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::municipality::SizeClass;
use domain::role::CityRole;
use domain::values::parse_euros;
use serde::Deserialize;
use store::library::{LibraryFilter, LibraryRow, Viewer};
use store::templates::Template as MeasureTemplate;

pub const PAGE_SIZE: i64 = 20;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LibraryQuery {
    pub handlungsfeld: String,
    pub groesse: String,
    pub status: String,
    pub kosten_von: String,
    pub kosten_bis: String,
    pub q: String,
    pub seite: String,
}

/// Population bounds of a size class (`min <= population < max`), as `domain::municipality` defines them.
pub fn population_range(class: SizeClass) -> (i64, i64) {
    match class {
        SizeClass::Landgemeinde => (0, 5_000),
        SizeClass::Kleinstadt => (5_000, 20_000),
        SizeClass::Mittelstadt => (20_000, 100_000),
        SizeClass::Grossstadt => (100_000, i64::MAX),
    }
}

impl LibraryQuery {
    /// The filter, or a message per field. Choices from the lists that are unknown are ignored (old links stay
    /// usable); typed amounts must be amounts, and "bis" must not be below "von".
    pub fn filter(&self) -> Result<LibraryFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let cost_min = e.take("kosten_von", parse_euros(&self.kosten_von));
        let cost_max = e.take("kosten_bis", parse_euros(&self.kosten_bis));
        if let (Some(Some(a)), Some(Some(b))) = (cost_min, cost_max)
            && b < a
        {
            e.push("kosten_bis", "err-library-cost-order");
        }
        let q = self.q.trim();
        if q.chars().count() > 200 {
            e.push("q", "err-library-text-long");
        }
        let (Some(cost_min), Some(cost_max), true) = (cost_min, cost_max, e.is_empty()) else {
            return Err(e);
        };
        Ok(LibraryFilter {
            field_id: self.handlungsfeld.parse().ok(),
            population: SizeClass::parse(&self.groesse).map(population_range),
            status: Some(self.status.clone()).filter(|s| !s.is_empty()),
            cost_min,
            cost_max,
            text: Some(q.to_string()).filter(|s| !s.is_empty()),
        })
    }

    pub fn page(&self) -> i64 {
        self.seite
            .parse::<i64>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or(1)
            .min(10_000)
    }

    /// The query string of this filter on another page.
    pub fn with_page(&self, page: i64) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("handlungsfeld", &self.handlungsfeld)
            .append_pair("groesse", &self.groesse)
            .append_pair("status", &self.status)
            .append_pair("kosten_von", &self.kosten_von)
            .append_pair("kosten_bis", &self.kosten_bis)
            .append_pair("q", &self.q)
            .append_pair("seite", &page.to_string())
            .finish()
    }

    fn form(&self) -> FormView {
        FormView::new()
            .with("handlungsfeld", &self.handlungsfeld)
            .with("groesse", &self.groesse)
            .with("status", &self.status)
            .with("kosten_von", &self.kosten_von)
            .with("kosten_bis", &self.kosten_bis)
            .with("q", &self.q)
    }
}

/// The cities where the visitor may create measures (coordinator or editor): `(slug, name)`.
pub fn own_cities(ctx: &RequestCtx) -> Vec<(String, String)> {
    ctx.user
        .iter()
        .flat_map(|u| u.cities.iter())
        .filter(|c| matches!(c.role, CityRole::Coordinator | CityRole::Editor))
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect()
}

#[derive(Template)]
#[template(path = "network/library.html")]
struct LibraryPage {
    ctx: RequestCtx,
    form: FormView,
    fields: Vec<(i64, String)>,
    statuses: Vec<(String, String)>,
    sizes: Vec<(&'static str, String)>,
    rows: Vec<LibraryRow>,
    total: i64,
    page: i64,
    pages: i64,
    prev: Option<String>,
    next: Option<String>,
    templates: Vec<MeasureTemplate>,
    /// Templates are shown only when no filter they cannot answer (status, size class, costs) is set.
    show_templates: bool,
    own: Vec<(String, String)>,
}

impl LibraryPage {
    pub fn euros(&self, v: &Option<i64>) -> String {
        v.map(domain::values::format_euros)
            .unwrap_or_else(|| "–".into())
    }

    pub fn size(&self, population: &i64) -> String {
        let class = SizeClass::from_population(u32::try_from(*population).unwrap_or(u32::MAX));
        self.ctx.tk("size-", class.as_str())
    }

    pub fn field_name(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.fields.iter().find(|(f, _)| *f == id))
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "–".into())
    }
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<LibraryQuery>,
) -> Result<Response, AppError> {
    let fields: Vec<(i64, String)> = store::taxonomy::list(&state.db, "field_of_action")
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let statuses = store::measures::statuses(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.status_key, s.name))
        .collect();
    let sizes = SizeClass::ALL
        .into_iter()
        .map(|c| (c.as_str(), ctx.tk("size-", c.as_str())))
        .collect();
    let own = own_cities(&ctx);
    let page = q.page();
    let (status, form, rows, templates, show_templates) = match q.filter() {
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            q.form().with_errors(&ctx, &errors),
            vec![],
            vec![],
            false,
        ),
        Ok(filter) => {
            let rows = store::library::measures(
                &state.db,
                Viewer::of(&ctx.actor),
                &filter,
                PAGE_SIZE,
                (page - 1) * PAGE_SIZE,
            )
            .await?;
            let show_templates = filter.status.is_none()
                && filter.population.is_none()
                && filter.cost_min.is_none()
                && filter.cost_max.is_none();
            let templates = if show_templates {
                let text = filter.text.as_deref().map(str::to_lowercase);
                store::templates::list(&state.db, true)
                    .await?
                    .into_iter()
                    .filter(|t| filter.field_id.is_none() || t.primary_field_id == filter.field_id)
                    .filter(|t| {
                        text.as_deref().is_none_or(|x| {
                            t.title.to_lowercase().contains(x)
                                || t.short_description.to_lowercase().contains(x)
                        })
                    })
                    .collect()
            } else {
                vec![]
            };
            (StatusCode::OK, q.form(), rows, templates, show_templates)
        }
    };
    let total = rows.first().map_or(0, |r| r.total);
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let prev = (page > 1).then(|| q.with_page(page - 1));
    let next = (page < pages).then(|| q.with_page(page + 1));
    let p = LibraryPage {
        ctx,
        form,
        fields,
        statuses,
        sizes,
        rows,
        total,
        page,
        pages,
        prev,
        next,
        templates,
        show_templates,
        own,
    };
    Ok((status, render(&p)?).into_response())
}
