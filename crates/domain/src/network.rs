//! The network's view across cities: figures per city, the implementation rate, aggregates per size class
//! (network dashboard), and the ranking of similar measures in other cities. No I/O: the store hands in
//! grouped counts, this module turns them into figures.

use crate::municipality::SizeClass;
use std::collections::{BTreeMap, BTreeSet};

/// Status keys that count as *implemented* ("umgesetzt"): finished or made permanent.
pub const IMPLEMENTED: [&str; 2] = ["abgeschlossen", "verstetigt"];
/// Status key of discarded measures: they are not counted in the implementation rate's base.
pub const DISCARDED: &str = "verworfen";

/// What the store knows about one city, already grouped in SQL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CityInput {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub population: i64,
    /// Current phase `(position, name, status)`, if the city has a process.
    pub phase: Option<(i64, String, String)>,
    pub phases_done: i64,
    pub phases_total: i64,
    /// Measures per status key (all visibilities: the dashboard is for roles that see everything).
    pub by_status: BTreeMap<String, i64>,
    /// Measures per primary field of action name (`None`: without a field).
    pub by_field: BTreeMap<Option<String>, i64>,
    pub formats: i64,
    pub participants: i64,
    pub contributions: i64,
    /// Measures with at least one progress report, and the sum of the percent of their latest report.
    pub reported: i64,
    pub percent_sum: i64,
}

/// Figures of one city as the dashboard shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct CityFigures {
    pub input: CityInput,
    pub size_class: SizeClass,
    pub measures: i64,
    pub implemented: i64,
    /// Implementation rate in percent, `None` when there is no measure to count.
    pub rate: Option<f64>,
    /// Average percent complete of the latest progress report per reported measure.
    pub avg_percent: Option<f64>,
    /// Phase progress in percent (closed phases of all phases).
    pub phase_progress: Option<f64>,
}

/// Implementation rate: measures in an implemented status (abgeschlossen, verstetigt) as a share of all measures
/// that are not discarded (verworfen), in percent. `None` when that base is empty.
pub fn implementation_rate(by_status: &BTreeMap<String, i64>) -> (i64, Option<f64>) {
    let implemented: i64 = IMPLEMENTED
        .iter()
        .map(|k| by_status.get(*k).copied().unwrap_or(0))
        .sum();
    let base: i64 = by_status
        .iter()
        .filter(|(k, _)| k.as_str() != DISCARDED)
        .map(|(_, n)| *n)
        .sum();
    (implemented, share(implemented, base))
}

/// `part / whole` in percent, `None` for an empty whole.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn average(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| sum as f64 / n as f64)
}

impl CityFigures {
    pub fn of(input: CityInput) -> Self {
        let measures = input.by_status.values().sum();
        let (implemented, rate) = implementation_rate(&input.by_status);
        CityFigures {
            size_class: SizeClass::from_population(
                u32::try_from(input.population).unwrap_or(u32::MAX),
            ),
            measures,
            implemented,
            rate,
            avg_percent: average(input.percent_sum, input.reported),
            phase_progress: share(input.phases_done, input.phases_total),
            input,
        }
    }
}

/// Aggregates of one size class: sums over its cities and the rates computed from those sums (not averages of
/// the cities' rates, so that a city with two measures does not weigh as much as one with two hundred).
#[derive(Debug, Clone, PartialEq)]
pub struct ClassFigures {
    pub class: SizeClass,
    pub cities: i64,
    pub measures: i64,
    pub implemented: i64,
    pub rate: Option<f64>,
    pub avg_percent: Option<f64>,
    pub formats: i64,
    pub participants: i64,
    pub contributions: i64,
    /// Measures per city.
    pub measures_per_city: Option<f64>,
    /// Participants per city.
    pub participants_per_city: Option<f64>,
}

/// One row per size class that has at least one city, smallest class first.
pub fn by_size_class(cities: &[CityFigures]) -> Vec<ClassFigures> {
    SizeClass::ALL
        .into_iter()
        .filter_map(|class| {
            let members: Vec<&CityFigures> =
                cities.iter().filter(|c| c.size_class == class).collect();
            if members.is_empty() {
                return None;
            }
            let n = members.len() as i64;
            let mut status: BTreeMap<String, i64> = BTreeMap::new();
            for c in &members {
                for (k, v) in &c.input.by_status {
                    *status.entry(k.clone()).or_default() += v;
                }
            }
            let (implemented, rate) = implementation_rate(&status);
            let sum = |f: fn(&CityFigures) -> i64| members.iter().map(|c| f(c)).sum::<i64>();
            let measures = sum(|c| c.measures);
            let participants = sum(|c| c.input.participants);
            Some(ClassFigures {
                class,
                cities: n,
                measures,
                implemented,
                rate,
                avg_percent: average(sum(|c| c.input.percent_sum), sum(|c| c.input.reported)),
                formats: sum(|c| c.input.formats),
                participants,
                contributions: sum(|c| c.input.contributions),
                measures_per_city: average(measures, n),
                participants_per_city: average(participants, n),
            })
        })
        .collect()
}

/// Totals over cities: measures per status key and per field name, in the order of first appearance of keys
/// sorted (status order is the caller's: it knows the workflow positions).
pub fn totals_by_status(cities: &[CityFigures]) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for c in cities {
        for (k, v) in &c.input.by_status {
            *out.entry(k.clone()).or_default() += v;
        }
    }
    out
}

pub fn totals_by_field(cities: &[CityFigures]) -> BTreeMap<Option<String>, i64> {
    let mut out = BTreeMap::new();
    for c in cities {
        for (k, v) in &c.input.by_field {
            *out.entry(k.clone()).or_default() += v;
        }
    }
    out
}

// ---- similar measures ----

/// A measure as the similarity ranking sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarDoc {
    pub id: i64,
    /// Primary and further fields of action.
    pub fields: BTreeSet<i64>,
    pub title: String,
    pub description: String,
}

/// Common German words that say nothing about a measure's subject.
const STOP_WORDS: [&str; 40] = [
    "aber", "alle", "allen", "auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der",
    "des", "die", "durch", "ein", "eine", "einer", "eines", "für", "mit", "nach", "neue", "neuen",
    "oder", "sich", "sind", "und", "uns", "unter", "vom", "von", "vor", "wir", "wird", "werden",
    "zum", "zur", "über", "stadt",
];

/// Content words: lower-cased, split at anything not alphanumeric, at least four letters, no stop words.
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// How alike two measures are: shared fields of action first, then shared content words of title and
/// description. Compared as a tuple: one shared field outweighs any number of shared words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Similarity {
    pub shared_fields: usize,
    pub shared_words: usize,
}

pub fn similarity(a: &SimilarDoc, b: &SimilarDoc) -> Similarity {
    let wa = words(&format!("{} {}", a.title, a.description));
    let wb = words(&format!("{} {}", b.title, b.description));
    Similarity {
        shared_fields: a.fields.intersection(&b.fields).count(),
        shared_words: wa.intersection(&wb).count(),
    }
}

/// The ids of at most `limit` candidates most similar to `target`, best first; candidates that share neither a
/// field nor a word are left out, ties go to the lower id (older measure). The caller passes only candidates
/// the viewer may see, from other cities.
pub fn rank_similar(target: &SimilarDoc, candidates: &[SimilarDoc], limit: usize) -> Vec<i64> {
    let mut scored: Vec<(Similarity, i64)> = candidates
        .iter()
        .filter(|c| c.id != target.id)
        .map(|c| (similarity(target, c), c.id))
        .filter(|(s, _)| s.shared_fields + s.shared_words > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(limit).map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn implementation_rate_counts_finished_and_permanent_and_ignores_discarded() {
        let s = statuses(&[
            ("idee", 3),
            ("umsetzung", 2),
            ("abgeschlossen", 2),
            ("verstetigt", 1),
            ("verworfen", 4),
        ]);
        let (implemented, rate) = implementation_rate(&s);
        assert_eq!(implemented, 3);
        assert_eq!(rate, Some(37.5));
        assert_eq!(implementation_rate(&statuses(&[("verworfen", 2)])).1, None);
        assert_eq!(implementation_rate(&BTreeMap::new()), (0, None));
    }

    fn city(
        id: i64,
        population: i64,
        s: &[(&str, i64)],
        reported: i64,
        percent_sum: i64,
    ) -> CityFigures {
        CityFigures::of(CityInput {
            id,
            population,
            by_status: statuses(s),
            participants: id * 10,
            reported,
            percent_sum,
            phases_done: 2,
            phases_total: 7,
            ..Default::default()
        })
    }

    #[test]
    fn city_figures_and_size_classes_are_computed_from_sums() {
        let a = city(1, 70_000, &[("idee", 1), ("abgeschlossen", 1)], 2, 150);
        assert_eq!(a.measures, 2);
        assert_eq!(a.rate, Some(50.0));
        assert_eq!(a.avg_percent, Some(75.0));
        assert_eq!(a.phase_progress, Some(200.0 / 7.0));
        let b = city(2, 30_000, &[("idee", 7), ("verstetigt", 1)], 0, 0);
        let c = city(3, 4_000, &[], 0, 0);
        let classes = by_size_class(&[a, b, c]);
        assert_eq!(classes.len(), 2, "no row for classes without cities");
        assert_eq!(classes[0].class, SizeClass::Landgemeinde);
        assert_eq!(classes[0].rate, None);
        let mittel = &classes[1];
        assert_eq!(mittel.class, SizeClass::Mittelstadt);
        assert_eq!(
            (mittel.cities, mittel.measures, mittel.implemented),
            (2, 10, 2)
        );
        // 2 of 10, not the mean of 50 % and 12.5 %.
        assert_eq!(mittel.rate, Some(20.0));
        assert_eq!(mittel.avg_percent, Some(75.0));
        assert_eq!(mittel.participants, 30);
        assert_eq!(mittel.measures_per_city, Some(5.0));
    }

    fn doc(id: i64, fields: &[i64], title: &str, description: &str) -> SimilarDoc {
        SimilarDoc {
            id,
            fields: fields.iter().copied().collect(),
            title: title.into(),
            description: description.into(),
        }
    }

    #[test]
    fn words_drop_short_and_stop_words() {
        let w = words("Die digitale Parkraum-Steuerung für die Innenstadt und DIGITALE Schilder");
        let expected: BTreeSet<String> = [
            "digitale",
            "parkraum",
            "steuerung",
            "innenstadt",
            "schilder",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(w, expected);
    }

    #[test]
    fn fields_outweigh_words_and_unrelated_measures_are_left_out() {
        let target = doc(
            1,
            &[10, 11],
            "Digitale Parkraumsteuerung",
            "Sensoren zeigen freie Parkplätze",
        );
        let candidates = vec![
            doc(2, &[10], "Bürgerhaushalt", "Abstimmung über Projekte"),
            doc(
                3,
                &[],
                "Parkraumsteuerung mit Sensoren",
                "freie Parkplätze anzeigen",
            ),
            doc(4, &[10, 11], "Radwege", ""),
            doc(5, &[12], "Kulturfest", "Musik"),
            doc(6, &[10], "Sensoren für Parkplätze", ""),
            doc(1, &[10, 11], "Digitale Parkraumsteuerung", "same measure"),
        ];
        assert_eq!(rank_similar(&target, &candidates, 5), vec![4, 6, 2, 3]);
        assert_eq!(rank_similar(&target, &candidates, 2), vec![4, 6]);
        assert!(rank_similar(&target, &[], 5).is_empty());
    }

    #[test]
    fn ties_go_to_the_older_measure() {
        let target = doc(1, &[10], "A", "");
        let c = vec![doc(9, &[10], "B", ""), doc(3, &[10], "C", "")];
        assert_eq!(rank_similar(&target, &c, 5), vec![3, 9]);
    }
}
