//! Compiles a city's Umsetzungskonzept from the live data into `export::ConceptExport`, restricted to what
//! the audience (`City::min_visibility`) may see: measures by their visibility, the definition by its
//! visibility, participation results only once published (for anyone outside the city), actors only as far
//! as visible measures name them (for anyone outside the city).

use crate::city::City;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::measures::Lookups;
use crate::measures::export::sheet_export_with;
use crate::participation::benefit::Analysis;
use crate::participation::date_of;
use crate::state::AppState;
use domain::benefit::Thresholds;
use domain::municipality::State as Land;
use domain::participation::Kind;
use domain::visibility::Visibility;
use export::{
    ConceptBenefit, ConceptBenefitRow, ConceptDefinition, ConceptExport, ConceptField, ConceptGoal,
    ConceptOpinion, ConceptParticipation, ConceptPhase, ConceptStakeholder, ConceptStatement,
    MilestoneExport,
};
use store::participation::Participation;

/// How many statements of an opinion map the concept lists.
const TOP_STATEMENTS: usize = 5;

/// German name of an audience.
pub fn audience(v: Visibility) -> &'static str {
    match v {
        Visibility::Intern => "Kommune intern",
        Visibility::Netzwerk => "Netzwerk Innenstadt NRW",
        Visibility::Oeffentlich => "Öffentlichkeit",
    }
}

/// The document title of a city's concept.
pub fn title(city: &City) -> String {
    format!("Smart-City-Umsetzungskonzept {}", city.m.name)
}

/// Everything of the city the audience `city.min_visibility` may see, as display values.
pub async fn compile(
    state: &AppState,
    city: &City,
    edition: String,
) -> Result<ConceptExport, AppError> {
    let db = &state.db;
    let de = Lang::De;
    let m = &city.m;
    let phases = store::process::phases(db, m.id).await?;
    let current = crate::process::current_phase(&phases).map(|p| p.id);
    let land = Land::by_code(&m.state)
        .map(|s| s.name.to_string())
        .unwrap_or_else(|| m.state.clone());

    let definition = match store::definitions::get(db, m.id).await? {
        Some(d)
            if d.current_version > 0
                && Visibility::parse(&d.visibility).is_ok_and(|v| city.may_see(v)) =>
        {
            let v = store::definitions::version(db, m.id, d.current_version).await?;
            let decision = match (&d.decision_date, &d.decision_reference) {
                (Some(date), Some(r)) if !r.trim().is_empty() => {
                    format!("Ratsbeschluss vom {} ({})", de_date(date), r.trim())
                }
                (Some(date), _) => format!("Ratsbeschluss vom {}", de_date(date)),
                _ => String::new(),
            };
            Some(ConceptDefinition {
                status: de.t(&format!("def-status-{}", d.status)),
                version: d.current_version,
                decision,
                body: v.body_md,
            })
        }
        _ => None,
    };

    let goals = store::fields::goals(db, m.id).await?;
    let fields = store::fields::selected(db, m.id)
        .await?
        .into_iter()
        .map(|f| ConceptField {
            priority: de.t(&format!("priority-{}", f.priority)),
            rationale: f.rationale,
            goals: goals
                .iter()
                .filter(|g| g.field_id == f.field_id)
                .map(|g| ConceptGoal {
                    text: g.text.clone(),
                    indicator: g.indicator.clone(),
                    unit: g.unit.clone(),
                    baseline: g.baseline,
                    target: g.target_value,
                    target_year: g.target_year,
                })
                .collect(),
            name: f.name,
        })
        .collect();

    let lookups = Lookups::load(state, m.id).await?;
    let rows = store::measures::list(
        db,
        m.id,
        city.min_visibility,
        &store::measures::Filter::default(),
        store::measures::Sort::Title,
    )
    .await?;
    let mut measures = Vec::with_capacity(rows.len());
    for r in &rows {
        measures.push(sheet_export_with(state, city, r.id, &lookups).await?);
    }

    let intern = city.min_visibility == Visibility::Intern;
    let stakeholders = lookups
        .stakeholders
        .iter()
        .filter(|s| {
            intern
                || measures.iter().any(|m| {
                    m.partners.iter().any(|p| p.name == s.name)
                        || m.raci.iter().any(|r| r.who == s.name)
                        || m.lead_person.as_deref() == Some(s.name.as_str())
                })
        })
        .map(|s| ConceptStakeholder {
            name: s.name.clone(),
            kind: de.t(&format!("kind-{}", s.kind)),
            group: s.group_name.clone().unwrap_or_default(),
        })
        .collect();

    let (participations, benefit, opinions) = participation(state, city, &rows).await?;

    let milestones = store::process::milestones(db, m.id)
        .await?
        .into_iter()
        .filter(|ms| ms.measure_id.is_none())
        .map(|ms| MilestoneExport {
            title: ms.title,
            due: ms.due_date,
            done: ms.done_on.is_some(),
        })
        .collect();

    Ok(ConceptExport {
        municipality: m.name.clone(),
        title: title(city),
        edition,
        audience: audience(city.min_visibility).to_owned(),
        compiled_on: crate::view::today(),
        facts: vec![
            ("Kommune".into(), m.name.clone()),
            ("Bundesland".into(), land),
            ("Amtlicher Gemeindeschlüssel".into(), m.ags.clone()),
            ("Einwohnerzahl".into(), group(m.population)),
            (
                "Größenklasse".into(),
                de.t(&format!("size-{}", m.size_class().as_str())),
            ),
        ],
        phases: phases
            .iter()
            .map(|p| ConceptPhase {
                name: p.name.clone(),
                status: de.t(&format!("phase-{}", p.status)),
                start: p.actual_start.clone().or_else(|| p.planned_start.clone()),
                end: p.actual_end.clone().or_else(|| p.planned_end.clone()),
                current: Some(p.id) == current,
            })
            .collect(),
        definition,
        fields,
        stakeholders,
        measures,
        participations,
        benefit,
        opinions,
        milestones,
    })
}

fn de_date(iso: &str) -> String {
    let t = iso.trim();
    if t.len() == 10 && t.as_bytes()[4] == b'-' {
        format!("{}.{}.{}", &t[8..10], &t[5..7], &t[0..4])
    } else {
        t.to_owned()
    }
}

fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Formats whose results the audience may see: inside the city every published format, outside only those
/// whose results the city published.
fn shown(city: &City, p: &Participation) -> bool {
    p.published && (city.min_visibility == Visibility::Intern || p.results_public)
}

type Results = (
    Vec<ConceptParticipation>,
    Vec<ConceptBenefit>,
    Vec<ConceptOpinion>,
);

async fn participation(
    state: &AppState,
    city: &City,
    visible: &[store::measures::MeasureRow],
) -> Result<Results, AppError> {
    let db = &state.db;
    let de = Lang::De;
    let (mut list, mut benefit, mut opinions) = (Vec::new(), Vec::new(), Vec::new());
    for p in store::participation::list(db, city.m.id, true).await? {
        if !shown(city, &p) {
            continue;
        }
        let Some(kind) = Kind::parse(&p.kind) else {
            continue;
        };
        let participants = store::participation::participant_count(db, p.id).await?;
        let contributions = match kind {
            Kind::Umfrage => {
                let (survey, _) = store::surveys::questions(db, p.id).await?;
                format!("{} Antworten", group(survey.responses))
            }
            Kind::Ideen => {
                let ideas = store::ideas::list(db, p.id, domain::idea::Sort::Newest).await?;
                let shown = ideas.iter().filter(|i| i.state == "sichtbar");
                let (n, comments) = shown.fold((0i64, 0i64), |(n, c), i| (n + 1, c + i.comments));
                format!("{} Ideen, {} Kommentare", group(n), group(comments))
            }
            Kind::Punkte => format!("{} Abstimmende", group(participants)),
            Kind::Nutzwert => {
                let a = Analysis::load(state, p.id).await?;
                let evaluation = a.evaluate();
                let t = Thresholds::medians(&evaluation).unwrap_or_default();
                let evaluation = evaluation.with_thresholds(t);
                let rows: Vec<ConceptBenefitRow> = evaluation
                    .measures
                    .iter()
                    .filter(|s| visible.iter().any(|m| m.id == s.measure))
                    .map(|s| ConceptBenefitRow {
                        rank: s.rank.map(|r| r as i64),
                        measure: a.title(s.measure).to_owned(),
                        benefit: s.benefit,
                        effort: s.effort,
                        quadrant: match (s.excluded, s.quadrant) {
                            (true, _) => format!("ausgeschlossen ({})", s.failed_ko.join(", ")),
                            (false, Some(q)) => q.label().to_owned(),
                            (false, None) => "nicht bewertet".to_owned(),
                        },
                        raters: s.raters as i64,
                    })
                    .collect();
                let ratings = store::benefit::rating_count(db, p.id).await?;
                benefit.push(ConceptBenefit {
                    title: p.title.clone(),
                    benefit_threshold: t.benefit,
                    effort_threshold: t.effort,
                    rows,
                });
                format!("{} Bewertungen", group(ratings))
            }
            Kind::Meinungsbild => {
                let statements: Vec<_> = store::opinions::list(db, p.id)
                    .await?
                    .into_iter()
                    .filter(|s| s.state == "angenommen")
                    .collect();
                let counts = store::opinions::counts(db, p.id).await?;
                let mut top: Vec<ConceptStatement> = statements
                    .iter()
                    .map(|s| {
                        let (a, d, pass) = counts
                            .iter()
                            .find(|c| c.0 == s.id)
                            .map(|c| (c.1, c.2, c.3))
                            .unwrap_or_default();
                        ConceptStatement {
                            text: s.text.clone(),
                            agree: a,
                            disagree: d,
                            pass,
                        }
                    })
                    .collect();
                let votes: i64 = top.iter().map(|s| s.agree + s.disagree + s.pass).sum();
                top.sort_by_key(|s| std::cmp::Reverse(s.agree + s.disagree + s.pass));
                top.truncate(TOP_STATEMENTS);
                opinions.push(ConceptOpinion {
                    title: p.title.clone(),
                    statements: statements.len() as i64,
                    participants,
                    votes,
                    top,
                });
                format!("{} Aussagen, {} Stimmen", statements.len(), group(votes))
            }
        };
        list.push(ConceptParticipation {
            title: p.title.clone(),
            kind: de.t(&format!("participation-kind-{}", kind.as_str())),
            period: format!("{} – {}", date_of(p.opens_at), date_of(p.closes_at)),
            participants,
            contributions,
        });
    }
    Ok((list, benefit, opinions))
}
