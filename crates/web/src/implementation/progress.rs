//! Progress reports on the measure page: the list (status, percent, text, milestone, photos), the form for
//! editors (multipart, with up to three photos that need alt text), overdue milestones and KPI charts; and
//! serving a photo to those who may see its measure.

use crate::charts::time::{KpiLabels, kpi_chart};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::measures::detail::page;
use crate::measures::visible_measure;
use crate::state::AppState;
use crate::view::{FormView, render, today};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::progress::{PHOTOS_MAX, ProgressInput, check_photo, overdue};
use domain::validation::FieldErrors;
use store::measure_parts::Parts;
use store::measures::MeasureRecord;
use store::progress::{NewPhoto, NewReport, Photo, Report};

/// What the measure page shows of the implementation.
pub struct ProgressView {
    pub reports: Vec<(Report, Vec<Photo>)>,
    /// Milestone ids that are overdue today.
    pub overdue: Vec<i64>,
    /// Open milestones a report may mark reached: `(id, title)`.
    pub open_milestones: Vec<(i64, String)>,
    /// KPI id → chart.
    pub kpi_charts: Vec<(i64, String)>,
    /// `Some(following?)` for people logged in, `None` otherwise.
    pub following: Option<bool>,
    pub today: String,
}

impl ProgressView {
    pub async fn load(
        state: &AppState,
        ctx: &RequestCtx,
        rec: &MeasureRecord,
        parts: &Parts,
    ) -> Result<ProgressView, AppError> {
        let today = today();
        let reports = store::progress::reports(&state.db, rec.id).await?;
        let mut photos = store::progress::photos(&state.db, rec.id).await?;
        let reports = reports
            .into_iter()
            .map(|r| {
                let mine = photos
                    .iter()
                    .filter(|p| p.report_id == r.id)
                    .cloned()
                    .collect();
                photos.retain(|p| p.report_id != r.id);
                (r, mine)
            })
            .collect();
        let overdue_ids = parts
            .milestones
            .iter()
            .filter(|m| overdue(m.due_date.as_deref(), m.done_on.as_deref(), &today))
            .map(|m| m.id)
            .collect();
        let open_milestones = parts
            .milestones
            .iter()
            .filter(|m| m.done_on.is_none())
            .map(|m| (m.id, m.title.clone()))
            .collect();
        let labels = KpiLabels {
            baseline: &ctx.t("kpi-baseline"),
            target: &ctx.t("kpi-target"),
            values: &ctx.t("kpi-chart-values"),
        };
        let kpi_charts = parts
            .kpis
            .iter()
            .filter_map(|k| {
                let pts: Vec<(String, f64, String)> = parts
                    .measurements
                    .iter()
                    .filter(|m| m.kpi_id == k.id)
                    .map(|m| {
                        let label =
                            format!("{} {}", domain::values::format_decimal(m.value), k.unit);
                        (m.measured_on.clone(), m.value, label.trim().to_string())
                    })
                    .collect();
                (!pts.is_empty()).then(|| {
                    let title = ctx.t1("kpi-chart-title", "name", &k.name);
                    (
                        k.id,
                        kpi_chart(
                            &format!("kpi-chart-{}", k.id),
                            &title,
                            &pts,
                            k.baseline,
                            k.target,
                            &labels,
                        ),
                    )
                })
            })
            .collect();
        let following = match ctx.actor.user_id {
            Some(uid) => Some(store::progress::follows(&state.db, uid, "massnahme", rec.id).await?),
            None => None,
        };
        Ok(ProgressView {
            reports,
            overdue: overdue_ids,
            open_milestones,
            kpi_charts,
            following,
            today,
        })
    }

    pub fn is_overdue(&self, milestone_id: &i64) -> bool {
        self.overdue.contains(milestone_id)
    }

    pub fn chart_of(&self, kpi_id: &i64) -> Option<&str> {
        self.kpi_charts
            .iter()
            .find(|(id, _)| id == kpi_id)
            .map(|(_, s)| s.as_str())
    }

    /// The latest percent complete, if any report exists.
    pub fn percent(&self) -> Option<i64> {
        self.reports.first().map(|(r, _)| r.percent)
    }
}

/// The form as read from the multipart body. Empty file inputs arrive as empty parts: a slot holds a photo
/// when its file is not empty (an alt text without its photo has nothing to describe).
#[derive(Default)]
struct Upload {
    input: ProgressInput,
    alts: [String; PHOTOS_MAX],
    files: [Vec<u8>; PHOTOS_MAX],
}

async fn read_form(mut mp: Multipart) -> Result<Upload, &'static str> {
    let mut u = Upload::default();
    while let Some(field) = mp.next_field().await.map_err(|_| "err-upload-broken")? {
        let name = field.name().unwrap_or_default().to_string();
        let slot = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| (1..=PHOTOS_MAX).contains(n))
                .map(|n| n - 1)
        };
        if let Some(i) = slot("photo") {
            u.files[i] = field
                .bytes()
                .await
                .map_err(|_| "err-photo-too-large")?
                .to_vec();
            continue;
        }
        let alt_slot = slot("alt");
        let text = field.text().await.map_err(|_| "err-upload-broken")?;
        match (name.as_str(), alt_slot) {
            (_, Some(i)) => u.alts[i] = text,
            ("reported_on", _) => u.input.reported_on = text,
            ("percent", _) => u.input.percent = text,
            ("body", _) => u.input.body = text,
            ("milestone_id", _) => u.input.milestone_id = text,
            _ => {}
        }
    }
    Ok(u)
}

/// Editors: add a progress report (multipart; the CSRF token comes in the query, see `security::csrf`).
pub async fn add(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let rec = visible_measure(&state, &city, id).await?;
    let u = match read_form(mp).await {
        Ok(u) => u,
        Err(code) => {
            let mut e = FieldErrors::new();
            e.push("photo1", code);
            return refuse(&state, ctx, city, id, &Default::default(), e).await;
        }
    };
    let parts = store::measure_parts::load(&state.db, city.m.id, id).await?;
    let open: Vec<i64> = parts
        .milestones
        .iter()
        .filter(|m| m.done_on.is_none())
        .map(|m| m.id)
        .collect();
    let (draft, mut errors) = match u.input.parse(&open, &today()) {
        Ok(d) => (Some(d), FieldErrors::new()),
        Err(e) => (None, e),
    };
    let mut photos = vec![];
    const FIELDS: [(&str, &str); PHOTOS_MAX] =
        [("photo1", "alt1"), ("photo2", "alt2"), ("photo3", "alt3")];
    let slots = u.files.iter().zip(&u.alts).enumerate();
    for (i, (bytes, alt)) in slots.filter(|(_, (f, _))| !f.is_empty()) {
        match check_photo(bytes, alt) {
            Ok((content_type, alt)) => photos.push(NewPhoto {
                content_type,
                alt,
                data: bytes.clone(),
            }),
            Err("err-photo-alt") => errors.push(FIELDS[i].1, "err-photo-alt"),
            Err(code) => errors.push(FIELDS[i].0, code),
        }
    }
    let Some(draft) = draft.filter(|_| errors.is_empty()) else {
        return refuse(&state, ctx, city, id, &u.input, errors).await;
    };
    let report = NewReport {
        municipality_id: city.m.id,
        measure_id: id,
        visibility: &rec.visibility,
        status: &rec.status,
        draft: &draft,
        author_id: user_id,
        photos,
    };
    match store::progress::add_report(&state.db, &report).await {
        Ok(rid) => {
            tracing::info!(
                measure_id = id,
                report_id = rid,
                by = user_id,
                "progress reported"
            );
            // The mail worker turns the followers' notifications into mails.
            state.mail_wakeup.notify_one();
            Ok(
                Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=progress#fortschritt")))
                    .into_response(),
            )
        }
        Err(store::StoreError::Refused(code)) => {
            let mut e = FieldErrors::new();
            e.push("milestone_id", code);
            refuse(&state, ctx, city, id, &u.input, e).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    id: i64,
    input: &ProgressInput,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let form = FormView::new()
        .with("reported_on", &input.reported_on)
        .with("percent", &input.percent)
        .with("body", &input.body)
        .with("milestone_id", &input.milestone_id)
        .with_errors(&ctx, &errors);
    let p = page(state, ctx, city, id, form, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
}

/// A report photo, for those who may see its measure; served with headers that keep it an image.
pub async fn photo(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, upload_id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let (content_type, data, measure_id, municipality_id) =
        store::progress::photo(&state.db, upload_id).await?;
    if municipality_id != city.m.id {
        return Err(AppError::NotFound);
    }
    let rec = visible_measure(&state, &city, measure_id).await?;
    let cache = if rec.visibility == "oeffentlich" {
        "public, max-age=86400"
    } else {
        "private, max-age=3600"
    };
    crate::security::headers::uploaded_image(&content_type, data, cache)
}
