//! Measures and project sheets: list, create, detail, edit, status, the sheet's lists, templates, exports.

pub mod detail;
pub mod export;
pub mod form;
pub mod list;
pub mod parts;
pub mod status;
pub mod templates;

use crate::city::City;
use crate::error::AppError;
use crate::state::AppState;
use store::measures::MeasureRecord;

/// A measure of the city that the visitor may see (404 otherwise, so that hidden measures stay unknown).
pub async fn visible_measure(
    state: &AppState,
    city: &City,
    id: i64,
) -> Result<MeasureRecord, AppError> {
    let rec = store::measures::record(&state.db, city.m.id, id).await?;
    if city.may_see(rec.visibility()) {
        Ok(rec)
    } else {
        Err(AppError::NotFound)
    }
}

/// An id, however many references deep a template hands it over.
pub trait Id {
    fn id(&self) -> i64;
}

impl Id for i64 {
    fn id(&self) -> i64 {
        *self
    }
}

impl<T: Id + ?Sized> Id for &T {
    fn id(&self) -> i64 {
        (**self).id()
    }
}

/// Names of everything a sheet refers to by id, loaded once per page.
pub struct Lookups {
    pub terms: Vec<store::taxonomy::Term>,
    pub goals: Vec<store::fields::Goal>,
    pub stakeholders: Vec<store::stakeholders::Stakeholder>,
    pub statuses: Vec<store::measures::Status>,
}

impl Lookups {
    pub async fn load(state: &AppState, municipality_id: i64) -> Result<Lookups, AppError> {
        Ok(Lookups {
            terms: store::taxonomy::all(&state.db).await?,
            goals: store::fields::goals(&state.db, municipality_id).await?,
            stakeholders: store::stakeholders::list(&state.db, municipality_id).await?,
            statuses: store::measures::statuses(&state.db).await?,
        })
    }

    pub fn term(&self, id: impl Id) -> String {
        let id = id.id();
        self.terms
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    pub fn of(&self, taxonomy: &str) -> Vec<&store::taxonomy::Term> {
        self.terms
            .iter()
            .filter(|t| t.taxonomy == taxonomy && t.active)
            .collect()
    }

    pub fn goal(&self, id: impl Id) -> String {
        let id = id.id();
        self.goals
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.text.clone())
            .unwrap_or_default()
    }

    pub fn stakeholder(&self, id: impl Id) -> String {
        let id = id.id();
        self.stakeholders
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    pub fn status(&self, key: &str) -> String {
        self.statuses
            .iter()
            .find(|s| s.status_key == key)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| key.to_string())
    }

    /// Ids the sheet may refer to must exist in the right taxonomy / this municipality.
    pub fn check_refs(&self, sheet: &domain::measure::Sheet) -> domain::FieldErrors {
        let mut e = domain::FieldErrors::new();
        let is = |id: i64, tax: &str| self.terms.iter().any(|t| t.id == id && t.taxonomy == tax);
        if sheet
            .primary_field_id
            .is_some_and(|id| !is(id, "field_of_action"))
        {
            e.push("primary_field_id", "err-choice-unknown");
        }
        if sheet
            .further_field_ids
            .iter()
            .any(|id| !is(*id, "field_of_action"))
        {
            e.push("further_field_ids", "err-choice-unknown");
        }
        if sheet
            .tag_ids
            .iter()
            .any(|id| !is(*id, "sdg") && !is(*id, "charta"))
        {
            e.push("tag_ids", "err-choice-unknown");
        }
        if sheet
            .goal_ids
            .iter()
            .any(|id| !self.goals.iter().any(|g| g.id == *id))
        {
            e.push("goal_ids", "err-choice-unknown");
        }
        if sheet
            .lead_stakeholder_id
            .is_some_and(|id| !self.stakeholders.iter().any(|s| s.id == id))
        {
            e.push("lead_stakeholder_id", "err-choice-unknown");
        }
        e
    }
}
