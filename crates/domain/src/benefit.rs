//! Nutzwertanalyse (benefit analysis) of measures: KO criteria, weighted scored criteria, raters in groups,
//! the overall ranking, a sensitivity view of the weights and the Nutzen-Aufwand portfolio.
//!
//! Pure functions over plain values; the store loads criteria and ratings, the web layer renders the result.
//!
//! # Rules
//!
//! * **Criteria.** A criterion is either a KO criterion (yes/no) or scored on `0..=scale_max` with a weight
//!   and a [`Direction`]. Benefit criteria (Bürgernutzen, Beitrag zu den Zielen, Machbarkeit,
//!   Nachhaltigkeit, …) make up the benefit score; effort criteria (Kosten, Aufwand, …) make up the effort
//!   score. Effort criteria are rated as "how much effort" (a high score means *more* effort, nothing is
//!   inverted). Weights need not sum to 1: within a direction each weight is divided by the sum of the
//!   weights. A weight of 0 switches a criterion off. Criteria with `scale_max == 0` or a negative or
//!   non-finite weight are invalid: reported in [`Evaluation::issues`] and ignored, as are later criteria
//!   with an id already used.
//! * **KO.** Every rater may answer every KO criterion per measure. A KO criterion *fails* for a measure when
//!   strictly more raters (across all groups) say it fails than say it passes; a tie passes (in dubio pro
//!   measure), no answers pass. A measure with at least one failed KO criterion is *excluded*: its scores
//!   are still computed and shown, but it gets no rank and no quadrant and is listed last.
//! * **Group score.** Per measure, group and criterion the mean of the group's scores. The group's benefit
//!   score is `100 · Σ wᶜ·meanᶜ/scale_maxᶜ / Σ wᶜ` over the benefit criteria the group rated for that measure
//!   (criteria nobody in the group rated are left out and the weights renormalised, so a partial rating does
//!   not count as 0); likewise the effort score. `None` when the group rated no criterion of that direction
//!   (or only ones with weight 0).
//! * **Overall score.** The group-weighted mean of the group scores of the groups that have one. Group
//!   weights are given as `(group, weight)` pairs; an empty list means equal weight for every group, a
//!   non-empty list gives groups that are not listed weight 0 (they are still shown per group). Negative and
//!   non-finite weights count as 0.
//! * **Rank.** By overall benefit, highest first; scores within 1e-9 share a rank (1, 2, 2, 4). Effort does not
//!   enter the rank — it is the other axis of the portfolio. Measures without a benefit score and
//!   KO-excluded measures are unranked. [`Evaluation::measures`] is in rank order (ties in input order),
//!   then the unscored, then the excluded measures.
//! * **Quadrant.** Fixed thresholds, 50/50 by default: the scores are on an absolute 0..100 scale, so the
//!   midpoint means "half of the scale" and a measure's quadrant does not change because other measures
//!   were added. A score at or above a threshold counts as high. [`Thresholds::medians`] and
//!   [`Evaluation::with_thresholds`] give the relative (median) split when wanted.
//!   High benefit + low effort = Quick Win, high + high = strategisch, low + low = Füllmaßnahme,
//!   low benefit + high effort = zurückstellen.
//! * **Sensitivity.** Each benefit criterion with a positive weight is moved by `×(1−δ)` and `×(1+δ)` (the
//!   others unchanged; renormalising is implicit in the score), and every measure's rank is recomputed. A
//!   measure is *stable* when its rank is the same in the base case and every variation.
//! * **Bad input** never panics: ratings for measures not in the list, for unknown or invalid criteria,
//!   scores above the scale, a KO answer for a scored criterion (or the reverse) are ignored and counted in
//!   [`Evaluation::issues`]. When a rater rated the same measure and criterion more than once the last rating
//!   counts (also counted as an issue).

use crate::measure::Priority;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Scores closer than this are equal for ranking.
const TIE: f64 = 1e-9;

/// Which portfolio axis a scored criterion feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (Bürgernutzen, Beitrag zu den Zielen, …).
    Benefit,
    /// More means more effort (Kosten, Aufwand, …).
    Effort,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum CriterionKind {
    /// Yes/no: a measure that fails it is excluded.
    Ko,
    /// Scored on `0..=scale_max`.
    Scored {
        weight: f64,
        scale_max: u8,
        direction: Direction,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: i64,
    pub name: String,
    pub kind: CriterionKind,
}

impl Criterion {
    pub fn ko(id: i64, name: impl Into<String>) -> Self {
        Criterion {
            id,
            name: name.into(),
            kind: CriterionKind::Ko,
        }
    }

    pub fn benefit(id: i64, name: impl Into<String>, weight: f64, scale_max: u8) -> Self {
        Self::scored(id, name, weight, scale_max, Direction::Benefit)
    }

    pub fn effort(id: i64, name: impl Into<String>, weight: f64, scale_max: u8) -> Self {
        Self::scored(id, name, weight, scale_max, Direction::Effort)
    }

    fn scored(
        id: i64,
        name: impl Into<String>,
        weight: f64,
        scale_max: u8,
        direction: Direction,
    ) -> Self {
        Criterion {
            id,
            name: name.into(),
            kind: CriterionKind::Scored {
                weight,
                scale_max,
                direction,
            },
        }
    }
}

/// The group a rater rates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaterGroup {
    Verwaltung,
    Politik,
    Expertinnen,
    Buergerinnen,
}

impl RaterGroup {
    pub const ALL: [RaterGroup; 4] = [
        RaterGroup::Verwaltung,
        RaterGroup::Politik,
        RaterGroup::Expertinnen,
        RaterGroup::Buergerinnen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RaterGroup::Verwaltung => "verwaltung",
            RaterGroup::Politik => "politik",
            RaterGroup::Expertinnen => "expertinnen",
            RaterGroup::Buergerinnen => "buergerinnen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RaterGroup::Verwaltung => "Verwaltung",
            RaterGroup::Politik => "Politik",
            RaterGroup::Expertinnen => "Expert:innen",
            RaterGroup::Buergerinnen => "Bürger:innen",
        }
    }

    pub fn parse(s: &str) -> Option<RaterGroup> {
        let s = s.trim();
        RaterGroup::ALL.into_iter().find(|g| g.as_str() == s)
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingValue {
    /// Answer to a KO criterion: `true` = the measure passes.
    Ko(bool),
    /// Score of a scored criterion, `0..=scale_max`.
    Score(u8),
}

/// One rater's answer for one measure and criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub rater: i64,
    pub group: RaterGroup,
    pub measure: i64,
    pub criterion: i64,
    pub value: RatingValue,
}

/// Input that was ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "issue")]
pub enum Issue {
    /// A second criterion with an id already used; the first one counts.
    DuplicateCriterion { criterion: i64 },
    /// `scale_max` 0, or a negative or non-finite weight; the criterion and its ratings are ignored.
    InvalidCriterion { criterion: i64 },
    /// Ratings for a criterion not in the set.
    UnknownCriterion { criterion: i64, ratings: usize },
    /// Ratings for a measure not in the list evaluated.
    UnknownMeasure { measure: i64, ratings: usize },
    /// Scores above the criterion's `scale_max`.
    ScoreOutOfScale { criterion: i64, ratings: usize },
    /// A KO answer for a scored criterion or a score for a KO criterion.
    KindMismatch { criterion: i64, ratings: usize },
    /// Repeated ratings of the same rater, measure and criterion; the last one counts.
    DuplicateRatings { ratings: usize },
}

/// The portfolio quadrant of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High benefit, low effort.
    QuickWin,
    /// High benefit, high effort.
    Strategisch,
    /// Low benefit, low effort.
    Fuellmassnahme,
    /// Low benefit, high effort.
    Zurueckstellen,
}

impl Quadrant {
    pub const ALL: [Quadrant; 4] = [
        Quadrant::QuickWin,
        Quadrant::Strategisch,
        Quadrant::Fuellmassnahme,
        Quadrant::Zurueckstellen,
    ];

    /// The quadrant of a benefit/effort pair; at or above a threshold counts as high.
    pub fn of(benefit: f64, effort: f64, t: Thresholds) -> Quadrant {
        match (benefit >= t.benefit, effort >= t.effort) {
            (true, false) => Quadrant::QuickWin,
            (true, true) => Quadrant::Strategisch,
            (false, false) => Quadrant::Fuellmassnahme,
            (false, true) => Quadrant::Zurueckstellen,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "quick_win",
            Quadrant::Strategisch => "strategisch",
            Quadrant::Fuellmassnahme => "fuellmassnahme",
            Quadrant::Zurueckstellen => "zurueckstellen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "Quick Win",
            Quadrant::Strategisch => "strategische Maßnahme",
            Quadrant::Fuellmassnahme => "Füllmaßnahme",
            Quadrant::Zurueckstellen => "zurückstellen",
        }
    }

    pub fn parse(s: &str) -> Option<Quadrant> {
        let s = s.trim();
        Quadrant::ALL.into_iter().find(|q| q.as_str() == s)
    }

    /// See [`suggested_priority`].
    pub fn suggested_priority(self) -> Priority {
        suggested_priority(self)
    }
}

/// The priority to suggest for the measure's sheet: Quick Win → hoch (do first), strategisch → mittel
/// (worth it, but needs planning and funding; the sheet's time horizon says when), Füllmaßnahme and
/// zurückstellen → niedrig. `Priority::as_str` gives the stored key ("hoch" / "mittel" / "niedrig").
pub fn suggested_priority(quadrant: Quadrant) -> Priority {
    match quadrant {
        Quadrant::QuickWin => Priority::Hoch,
        Quadrant::Strategisch => Priority::Mittel,
        Quadrant::Fuellmassnahme | Quadrant::Zurueckstellen => Priority::Niedrig,
    }
}

/// Where the portfolio splits high from low (scores 0..100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    pub benefit: f64,
    pub effort: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            benefit: 50.0,
            effort: 50.0,
        }
    }
}

impl Thresholds {
    /// The medians of benefit and effort over the measures that have a quadrant-able pair of scores and
    /// are not KO-excluded; `None` when there is no such measure.
    pub fn medians(evaluation: &Evaluation) -> Option<Thresholds> {
        let (mut b, mut e): (Vec<f64>, Vec<f64>) = evaluation
            .measures
            .iter()
            .filter(|m| !m.excluded)
            .filter_map(|m| Some((m.benefit?, m.effort?)))
            .unzip();
        Some(Thresholds {
            benefit: median(&mut b)?,
            effort: median(&mut e)?,
        })
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// A scored criterion's weight and its share of its direction's weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionShare {
    pub criterion: i64,
    pub name: String,
    pub direction: Direction,
    pub weight: f64,
    /// `weight / Σ weights of the direction` (0 when they sum to 0).
    pub share: f64,
}

/// How the raters answered one KO criterion for one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KoOutcome {
    pub criterion: i64,
    pub name: String,
    pub passes: usize,
    pub fails: usize,
    /// `fails > passes`.
    pub failed: bool,
}

/// A group's mean for one scored criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionMean {
    pub criterion: i64,
    /// Number of scores.
    pub count: usize,
    /// Mean on the criterion's own scale; `None` without scores.
    pub mean: Option<f64>,
}

/// One rater group's view of one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupScore {
    pub group: RaterGroup,
    /// Distinct raters of this group with an accepted rating for this measure.
    pub raters: usize,
    /// The group's weight as a share of the weights of the groups that rated this measure.
    pub weight: f64,
    /// One entry per valid scored criterion, in criteria order.
    pub criteria: Vec<CriterionMean>,
    /// 0..100.
    pub benefit: Option<f64>,
    /// 0..100, higher = more effort.
    pub effort: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureScore {
    pub measure: i64,
    /// One entry per KO criterion, in criteria order.
    pub ko: Vec<KoOutcome>,
    /// Names of the failed KO criteria.
    pub failed_ko: Vec<String>,
    /// A KO criterion failed.
    pub excluded: bool,
    /// Distinct raters across all groups.
    pub raters: usize,
    /// Only groups with at least one accepted rating for this measure, in [`RaterGroup::ALL`] order.
    pub groups: Vec<GroupScore>,
    /// Overall (group-weighted) benefit, 0..100.
    pub benefit: Option<f64>,
    /// Overall (group-weighted) effort, 0..100.
    pub effort: Option<f64>,
    /// 1 = highest benefit; `None` when excluded or without a benefit score.
    pub rank: Option<usize>,
    /// `None` when excluded or without both scores.
    pub quadrant: Option<Quadrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The valid scored criteria with their normalised weights, in criteria order.
    pub criteria: Vec<CriterionShare>,
    /// Ranked measures by rank, then unscored ones, then KO-excluded ones.
    pub measures: Vec<MeasureScore>,
    pub thresholds: Thresholds,
    pub issues: Vec<Issue>,
}

impl Evaluation {
    /// The same evaluation with the quadrants recomputed for other thresholds.
    pub fn with_thresholds(mut self, t: Thresholds) -> Self {
        self.thresholds = t;
        for m in &mut self.measures {
            m.quadrant = quadrant_of(m.excluded, m.benefit, m.effort, t);
        }
        self
    }

    pub fn measure(&self, id: i64) -> Option<&MeasureScore> {
        self.measures.iter().find(|m| m.measure == id)
    }
}

fn quadrant_of(excluded: bool, b: Option<f64>, e: Option<f64>, t: Thresholds) -> Option<Quadrant> {
    if excluded {
        return None;
    }
    Some(Quadrant::of(b?, e?, t))
}

/// One weight variation of the sensitivity view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variation {
    pub criterion: i64,
    pub name: String,
    /// The weight factor, `1 − δ` or `1 + δ`.
    pub factor: f64,
}

/// One measure's ranks across the variations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitivityRow {
    pub measure: i64,
    pub base_rank: Option<usize>,
    /// Aligned with [`Sensitivity::variations`].
    pub ranks: Vec<Option<usize>>,
    /// Best (lowest) rank in the base case and all variations.
    pub min_rank: Option<usize>,
    /// Worst (highest) rank in the base case and all variations.
    pub max_rank: Option<usize>,
    /// The rank is the same in the base case and every variation.
    pub stable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub delta: f64,
    /// The table's columns: per benefit criterion with a positive weight, `×(1−δ)` then `×(1+δ)`.
    pub variations: Vec<Variation>,
    /// The table's rows, in the order of [`Evaluation::measures`].
    pub rows: Vec<SensitivityRow>,
}

/// Evaluate `measures` (duplicates ignored) with the default thresholds (50/50).
pub fn evaluate(
    criteria: &[Criterion],
    ratings: &[Rating],
    measures: &[i64],
    group_weights: &[(RaterGroup, f64)],
) -> Evaluation {
    let p = prepare(criteria, ratings, measures);
    let weights: Vec<f64> = p.scored.iter().map(|c| c.weight).collect();
    let scores = score(&p, &weights, group_weights);
    let excluded: Vec<bool> = p.data.iter().map(|d| d.excluded()).collect();
    let benefits: Vec<Option<f64>> = scores.iter().map(|s| s.benefit).collect();
    let ranks = ranks(&benefits, &excluded);
    let thresholds = Thresholds::default();

    let mut out: Vec<MeasureScore> = p
        .measures
        .iter()
        .enumerate()
        .map(|(i, &measure)| {
            let d = &p.data[i];
            let s = &scores[i];
            let ko: Vec<KoOutcome> =
                p.ko.iter()
                    .zip(&d.ko)
                    .map(|(c, &(passes, fails))| KoOutcome {
                        criterion: c.id,
                        name: c.name.to_string(),
                        passes,
                        fails,
                        failed: fails > passes,
                    })
                    .collect();
            let failed_ko = ko
                .iter()
                .filter(|k| k.failed)
                .map(|k| k.name.clone())
                .collect();
            let present_weight: f64 = RaterGroup::ALL
                .into_iter()
                .filter(|g| d.groups[g.index()].is_some())
                .map(|g| group_weight(group_weights, g))
                .sum();
            let groups = RaterGroup::ALL
                .into_iter()
                .filter_map(|g| {
                    let gd = d.groups[g.index()].as_ref()?;
                    let (benefit, effort) = s.groups[g.index()];
                    Some(GroupScore {
                        group: g,
                        raters: gd.raters.len(),
                        weight: if present_weight > 0.0 {
                            group_weight(group_weights, g) / present_weight
                        } else {
                            0.0
                        },
                        criteria: gd
                            .sums
                            .iter()
                            .zip(&p.scored)
                            .map(|(&(sum, n), c)| CriterionMean {
                                criterion: c.id,
                                count: n,
                                mean: (n > 0).then(|| sum / n as f64),
                            })
                            .collect(),
                        benefit,
                        effort,
                    })
                })
                .collect();
            let raters: BTreeSet<i64> = d
                .groups
                .iter()
                .flatten()
                .flat_map(|g| g.raters.iter().copied())
                .collect();
            MeasureScore {
                measure,
                ko,
                failed_ko,
                excluded: excluded[i],
                raters: raters.len(),
                groups,
                benefit: s.benefit,
                effort: s.effort,
                rank: ranks[i],
                quadrant: quadrant_of(excluded[i], s.benefit, s.effort, thresholds),
            }
        })
        .collect();
    out.sort_by_key(order_key);

    let mut sums = [0.0_f64; 2];
    for c in &p.scored {
        sums[c.direction as usize] += c.weight;
    }
    let criteria = p
        .scored
        .iter()
        .map(|c| {
            let sum = sums[c.direction as usize];
            CriterionShare {
                criterion: c.id,
                name: c.name.to_string(),
                direction: c.direction,
                weight: c.weight,
                share: if sum > 0.0 { c.weight / sum } else { 0.0 },
            }
        })
        .collect();

    Evaluation {
        criteria,
        measures: out,
        thresholds,
        issues: p.issues,
    }
}

/// Ranked first (by rank), then unscored, then excluded; `sort_by_key` is stable, so ties keep input order.
fn order_key(m: &MeasureScore) -> (u8, usize) {
    match (m.excluded, m.rank) {
        (false, Some(r)) => (0, r),
        (false, None) => (1, 0),
        (true, _) => (2, 0),
    }
}

/// How the ranks change when each benefit weight moves by `±delta` (e.g. 0.2). A non-finite or
/// non-positive `delta` gives no variations; `1 − δ` is floored at 0.
pub fn sensitivity(
    criteria: &[Criterion],
    ratings: &[Rating],
    measures: &[i64],
    group_weights: &[(RaterGroup, f64)],
    delta: f64,
) -> Sensitivity {
    let base = evaluate(criteria, ratings, measures, group_weights);
    let p = prepare(criteria, ratings, measures);
    let excluded: Vec<bool> = p.data.iter().map(|d| d.excluded()).collect();
    let base_weights: Vec<f64> = p.scored.iter().map(|c| c.weight).collect();

    let mut variations = Vec::new();
    // ranks_by_variation[v][measure index in p.measures]
    let mut ranks_by_variation: Vec<Vec<Option<usize>>> = Vec::new();
    if delta.is_finite() && delta > 0.0 {
        for (ci, c) in p.scored.iter().enumerate() {
            if c.direction != Direction::Benefit || c.weight <= 0.0 {
                continue;
            }
            for factor in [(1.0 - delta).max(0.0), 1.0 + delta] {
                let mut w = base_weights.clone();
                w[ci] *= factor;
                let benefits: Vec<Option<f64>> = score(&p, &w, group_weights)
                    .into_iter()
                    .map(|s| s.benefit)
                    .collect();
                ranks_by_variation.push(ranks(&benefits, &excluded));
                variations.push(Variation {
                    criterion: c.id,
                    name: c.name.to_string(),
                    factor,
                });
            }
        }
    }

    let index: HashMap<i64, usize> = p
        .measures
        .iter()
        .enumerate()
        .map(|(i, &m)| (m, i))
        .collect();
    let rows = base
        .measures
        .iter()
        .map(|m| {
            let i = index[&m.measure];
            let ranks: Vec<Option<usize>> = ranks_by_variation.iter().map(|r| r[i]).collect();
            let all = || std::iter::once(m.rank).chain(ranks.iter().copied());
            SensitivityRow {
                measure: m.measure,
                base_rank: m.rank,
                min_rank: all().flatten().min(),
                max_rank: all().flatten().max(),
                stable: all().all(|r| r == m.rank),
                ranks,
            }
        })
        .collect();

    Sensitivity {
        delta,
        variations,
        rows,
    }
}

// ---- internals ----

struct ScoredCrit<'a> {
    id: i64,
    name: &'a str,
    weight: f64,
    scale_max: u8,
    direction: Direction,
}

struct KoCrit<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Clone, Copy)]
enum CritRef {
    Ko(usize),
    Scored(usize),
    Invalid,
}

struct GroupData {
    raters: BTreeSet<i64>,
    /// (sum, count) per scored criterion.
    sums: Vec<(f64, usize)>,
}

struct MeasureData {
    /// (passes, fails) per KO criterion.
    ko: Vec<(usize, usize)>,
    groups: [Option<GroupData>; 4],
}

impl MeasureData {
    fn excluded(&self) -> bool {
        self.ko.iter().any(|&(passes, fails)| fails > passes)
    }
}

struct Prepared<'a> {
    scored: Vec<ScoredCrit<'a>>,
    ko: Vec<KoCrit<'a>>,
    measures: Vec<i64>,
    data: Vec<MeasureData>,
    issues: Vec<Issue>,
}

fn prepare<'a>(criteria: &'a [Criterion], ratings: &[Rating], measures: &[i64]) -> Prepared<'a> {
    let mut issues = Vec::new();
    let mut scored = Vec::new();
    let mut ko = Vec::new();
    let mut crit: HashMap<i64, CritRef> = HashMap::new();
    for c in criteria {
        if crit.contains_key(&c.id) {
            issues.push(Issue::DuplicateCriterion { criterion: c.id });
            continue;
        }
        let r = match c.kind {
            CriterionKind::Ko => {
                ko.push(KoCrit {
                    id: c.id,
                    name: &c.name,
                });
                CritRef::Ko(ko.len() - 1)
            }
            CriterionKind::Scored {
                weight,
                scale_max,
                direction,
            } => {
                if scale_max == 0 || !weight.is_finite() || weight < 0.0 {
                    issues.push(Issue::InvalidCriterion { criterion: c.id });
                    CritRef::Invalid
                } else {
                    scored.push(ScoredCrit {
                        id: c.id,
                        name: &c.name,
                        weight,
                        scale_max,
                        direction,
                    });
                    CritRef::Scored(scored.len() - 1)
                }
            }
        };
        crit.insert(c.id, r);
    }

    let mut seen = HashSet::new();
    let measures: Vec<i64> = measures
        .iter()
        .copied()
        .filter(|m| seen.insert(*m))
        .collect();
    let index: HashMap<i64, usize> = measures.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let mut data: Vec<MeasureData> = measures
        .iter()
        .map(|_| MeasureData {
            ko: vec![(0, 0); ko.len()],
            groups: [None, None, None, None],
        })
        .collect();

    // The last rating of each (rater, measure, criterion) counts.
    let mut last: HashMap<(i64, i64, i64), usize> = HashMap::new();
    for (i, r) in ratings.iter().enumerate() {
        last.insert((r.rater, r.measure, r.criterion), i);
    }
    let duplicates = ratings.len() - last.len();
    let mut kept: Vec<usize> = last.into_values().collect();
    kept.sort_unstable();

    let mut unknown_measure: BTreeMap<i64, usize> = BTreeMap::new();
    let mut unknown_criterion: BTreeMap<i64, usize> = BTreeMap::new();
    let mut out_of_scale: BTreeMap<i64, usize> = BTreeMap::new();
    let mut mismatch: BTreeMap<i64, usize> = BTreeMap::new();
    let n_scored = scored.len();
    for r in kept.into_iter().map(|i| &ratings[i]) {
        let Some(&mi) = index.get(&r.measure) else {
            *unknown_measure.entry(r.measure).or_default() += 1;
            continue;
        };
        let Some(&cref) = crit.get(&r.criterion) else {
            *unknown_criterion.entry(r.criterion).or_default() += 1;
            continue;
        };
        let d = &mut data[mi];
        match (cref, r.value) {
            (CritRef::Invalid, _) => continue,
            (CritRef::Ko(k), RatingValue::Ko(passes)) => {
                if passes {
                    d.ko[k].0 += 1;
                } else {
                    d.ko[k].1 += 1;
                }
            }
            (CritRef::Scored(s), RatingValue::Score(v)) => {
                if v > scored[s].scale_max {
                    *out_of_scale.entry(r.criterion).or_default() += 1;
                    continue;
                }
                let g = group_data(d, r.group, n_scored);
                g.sums[s].0 += f64::from(v);
                g.sums[s].1 += 1;
            }
            _ => {
                *mismatch.entry(r.criterion).or_default() += 1;
                continue;
            }
        }
        group_data(d, r.group, n_scored).raters.insert(r.rater);
    }

    issues.extend(
        unknown_measure
            .into_iter()
            .map(|(measure, ratings)| Issue::UnknownMeasure { measure, ratings }),
    );
    issues.extend(
        unknown_criterion
            .into_iter()
            .map(|(criterion, ratings)| Issue::UnknownCriterion { criterion, ratings }),
    );
    issues.extend(
        out_of_scale
            .into_iter()
            .map(|(criterion, ratings)| Issue::ScoreOutOfScale { criterion, ratings }),
    );
    issues.extend(
        mismatch
            .into_iter()
            .map(|(criterion, ratings)| Issue::KindMismatch { criterion, ratings }),
    );
    if duplicates > 0 {
        issues.push(Issue::DuplicateRatings {
            ratings: duplicates,
        });
    }

    Prepared {
        scored,
        ko,
        measures,
        data,
        issues,
    }
}

fn group_data(d: &mut MeasureData, g: RaterGroup, n_scored: usize) -> &mut GroupData {
    d.groups[g.index()].get_or_insert_with(|| GroupData {
        raters: BTreeSet::new(),
        sums: vec![(0.0, 0); n_scored],
    })
}

fn group_weight(group_weights: &[(RaterGroup, f64)], g: RaterGroup) -> f64 {
    if group_weights.is_empty() {
        return 1.0;
    }
    group_weights
        .iter()
        .rev()
        .find(|(gg, _)| *gg == g)
        .map(|&(_, w)| if w.is_finite() && w > 0.0 { w } else { 0.0 })
        .unwrap_or(0.0)
}

struct Scores {
    /// (benefit, effort) per group.
    groups: [(Option<f64>, Option<f64>); 4],
    benefit: Option<f64>,
    effort: Option<f64>,
}

/// Scores of every measure with the scored criteria weighted by `weights` (aligned with `p.scored`).
fn score(p: &Prepared, weights: &[f64], group_weights: &[(RaterGroup, f64)]) -> Vec<Scores> {
    p.data
        .iter()
        .map(|d| {
            let mut groups = [(None, None); 4];
            // (Σ w·score, Σ w) per direction over the groups.
            let mut overall = [(0.0_f64, 0.0_f64); 2];
            for g in RaterGroup::ALL {
                let Some(gd) = &d.groups[g.index()] else {
                    continue;
                };
                let mut acc = [(0.0_f64, 0.0_f64); 2];
                for ((c, &w), &(sum, n)) in p.scored.iter().zip(weights).zip(&gd.sums) {
                    if n == 0 {
                        continue;
                    }
                    let mean = sum / n as f64;
                    let a = &mut acc[c.direction as usize];
                    a.0 += w * mean / f64::from(c.scale_max);
                    a.1 += w;
                }
                let [b, e] = acc.map(|(num, den)| (den > 0.0).then(|| 100.0 * num / den));
                groups[g.index()] = (b, e);
                let gw = group_weight(group_weights, g);
                for (dir, v) in [b, e].into_iter().enumerate() {
                    if let Some(v) = v
                        && gw > 0.0
                    {
                        overall[dir].0 += gw * v;
                        overall[dir].1 += gw;
                    }
                }
            }
            let [benefit, effort] = overall.map(|(num, den)| (den > 0.0).then(|| num / den));
            Scores {
                groups,
                benefit,
                effort,
            }
        })
        .collect()
}

/// Competition ranks ("1, 2, 2, 4") by benefit, highest first; excluded and unscored measures get `None`.
fn ranks(benefits: &[Option<f64>], excluded: &[bool]) -> Vec<Option<usize>> {
    let mut order: Vec<(usize, f64)> = benefits
        .iter()
        .zip(excluded)
        .enumerate()
        .filter_map(|(i, (b, &x))| if x { None } else { b.map(|b| (i, b)) })
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = vec![None; benefits.len()];
    let mut prev: Option<(f64, usize)> = None;
    for (pos, &(i, b)) in order.iter().enumerate() {
        let rank = match prev {
            Some((pb, pr)) if (pb - b).abs() <= TIE => pr,
            _ => pos + 1,
        };
        out[i] = Some(rank);
        prev = Some((b, rank));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: RaterGroup = RaterGroup::Verwaltung;
    const B: RaterGroup = RaterGroup::Buergerinnen;

    fn score(rater: i64, group: RaterGroup, measure: i64, criterion: i64, v: u8) -> Rating {
        Rating {
            rater,
            group,
            measure,
            criterion,
            value: RatingValue::Score(v),
        }
    }

    fn ko(rater: i64, group: RaterGroup, measure: i64, criterion: i64, passes: bool) -> Rating {
        Rating {
            rater,
            group,
            measure,
            criterion,
            value: RatingValue::Ko(passes),
        }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a score");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    /// Criteria: KO 1 "Rechtlich zulässig", KO 2 "Finanzierbar"; 3 Bürgernutzen (benefit, weight 3, 0..4),
    /// 4 Beitrag zu den Zielen (benefit, weight 1, 0..4), 5 Kosten (effort, weight 2, 0..5).
    /// Normalised benefit weights 3/4 = 0.75 and 1/4 = 0.25; Kosten alone on the effort side (share 1).
    fn example_criteria() -> Vec<Criterion> {
        vec![
            Criterion::ko(1, "Rechtlich zulässig"),
            Criterion::ko(2, "Finanzierbar"),
            Criterion::benefit(3, "Bürgernutzen", 3.0, 4),
            Criterion::benefit(4, "Beitrag zu den Zielen", 1.0, 4),
            Criterion::effort(5, "Kosten", 2.0, 5),
        ]
    }

    /// Raters 10, 11 (Verwaltung) and 20, 21 (Bürger:innen); measures 100, 200, 300.
    fn example_ratings() -> Vec<Rating> {
        let mut r = Vec::new();
        // Every KO answer passes, except: measure 200 KO 2 fails for 10, 11, 21 (3 fail : 1 pass → excluded),
        // measure 300 KO 1 fails for 10 and 20 (2 : 2 → tie → passes).
        for m in [100, 200, 300] {
            for (rater, g) in [(10, V), (11, V), (20, B), (21, B)] {
                for k in [1, 2] {
                    let fails = (m == 200 && k == 2 && rater != 20)
                        || (m == 300 && k == 1 && (rater == 10 || rater == 20));
                    r.push(ko(rater, g, m, k, !fails));
                }
            }
        }
        // Measure 100.
        r.extend([
            score(10, V, 100, 3, 4),
            score(10, V, 100, 4, 2),
            score(10, V, 100, 5, 1),
            score(11, V, 100, 3, 3),
            score(11, V, 100, 4, 4),
            score(11, V, 100, 5, 2),
            score(20, B, 100, 3, 4),
            score(20, B, 100, 4, 4),
            score(20, B, 100, 5, 3),
            score(21, B, 100, 3, 2),
            score(21, B, 100, 4, 3),
            score(21, B, 100, 5, 2),
        ]);
        // Measure 200: top marks everywhere, but KO-excluded.
        for (rater, g) in [(10, V), (11, V), (20, B), (21, B)] {
            r.extend([
                score(rater, g, 200, 3, 4),
                score(rater, g, 200, 4, 4),
                score(rater, g, 200, 5, 0),
            ]);
        }
        // Measure 300; rater 21 only rated Bürgernutzen.
        r.extend([
            score(10, V, 300, 3, 1),
            score(10, V, 300, 4, 2),
            score(10, V, 300, 5, 5),
            score(11, V, 300, 3, 2),
            score(11, V, 300, 4, 2),
            score(11, V, 300, 5, 4),
            score(20, B, 300, 3, 3),
            score(20, B, 300, 4, 1),
            score(20, B, 300, 5, 4),
            score(21, B, 300, 3, 3),
        ]);
        r
    }

    #[test]
    fn hand_computed_example() {
        // Measure 100
        //   Verwaltung:   means Bürgernutzen 3.5, Ziele 3, Kosten 1.5
        //     benefit = 100·(0.75·3.5/4 + 0.25·3/4) = 100·(0.65625 + 0.1875) = 84.375; effort = 100·1.5/5 = 30
        //   Bürger:innen: means 3, 3.5, 2.5
        //     benefit = 100·(0.75·3/4 + 0.25·3.5/4) = 100·(0.5625 + 0.21875) = 78.125; effort = 100·2.5/5 = 50
        //   overall (equal groups): benefit (84.375 + 78.125)/2 = 81.25; effort (30 + 50)/2 = 40 → Quick Win
        // Measure 200: KO 2 fails 3 : 1 → excluded (benefit 100, effort 0 — still shown, no rank)
        // Measure 300 (KO 1 ties 2 : 2 → passes)
        //   Verwaltung:   means 1.5, 2, 4.5
        //     benefit = 100·(0.75·1.5/4 + 0.25·2/4) = 100·(0.28125 + 0.125) = 40.625; effort = 100·4.5/5 = 90
        //   Bürger:innen: Bürgernutzen (3+3)/2 = 3, Ziele 1 (one rater), Kosten 4 (one rater)
        //     benefit = 100·(0.75·3/4 + 0.25·1/4) = 100·(0.5625 + 0.0625) = 62.5; effort = 100·4/5 = 80
        //   overall: benefit (40.625 + 62.5)/2 = 51.5625; effort (90 + 80)/2 = 85 → strategisch
        // Ranks: 100 → 1, 300 → 2, 200 → none (listed last).
        let e = evaluate(
            &example_criteria(),
            &example_ratings(),
            &[100, 200, 300],
            &[],
        );
        assert!(e.issues.is_empty(), "{:?}", e.issues);
        assert_eq!(
            e.measures.iter().map(|m| m.measure).collect::<Vec<_>>(),
            [100, 300, 200]
        );
        let shares: Vec<f64> = e.criteria.iter().map(|c| c.share).collect();
        assert_eq!(shares, [0.75, 0.25, 1.0]);

        let m1 = e.measure(100).unwrap();
        assert_eq!(m1.raters, 4);
        assert_eq!(m1.groups.len(), 2);
        assert_eq!(m1.groups[0].group, V);
        assert_eq!(m1.groups[0].raters, 2);
        assert_eq!(m1.groups[0].weight, 0.5);
        close(m1.groups[0].criteria[0].mean, 3.5);
        close(m1.groups[0].benefit, 84.375);
        close(m1.groups[0].effort, 30.0);
        close(m1.groups[1].benefit, 78.125);
        close(m1.groups[1].effort, 50.0);
        close(m1.benefit, 81.25);
        close(m1.effort, 40.0);
        assert_eq!(m1.rank, Some(1));
        assert_eq!(m1.quadrant, Some(Quadrant::QuickWin));
        assert!(!m1.excluded);

        let m3 = e.measure(300).unwrap();
        assert!(!m3.excluded, "a 2 : 2 tie passes");
        assert_eq!((m3.ko[0].passes, m3.ko[0].fails), (2, 2));
        assert_eq!(m3.groups[1].criteria[1].count, 1);
        close(m3.groups[0].benefit, 40.625);
        close(m3.groups[0].effort, 90.0);
        close(m3.groups[1].benefit, 62.5);
        close(m3.groups[1].effort, 80.0);
        close(m3.benefit, 51.5625);
        close(m3.effort, 85.0);
        assert_eq!(m3.rank, Some(2));
        assert_eq!(m3.quadrant, Some(Quadrant::Strategisch));

        // Bürger:innen count three times as much:
        //   100: benefit (84.375 + 3·78.125)/4 = 79.6875, effort (30 + 3·50)/4 = 45
        //   300: benefit (40.625 + 3·62.5)/4 = 57.03125, effort (90 + 3·80)/4 = 82.5
        let w = evaluate(
            &example_criteria(),
            &example_ratings(),
            &[100, 200, 300],
            &[(V, 1.0), (B, 3.0)],
        );
        let m1 = w.measure(100).unwrap();
        close(m1.benefit, 79.6875);
        close(m1.effort, 45.0);
        assert_eq!(m1.groups[1].weight, 0.75);
        let m3 = w.measure(300).unwrap();
        close(m3.benefit, 57.03125);
        close(m3.effort, 82.5);
    }

    #[test]
    fn ko_majority_excludes_and_names_the_criterion() {
        let e = evaluate(
            &example_criteria(),
            &example_ratings(),
            &[100, 200, 300],
            &[],
        );
        let m2 = e.measure(200).unwrap();
        assert!(m2.excluded);
        assert_eq!(m2.failed_ko, ["Finanzierbar"]);
        assert_eq!((m2.ko[1].passes, m2.ko[1].fails), (1, 3));
        assert!(m2.ko[1].failed && !m2.ko[0].failed);
        assert_eq!(m2.rank, None);
        assert_eq!(m2.quadrant, None);
        close(m2.benefit, 100.0);
        assert_eq!(e.measures.last().unwrap().measure, 200);

        // A single "fails" against nobody passing excludes; no answers pass.
        let crit = [Criterion::ko(1, "KO"), Criterion::benefit(2, "N", 1.0, 4)];
        let r = [
            ko(1, V, 7, 1, false),
            score(1, V, 7, 2, 4),
            score(1, V, 8, 2, 1),
        ];
        let e = evaluate(&crit, &r, &[7, 8], &[]);
        assert!(e.measure(7).unwrap().excluded);
        assert!(!e.measure(8).unwrap().excluded);
        assert_eq!(e.measure(8).unwrap().rank, Some(1));
    }

    #[test]
    fn sensitivity_detects_a_swap() {
        // A and B weight 1 each, scale 0..10, one rater.
        //   M1: A 10, B 0 → 50;   M2: A 0, B 9 → 45;   M3: A 2, B 2 → 20.
        //   A×0.8: M1 0.8/1.8 = 44.4, M2 0.9/1.8 = 50 → swap.   A×1.2: M1 54.5, M2 40.9 → no swap.
        //   B×0.8: M1 1/1.8 = 55.6, M2 0.72/1.8 = 40 → no swap. B×1.2: M1 1/2.2 = 45.5, M2 1.08/2.2 = 49.1 → swap.
        let crit = [
            Criterion::benefit(1, "A", 1.0, 10),
            Criterion::benefit(2, "B", 1.0, 10),
            Criterion::effort(3, "Kosten", 1.0, 10),
        ];
        let r = [
            score(1, V, 1, 1, 10),
            score(1, V, 1, 2, 0),
            score(1, V, 2, 1, 0),
            score(1, V, 2, 2, 9),
            score(1, V, 3, 1, 2),
            score(1, V, 3, 2, 2),
        ];
        let s = sensitivity(&crit, &r, &[1, 2, 3], &[], 0.2);
        let cols: Vec<(i64, f64)> = s
            .variations
            .iter()
            .map(|v| (v.criterion, v.factor))
            .collect();
        assert_eq!(cols, [(1, 0.8), (1, 1.2), (2, 0.8), (2, 1.2)]);
        assert_eq!(
            s.rows.iter().map(|r| r.measure).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let r1 = &s.rows[0];
        assert_eq!(r1.base_rank, Some(1));
        assert_eq!(r1.ranks, [Some(2), Some(1), Some(1), Some(2)]);
        assert_eq!(
            (r1.min_rank, r1.max_rank, r1.stable),
            (Some(1), Some(2), false)
        );
        let r2 = &s.rows[1];
        assert_eq!(r2.ranks, [Some(1), Some(2), Some(2), Some(1)]);
        assert!(!r2.stable);
        let r3 = &s.rows[2];
        assert_eq!(r3.ranks, [Some(3); 4]);
        assert_eq!(
            (r3.min_rank, r3.max_rank, r3.stable),
            (Some(3), Some(3), true)
        );

        // ±10 %: A×0.9 gives M1 0.9/1.9 = M2 0.9/1.9 — a tie, so both share rank 1.
        let s = sensitivity(&crit, &r, &[1, 2, 3], &[], 0.1);
        assert_eq!(s.rows[0].ranks[0], Some(1));
        assert_eq!(s.rows[1].ranks[0], Some(1));
        // No delta, no variations; everything stable.
        let s = sensitivity(&crit, &r, &[1, 2, 3], &[], f64::NAN);
        assert!(s.variations.is_empty());
        assert!(s.rows.iter().all(|r| r.stable));
    }

    #[test]
    fn quadrants_and_priorities() {
        let t = Thresholds::default();
        assert_eq!(Quadrant::of(80.0, 20.0, t), Quadrant::QuickWin);
        assert_eq!(Quadrant::of(80.0, 80.0, t), Quadrant::Strategisch);
        assert_eq!(Quadrant::of(20.0, 20.0, t), Quadrant::Fuellmassnahme);
        assert_eq!(Quadrant::of(20.0, 80.0, t), Quadrant::Zurueckstellen);
        // On the threshold counts as high.
        assert_eq!(Quadrant::of(50.0, 50.0, t), Quadrant::Strategisch);
        assert_eq!(suggested_priority(Quadrant::QuickWin).as_str(), "hoch");
        assert_eq!(
            Quadrant::Strategisch.suggested_priority().as_str(),
            "mittel"
        );
        assert_eq!(
            suggested_priority(Quadrant::Fuellmassnahme).as_str(),
            "niedrig"
        );
        assert_eq!(
            suggested_priority(Quadrant::Zurueckstellen).as_str(),
            "niedrig"
        );
        for q in Quadrant::ALL {
            assert_eq!(Quadrant::parse(q.as_str()), Some(q));
        }
        assert_eq!(Quadrant::Fuellmassnahme.label(), "Füllmaßnahme");

        // Medians relative to the evaluated measures: 100 (81.25, 40) and 300 (51.5625, 85).
        let e = evaluate(
            &example_criteria(),
            &example_ratings(),
            &[100, 200, 300],
            &[],
        );
        let m = Thresholds::medians(&e).unwrap();
        assert!((m.benefit - 66.40625).abs() < 1e-9 && (m.effort - 62.5).abs() < 1e-9);
        let e = e.with_thresholds(m);
        assert_eq!(e.measure(100).unwrap().quadrant, Some(Quadrant::QuickWin));
        assert_eq!(
            e.measure(300).unwrap().quadrant,
            Some(Quadrant::Zurueckstellen)
        );
        assert_eq!(e.measure(200).unwrap().quadrant, None);
    }

    #[test]
    fn groups_parse_and_label() {
        for g in RaterGroup::ALL {
            assert_eq!(RaterGroup::parse(g.as_str()), Some(g));
        }
        assert_eq!(RaterGroup::parse("buergerinnen"), Some(B));
        assert_eq!(RaterGroup::Expertinnen.label(), "Expert:innen");
        assert_eq!(B.label(), "Bürger:innen");
        assert_eq!(RaterGroup::parse("presse"), None);
    }

    #[test]
    fn empty_inputs_do_not_panic() {
        let e = evaluate(&[], &[], &[], &[]);
        assert!(e.measures.is_empty() && e.criteria.is_empty() && e.issues.is_empty());

        let e = evaluate(&example_criteria(), &[], &[1, 2, 2], &[]);
        assert_eq!(e.measures.len(), 2, "duplicate measure ids count once");
        for m in &e.measures {
            assert_eq!(
                (m.benefit, m.effort, m.rank, m.quadrant),
                (None, None, None, None)
            );
            assert!(m.groups.is_empty() && !m.excluded && m.raters == 0);
        }
        assert!(Thresholds::medians(&e).is_none());
        let s = sensitivity(&example_criteria(), &[], &[1, 2], &[], 0.2);
        assert_eq!(s.variations.len(), 4);
        assert!(s.rows.iter().all(|r| r.stable && r.min_rank.is_none()));

        // Ratings but no criteria: everything reported, nothing scored.
        let e = evaluate(&[], &[score(1, V, 1, 9, 3)], &[1], &[]);
        assert_eq!(
            e.issues,
            [Issue::UnknownCriterion {
                criterion: 9,
                ratings: 1
            }]
        );
        assert_eq!(e.measures[0].benefit, None);

        // All group weights 0: no overall score, but the group scores stay.
        let crit = [Criterion::benefit(1, "N", 1.0, 4)];
        let e = evaluate(&crit, &[score(1, V, 1, 1, 2)], &[1], &[(B, 1.0)]);
        assert_eq!(e.measures[0].benefit, None);
        close(e.measures[0].groups[0].benefit, 50.0);
        assert_eq!(e.measures[0].groups[0].weight, 0.0);
    }

    #[test]
    fn invalid_input_is_ignored_and_reported() {
        let crit = [
            Criterion::benefit(1, "N", 1.0, 4),
            Criterion::benefit(1, "N again", 5.0, 4),
            Criterion::benefit(2, "Broken scale", 1.0, 0),
            Criterion::benefit(3, "Broken weight", f64::NAN, 4),
            Criterion::ko(4, "KO"),
        ];
        let r = [
            score(1, V, 1, 1, 3),
            score(1, V, 1, 1, 4), // same rater again: the last counts
            score(2, V, 1, 1, 9), // above the scale
            score(2, V, 1, 2, 1), // invalid criterion: ignored silently
            score(2, V, 1, 3, 1),
            score(2, V, 1, 99, 1), // unknown criterion
            score(2, V, 42, 1, 1), // unknown measure
            score(2, V, 1, 4, 1),  // a score for a KO criterion
            ko(3, V, 1, 1, false), // a KO answer for a scored criterion
        ];
        let e = evaluate(&crit, &r, &[1], &[]);
        assert_eq!(
            e.issues,
            [
                Issue::DuplicateCriterion { criterion: 1 },
                Issue::InvalidCriterion { criterion: 2 },
                Issue::InvalidCriterion { criterion: 3 },
                Issue::UnknownMeasure {
                    measure: 42,
                    ratings: 1
                },
                Issue::UnknownCriterion {
                    criterion: 99,
                    ratings: 1
                },
                Issue::ScoreOutOfScale {
                    criterion: 1,
                    ratings: 1
                },
                Issue::KindMismatch {
                    criterion: 1,
                    ratings: 1
                },
                Issue::KindMismatch {
                    criterion: 4,
                    ratings: 1
                },
                Issue::DuplicateRatings { ratings: 1 },
            ]
        );
        let m = &e.measures[0];
        close(m.benefit, 100.0); // only rater 1's last score 4/4 counts
        assert_eq!(
            m.raters, 1,
            "raters with only rejected ratings are not counted"
        );
        assert_eq!(e.criteria.len(), 1);
        assert!(!m.excluded);
        // Serialises for the templates and the API.
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"issue\":\"duplicate_criterion\""));
    }
}
