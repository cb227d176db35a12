//! The German analyzer: words → lower case → without stop words → Snowball stem → compound parts.
//!
//! Stemming comes *before* compound splitting, so that the inflected ending of a compound is normalised
//! first ("Parkplätze" → "parkplatz") and then split ("park", "platz") exactly like the indexed
//! "Innenstadtparkplatz" ("innen", "stadt", "park", "platz"). A word is split only when it decomposes
//! completely into dictionary parts (tantivy's `SplitCompoundWords`); other words stay whole.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, SplitCompoundWords, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

/// The name the analyzer is registered under in the index.
pub const GERMAN: &str = "de_werkstatt";

/// Parts of German compounds common in municipal Smart City texts, in their natural spelling. Each entry
/// enters the dictionary in two forms: lower-cased with umlauts folded (as inside a compound, where the
/// stemmer folds umlauts too) and as its Snowball stem (as at the end of a compound). The linking "s"
/// (Fugen-s: "Verkehrsplanung") is a part of its own.
pub const COMPOUND_PARTS: &[&str] = &[
    // places and buildings
    "innen",
    "stadt",
    "städte",
    "zentrum",
    "kern",
    "markt",
    "platz",
    "plätze",
    "park",
    "haus",
    "häuser",
    "straße",
    "straßen",
    "weg",
    "wege",
    "gasse",
    "hof",
    "bahn",
    "bahnhof",
    "halle",
    "schule",
    "garten",
    "quartier",
    "viertel",
    "dorf",
    "land",
    "kreis",
    "gemeinde",
    "rat",
    "amt",
    "verwaltung",
    "bürger",
    "bau",
    "gebäude",
    "raum",
    "räume",
    "fläche",
    "flächen",
    "netz",
    "netze",
    "ort",
    "orte",
    "stelle",
    "stellen",
    "bücherei",
    "bibliothek",
    "museum",
    "turm",
    "brücke",
    // mobility
    "verkehr",
    "auto",
    "rad",
    "fahrrad",
    "bus",
    "zug",
    "lade",
    "station",
    "stationen",
    "säule",
    "säulen",
    "park",
    "parken",
    "miet",
    "leih",
    "sharing",
    "mobilität",
    "fuß",
    "gänger",
    "spur",
    "ampel",
    "schild",
    "leit",
    "system",
    "systeme",
    "suche",
    "such",
    "lenkung",
    "tarif",
    "ticket",
    // digital, energy, environment
    "daten",
    "digital",
    "sensor",
    "sensoren",
    "plattform",
    "portal",
    "dienst",
    "dienste",
    "service",
    "energie",
    "strom",
    "wärme",
    "wasser",
    "luft",
    "klima",
    "schutz",
    "solar",
    "licht",
    "beleuchtung",
    "müll",
    "abfall",
    "grün",
    "baum",
    "bäume",
    "umwelt",
    "lärm",
    "mess",
    "messung",
    "wetter",
    // people, process
    "beteiligung",
    "bildung",
    "jugend",
    "kinder",
    "senioren",
    "familie",
    "arbeit",
    "handel",
    "wirtschaft",
    "kultur",
    "sport",
    "gesundheit",
    "sicherheit",
    "planung",
    "plan",
    "konzept",
    "strategie",
    "projekt",
    "bericht",
    "karte",
    "info",
    "information",
    "angebot",
    "angebote",
    "zeit",
    "frei",
    "kosten",
    // linking element
    "s",
];

/// Fold umlauts and ß as the German Snowball stemmer does.
fn fold(word: &str) -> String {
    word.to_lowercase()
        .replace('ä', "a")
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('ß', "ss")
}

/// The dictionary of compound parts: folded forms and stems of `COMPOUND_PARTS`.
pub fn dictionary() -> Vec<String> {
    let mut stemmer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::German))
        .build();
    let mut out = Vec::new();
    for part in COMPOUND_PARTS {
        out.push(fold(part));
        let mut s = stemmer.token_stream(part);
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
    }
    // Parts of one or two letters other than the linking "s" would split too eagerly.
    out.retain(|p| p.len() >= 3 || p == "s");
    out.sort();
    out.dedup();
    out
}

/// Build the analyzer (used for indexing and for queries alike).
pub fn german() -> tantivy::Result<TextAnalyzer> {
    let stop = StopWordFilter::new(Language::German)
        .ok_or_else(|| tantivy::TantivyError::InvalidArgument("no German stop words".into()))?;
    Ok(TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(stop)
        .filter(Stemmer::new(Language::German))
        .filter(SplitCompoundWords::from_dictionary(dictionary())?)
        .build())
}

/// The analysed terms of `text`, in order (for tests and for building queries).
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut s = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = s.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        terms(&mut german().expect("analyzer"), text)
    }

    #[test]
    fn plural_and_singular_meet() {
        assert_eq!(t("Parkplätze"), t("Parkplatz"));
        assert_eq!(t("Parkplätzen"), t("Parkplatz"));
        assert_eq!(t("Ladestationen"), t("Ladestation"));
    }

    #[test]
    fn compounds_split_into_their_parts() {
        assert_eq!(t("Parkplatz"), ["park", "platz"]);
        assert_eq!(
            t("Innenstadtparkplatz"),
            ["innen", "stadt", "park", "platz"]
        );
        assert_eq!(t("Verkehrsplanung"), ["verkehr", "s", "plan"]);
        let radweg = t("Radwege");
        assert_eq!(radweg, ["rad", "weg"]);
    }

    #[test]
    fn words_outside_the_dictionary_stay_whole() {
        assert_eq!(t("Arnsberg"), ["arnsberg"]);
        // Not completely decomposable: "brot" is no part.
        assert_eq!(t("Brotplatz").len(), 1);
    }

    #[test]
    fn stop_words_are_dropped_and_case_is_ignored() {
        assert_eq!(t("der Markt und die Stadt"), ["markt", "stadt"]);
        assert_eq!(t("MARKT"), t("markt"));
        assert!(t("und oder aber").is_empty());
    }

    #[test]
    fn umlauts_and_sharp_s_are_folded() {
        assert_eq!(t("Straße"), t("Strasse"));
        assert_eq!(t("Bürger"), t("Burger"));
    }
}
