//! Writes for integrations with a per-city API token (`Authorization: Bearer …`, ADR 0016): progress reports
//! and status changes of measures. A token works only for its city and its scopes, and never for more than the
//! person who created it may still do; the session cookie alone never authorises a write here (these handlers
//! read no session, and the CSRF check lets a request through unchecked only when it carries a bearer token).
//! Writes go through the same domain rules and store functions as the forms, so followers get notifications.

use super::measures::ProgressReportDto;
use super::{ApiError, ApiFieldError};
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::opendata::Scope;
use domain::permission::{Actor, Permission};
use domain::progress::ProgressInput;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::measures::MeasureRecord;
use utoipa::ToSchema;

/// The caller of a write: the token's city and the rights of the person who created the token.
struct Caller {
    token_id: i64,
    token_name: String,
    author_id: i64,
    actor: Actor,
    municipality_id: i64,
}

impl Caller {
    /// Who the audit log names for a write made with this token (ADR 0018).
    fn acting(&self) -> crate::audit::ActingToken {
        crate::audit::ActingToken {
            name: self.token_name.clone(),
            created_by: self.author_id,
        }
    }
}

fn unauthorized(message: &str) -> Response {
    let mut r = ApiError::plain(StatusCode::UNAUTHORIZED, "unauthorized", message);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"werkstatt\""),
    );
    r
}

fn forbidden(message: &str) -> Response {
    ApiError::plain(StatusCode::FORBIDDEN, "forbidden", message)
}

/// The bearer token of a request, if it names one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Authenticate the token and check city and scope. Errors are complete responses (401/403/404).
async fn authorise(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    scope: Scope,
) -> Result<Result<Caller, Response>, AppError> {
    let Some(secret) = bearer(headers) else {
        return Ok(Err(unauthorized(
            "This endpoint needs an API token: `Authorization: Bearer <token>`.",
        )));
    };
    let Some(token) = store::api_tokens::authenticate(&state.db, secret).await? else {
        return Ok(Err(unauthorized("Unknown or revoked API token.")));
    };
    let m = match store::municipalities::by_slug(&state.db, slug).await {
        Ok(m) => m,
        Err(store::StoreError::NotFound) => return Ok(Err(ApiError::not_found())),
        Err(e) => return Err(e.into()),
    };
    if token.municipality_id != m.id {
        return Ok(Err(forbidden(
            "This API token belongs to another municipality.",
        )));
    }
    if !Scope::list(&token.scopes).contains(&scope) {
        return Ok(Err(forbidden(&format!(
            "This API token lacks the scope `{}`.",
            scope.key()
        ))));
    }
    let user = store::users::by_id(&state.db, token.created_by).await?;
    let memberships = store::users::memberships(&state.db, user.id).await?;
    let actor = store::users::actor(&user, &memberships);
    if !actor.can(Permission::EditCity(m.id)) {
        return Ok(Err(forbidden(
            "The person who created this API token may no longer edit this municipality.",
        )));
    }
    Ok(Ok(Caller {
        token_id: token.id,
        token_name: token.name,
        author_id: user.id,
        actor,
        municipality_id: m.id,
    }))
}

/// The JSON object of a request body, or the 400 response saying why not.
fn json_object(body: &Bytes) -> Result<Map<String, Value>, Box<Response>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(Box::new(ApiError::plain(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "The body must be a JSON object.",
        ))),
        Err(e) => Err(Box::new(ApiError::plain(
            StatusCode::BAD_REQUEST,
            "bad_json",
            &format!("The body is not valid JSON: {e}."),
        ))),
    }
}

/// The 422 answer: one entry per bad field, then one per unknown field (named as sent).
fn reject(errors: &FieldErrors, unknown: &[String]) -> Response {
    let en = crate::i18n::Lang::En;
    let mut fields: Vec<ApiFieldError> = errors
        .0
        .iter()
        .map(|e| ApiFieldError {
            field: e.field.into(),
            code: e.code.into(),
            message: en.t(e.code),
        })
        .collect();
    fields.extend(unknown.iter().map(|k| ApiFieldError {
        field: k.clone(),
        code: "err-json-unknown-field".into(),
        message: en.t("err-json-unknown-field"),
    }));
    let body = ApiError {
        error: "validation".into(),
        message: "The request body has invalid fields; nothing was stored.".into(),
        fields,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Read the known fields of an object as form text; wrong types become field errors, unknown keys are
/// returned in the order sent.
fn fields_as_text(
    o: &Map<String, Value>,
    known: &[(&'static str, JsonKind)],
    errors: &mut FieldErrors,
) -> (Vec<String>, Vec<String>) {
    let unknown = o
        .keys()
        .filter(|k| !known.iter().any(|(name, _)| name == k))
        .cloned()
        .collect();
    let values = known
        .iter()
        .map(|(name, kind)| match (o.get(*name), kind) {
            (None | Some(Value::Null), _) => String::new(),
            (Some(Value::String(s)), JsonKind::Text) => s.clone(),
            (Some(Value::Number(n)), JsonKind::Integer) if n.is_i64() => n.to_string(),
            (Some(_), JsonKind::Text) => {
                errors.push(name, "err-json-string");
                String::new()
            }
            (Some(_), JsonKind::Integer) => {
                errors.push(name, "err-json-integer");
                String::new()
            }
        })
        .collect();
    (values, unknown)
}

#[derive(Clone, Copy)]
enum JsonKind {
    Text,
    Integer,
}

/// A progress report sent by an integration.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct NewProgressReport {
    /// ISO date (`2026-05-04`), not in the future.
    reported_on: String,
    /// Percent complete, 0–100.
    percent: i64,
    /// What happened, at most 5,000 characters.
    body: String,
    /// Id of one of the measure's open milestones that this report marks reached.
    milestone_id: Option<i64>,
}

/// What every measure write starts with: the token (401/403), the measure of its city (404), the body as
/// a JSON object (400) — or the answer that ends the request.
async fn target(
    state: &AppState,
    headers: &HeaderMap,
    slug: &str,
    scope: Scope,
    id: i64,
    body: &Bytes,
) -> Result<Result<(Caller, MeasureRecord, Map<String, Value>), Box<Response>>, AppError> {
    let caller = match authorise(state, headers, slug, scope).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(Box::new(r))),
    };
    let Some(rec) = measure_of(state, caller.municipality_id, id).await? else {
        return Ok(Err(Box::new(ApiError::not_found())));
    };
    Ok(json_object(body).map(|o| (caller, rec, o)))
}

async fn measure_of(
    state: &AppState,
    municipality_id: i64,
    id: i64,
) -> Result<Option<MeasureRecord>, AppError> {
    match store::measures::record(&state.db, municipality_id, id).await {
        Ok(r) => Ok(Some(r)),
        Err(store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Add a progress report to a measure (scope `progress:write`).
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{slug}/measures/{id}/progress",
    params(("slug" = String, Path, description = "URL slug of the municipality"), ("id" = i64, Path, description = "Measure id")),
    request_body = NewProgressReport,
    responses(
        (status = 201, description = "Stored; `Location` names the measure's reports", body = ProgressReportDto),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 401, description = "Unknown or revoked API token (or a session cookie instead of a token)", body = ApiError),
        (status = 403, description = "The token belongs to another municipality or lacks `progress:write`; or no `Authorization` header at all (then the CSRF check refuses the request)", body = ApiError),
        (status = 404, description = "No such municipality or measure", body = ApiError),
        (status = 422, description = "Invalid fields; `fields` names each with a code and message. Nothing was stored.", body = ApiError)
    ),
    security(("bearer" = [])),
    tag = "writes"
)]
pub async fn add_progress(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (caller, rec, o) =
        match target(&state, &headers, &slug, Scope::ProgressWrite, id, &body).await? {
            Ok(t) => t,
            Err(r) => return Ok(*r),
        };
    let mut errors = FieldErrors::new();
    let (values, unknown) = fields_as_text(
        &o,
        &[
            ("reported_on", JsonKind::Text),
            ("percent", JsonKind::Integer),
            ("body", JsonKind::Text),
            ("milestone_id", JsonKind::Integer),
        ],
        &mut errors,
    );
    let [reported_on, percent, text, milestone_id]: [String; 4] = values
        .try_into()
        .map_err(|_| AppError::Internal("field count".into()))?;
    let input = ProgressInput {
        reported_on,
        percent,
        body: text,
        milestone_id,
    };
    let parts = store::measure_parts::load(&state.db, caller.municipality_id, id).await?;
    let open: Vec<i64> = parts
        .milestones
        .iter()
        .filter(|m| m.done_on.is_none())
        .map(|m| m.id)
        .collect();
    let parsed = input.parse(&open, &crate::view::today());
    let draft = match parsed {
        Ok(d) if errors.is_empty() && unknown.is_empty() => d,
        Ok(_) => return Ok(reject(&errors, &unknown)),
        Err(e) => {
            // Type errors first, then the rule errors of fields that had the right type.
            for fe in e.0 {
                if errors.for_field(fe.field).is_none() {
                    errors.push(fe.field, fe.code);
                }
            }
            return Ok(reject(&errors, &unknown));
        }
    };
    let report = store::progress::NewReport {
        municipality_id: caller.municipality_id,
        measure_id: id,
        visibility: &rec.visibility,
        status: &rec.status,
        draft: &draft,
        author_id: caller.author_id,
        photos: vec![],
    };
    let rid = match store::progress::add_report(&state.db, &report).await {
        Ok(rid) => rid,
        Err(store::StoreError::Refused(code)) => {
            let mut e = FieldErrors::new();
            e.push("milestone_id", code);
            return Ok(reject(&e, &[]));
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        measure_id = id,
        report_id = rid,
        token_id = caller.token_id,
        "progress reported through the API"
    );
    state.mail_wakeup.notify_one();
    let milestone_title = draft.milestone_id.and_then(|ms| {
        parts
            .milestones
            .iter()
            .find(|m| m.id == ms)
            .map(|m| m.title.clone())
    });
    let dto = ProgressReportDto {
        id: rid,
        reported_on: draft.reported_on,
        status: rec.status,
        percent: draft.percent,
        body: draft.body,
        milestone_id: draft.milestone_id,
        milestone_title,
        photos: vec![],
        created_at: store::now_secs(),
    };
    let location = format!("/api/v1/municipalities/{slug}/measures/{id}/progress");
    let mut r = (StatusCode::CREATED, Json(dto)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.extensions_mut().insert(caller.acting());
    Ok(r)
}

/// A change to a measure. Only `status` can be changed through the API so far.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct MeasurePatch {
    /// The new status key (e.g. `umsetzung`); the step must exist in the status workflow and be allowed for
    /// the role of the person who created the token.
    status: String,
    /// The status the caller expects the measure to have now; if given and different, 409.
    from_status: Option<String>,
}

/// The measure after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureState {
    pub id: i64,
    pub status: String,
    pub version: i64,
}

/// Change a measure's status along the workflow (scope `measures:write`).
#[utoipa::path(
    patch,
    path = "/api/v1/municipalities/{slug}/measures/{id}",
    params(("slug" = String, Path, description = "URL slug of the municipality"), ("id" = i64, Path, description = "Measure id")),
    request_body = MeasurePatch,
    responses(
        (status = 200, description = "Changed (or already in this status)", body = MeasureState),
        (status = 400, description = "The body is not a JSON object", body = ApiError),
        (status = 401, description = "Unknown or revoked API token (or a session cookie instead of a token)", body = ApiError),
        (status = 403, description = "Other municipality, missing `measures:write`, the step needs a higher role, or no `Authorization` header at all (CSRF check)", body = ApiError),
        (status = 404, description = "No such municipality or measure", body = ApiError),
        (status = 409, description = "The status is not `from_status` (changed meanwhile)", body = ApiError),
        (status = 422, description = "Invalid fields, or no such step in the workflow. Nothing was stored.", body = ApiError)
    ),
    security(("bearer" = [])),
    tag = "writes"
)]
pub async fn patch_measure(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let (caller, rec, o) =
        match target(&state, &headers, &slug, Scope::MeasuresWrite, id, &body).await? {
            Ok(t) => t,
            Err(r) => return Ok(*r),
        };
    let mut errors = FieldErrors::new();
    let (values, unknown) = fields_as_text(
        &o,
        &[("status", JsonKind::Text), ("from_status", JsonKind::Text)],
        &mut errors,
    );
    let [to, from]: [String; 2] = values
        .try_into()
        .map_err(|_| AppError::Internal("field count".into()))?;
    let to = to.trim().to_string();
    if to.is_empty() && errors.for_field("status").is_none() {
        errors.push("status", "err-required");
    }
    if !errors.is_empty() || !unknown.is_empty() {
        return Ok(reject(&errors, &unknown));
    }
    let from = match from.trim() {
        "" => rec.status.clone(),
        f => f.to_string(),
    };
    let conflict = || {
        ApiError::plain(
            StatusCode::CONFLICT,
            "conflict",
            "The measure's status changed meanwhile; read it again.",
        )
    };
    if from != rec.status {
        return Ok(conflict());
    }
    if to == rec.status {
        return Ok(Json(MeasureState {
            id,
            status: rec.status,
            version: rec.version,
        })
        .into_response());
    }
    let workflow = store::measures::workflow(&state.db).await?;
    match workflow.check(&caller.actor, caller.municipality_id, &from, &to) {
        Ok(()) => {}
        Err("err-transition-role") => {
            return Ok(forbidden(
                "The role of the person who created this API token does not allow this step.",
            ));
        }
        Err(code) => {
            let mut e = FieldErrors::new();
            e.push("status", code);
            return Ok(reject(&e, &[]));
        }
    }
    match store::measures::set_status(
        &state.db,
        caller.municipality_id,
        id,
        &from,
        &to,
        caller.author_id,
    )
    .await
    {
        Ok(()) => {}
        Err(store::StoreError::Conflict(_)) => return Ok(conflict()),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(measure_id = id, from = %from, to = %to, token_id = caller.token_id, "measure status changed through the API");
    let rec = store::measures::record(&state.db, caller.municipality_id, id).await?;
    let mut r = Json(MeasureState {
        id,
        status: rec.status,
        version: rec.version,
    })
    .into_response();
    r.extensions_mut().insert(caller.acting());
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_is_read_case_insensitively_and_needs_a_token() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer abc"),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
