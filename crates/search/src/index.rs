use crate::analyzer::{self, GERMAN};
use crate::{Kind, PER_PAGE, Query, SearchError, Viewer};
use domain::visibility::Visibility;
use std::collections::HashSet;
use std::sync::Mutex;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// One searchable thing, ready for the index.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub kind: Kind,
    pub id: i64,
    pub municipality_id: i64,
    pub municipality_slug: String,
    pub municipality_name: String,
    pub field_ids: Vec<i64>,
    pub visibility: Visibility,
    pub title: String,
    pub body: String,
    pub url: String,
}

/// One result: title and snippet are HTML (escaped text, matches in `<mark>`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub municipality_slug: String,
    pub municipality_name: String,
    pub title_html: String,
    pub snippet_html: String,
    pub url: String,
}

/// Result counts per city (slug), field of action (id) and kind, over every visible match.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Facets {
    pub cities: Vec<(String, u64)>,
    pub fields: Vec<(i64, u64)>,
    pub kinds: Vec<(Kind, u64)>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Results {
    /// Visible matches in total (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// The query consisted of stop words only.
    pub no_terms: bool,
}

struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    city: Field,
    city_id: Field,
    city_name: Field,
    field: Field,
    vis: Field,
    title: Field,
    body: Field,
    url: Field,
    facet: Field,
}

/// The node's index: in memory, one writer, reloaded after every commit.
pub struct Index {
    index: tantivy::Index,
    f: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    analyzer: TextAnalyzer,
}

const SNIPPET_CHARS: usize = 220;

fn key(kind: Kind, id: i64) -> String {
    format!("{}-{id}", kind.as_str())
}

/// Escape text for HTML element content and attributes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` with the ranges in `marks` wrapped in `<mark>`, everything escaped.
fn mark(text: &str, marks: &[std::ops::Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in tantivy::snippet::collapse_overlapped_ranges(marks) {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[r.clone()]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// The first `n` characters of `text`, cut at a word boundary, with an ellipsis when shortened.
fn lead(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return escape(text.trim());
    }
    let cut: String = text.chars().take(n).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{} …", escape(cut.trim()))
}

fn vis_key(v: Visibility) -> &'static str {
    v.as_str()
}

impl Index {
    /// An empty index in memory.
    pub fn new_in_ram() -> Result<Index, SearchError> {
        let mut b = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(GERMAN)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let f = Fields {
            key: b.add_text_field("key", STRING),
            kind: b.add_text_field("kind", STRING | STORED),
            id: b.add_i64_field("id", STORED),
            city: b.add_text_field("city", STRING | STORED),
            city_id: b.add_i64_field("city_id", INDEXED | FAST),
            city_name: b.add_text_field("city_name", STORED),
            field: b.add_i64_field("field", INDEXED),
            vis: b.add_text_field("vis", STRING),
            title: b.add_text_field("title", text.clone()),
            body: b.add_text_field("body", text),
            url: b.add_text_field("url", STORED),
            facet: b.add_facet_field("facet", FacetOptions::default()),
        };
        let index = tantivy::Index::create_in_ram(b.build());
        let analyzer = analyzer::german()?;
        index.tokenizers().register(GERMAN, analyzer.clone());
        // One indexing thread: the node's cores belong to the requests.
        let writer = index.writer_with_num_threads(1, 50_000_000)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Index {
            index,
            f,
            writer: Mutex::new(writer),
            reader,
            analyzer,
        })
    }

    fn to_doc(&self, d: &Document) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(d.kind, d.id));
        doc.add_text(f.kind, d.kind.as_str());
        doc.add_i64(f.id, d.id);
        doc.add_text(f.city, &d.municipality_slug);
        doc.add_i64(f.city_id, d.municipality_id);
        doc.add_text(f.city_name, &d.municipality_name);
        doc.add_text(f.vis, vis_key(d.visibility));
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.url, &d.url);
        doc.add_facet(f.facet, Facet::from_path(["kind", d.kind.as_str()]));
        doc.add_facet(
            f.facet,
            Facet::from_path(["city", d.municipality_slug.as_str()]),
        );
        for field in &d.field_ids {
            doc.add_i64(f.field, *field);
            doc.add_facet(
                f.facet,
                Facet::from_path(["field".to_string(), field.to_string()]),
            );
        }
        doc
    }

    /// Replace the whole content (start-up rebuild).
    pub fn replace_all(&self, docs: &[Document]) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        w.delete_all_documents()?;
        // An entity changed twice since the last look comes twice: add only its last reading.
        let mut added = HashSet::new();
        for d in docs.iter().rev() {
            if added.insert((d.kind, d.id)) {
                w.add_document(self.to_doc(d))?;
            }
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Remove the entities `gone` and (re-)add `docs`, as one commit. An entity that changed is listed in
    /// `gone` and, if it is still searchable, in `docs`; listed more than once, its last document counts.
    pub fn apply(&self, gone: &[(Kind, i64)], docs: &[Document]) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let mut removed = HashSet::new();
        for (k, id) in gone
            .iter()
            .copied()
            .chain(docs.iter().map(|d| (d.kind, d.id)))
        {
            if removed.insert((k, id)) {
                w.delete_term(Term::from_field_text(self.f.key, &key(k, id)));
            }
        }
        // An entity changed twice since the last look comes twice: add only its last reading.
        let mut added = HashSet::new();
        for d in docs.iter().rev() {
            if added.insert((d.kind, d.id)) {
                w.add_document(self.to_doc(d))?;
            }
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Number of documents searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn term(&self, field: Field, text: &str) -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    }

    fn i64_term(&self, field: Field, v: i64) -> Box<dyn TQuery> {
        Box::new(TermQuery::new(
            Term::from_field_i64(field, v),
            IndexRecordOption::Basic,
        ))
    }

    /// The text part: every word must match (in title or body); a word's compound parts must all match.
    /// `None` when the text holds stop words only.
    fn text_query(&self, text: &str) -> Option<Box<dyn TQuery>> {
        let mut analyzer = self.analyzer.clone();
        let mut words: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for word in text.split_whitespace() {
            let terms = analyzer::terms(&mut analyzer, word);
            let mut parts: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
            for t in terms {
                let in_title = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.f.title, &t),
                        IndexRecordOption::WithFreqs,
                    )),
                    2.0,
                ));
                let in_body = Box::new(TermQuery::new(
                    Term::from_field_text(self.f.body, &t),
                    IndexRecordOption::WithFreqs,
                ));
                parts.push((
                    Occur::Must,
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Should, in_title as Box<dyn TQuery>),
                        (Occur::Should, in_body),
                    ])),
                ));
            }
            if !parts.is_empty() {
                words.push((Occur::Must, Box::new(BooleanQuery::new(parts))));
            }
        }
        if words.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(words)))
        }
    }

    /// What `viewer` may see, as a query (`None`: everything).
    fn visibility_filter(&self, viewer: &Viewer) -> Option<Box<dyn TQuery>> {
        if viewer.all {
            return None;
        }
        let mut any: Vec<(Occur, Box<dyn TQuery>)> = vec![(
            Occur::Should,
            self.term(self.f.vis, vis_key(Visibility::Oeffentlich)),
        )];
        if viewer.network {
            any.push((
                Occur::Should,
                self.term(self.f.vis, vis_key(Visibility::Netzwerk)),
            ));
        }
        for m in &viewer.member_of {
            any.push((Occur::Should, self.i64_term(self.f.city_id, *m)));
        }
        Some(Box::new(BooleanQuery::new(any)))
    }

    /// Search as `viewer`: matches of `q.text`, narrowed by the facet filters, only what the viewer may
    /// see; one page of hits with highlighted title and snippet, the total, and facet counts.
    pub fn search(&self, q: &Query, viewer: &Viewer) -> Result<Results, SearchError> {
        let Some(text) = self.text_query(&q.text) else {
            return Ok(Results {
                no_terms: true,
                ..Default::default()
            });
        };
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, text.box_clone())];
        if let Some(v) = self.visibility_filter(viewer) {
            clauses.push((Occur::Must, v));
        }
        if let Some(c) = &q.city {
            clauses.push((Occur::Must, self.term(self.f.city, c)));
        }
        if let Some(k) = q.kind {
            clauses.push((Occur::Must, self.term(self.f.kind, k.as_str())));
        }
        if let Some(fid) = q.field {
            clauses.push((Occur::Must, self.i64_term(self.f.field, fid)));
        }
        let query = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let mut facets = FacetCollector::for_field("facet");
        facets.add_facet("/kind");
        facets.add_facet("/city");
        facets.add_facet("/field");
        let top = TopDocs::with_limit(PER_PAGE)
            .and_offset(q.offset())
            .order_by_score();
        let (top, total, counts) = searcher.search(&query, &(top, Count, facets))?;

        let mut title_gen = SnippetGenerator::create(&searcher, &*text, self.f.title)?;
        title_gen.set_max_num_chars(1000);
        let mut body_gen = SnippetGenerator::create(&searcher, &*text, self.f.body)?;
        body_gen.set_max_num_chars(SNIPPET_CHARS);

        let mut hits = Vec::with_capacity(top.len());
        for (_score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let s = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let title = s(self.f.title);
            let body = s(self.f.body);
            let t = title_gen.snippet(&title);
            let title_html = mark(&title, t.highlighted());
            let b = body_gen.snippet(&body);
            let snippet_html = if b.is_empty() {
                lead(&body, SNIPPET_CHARS)
            } else {
                let mut html = mark(b.fragment(), b.highlighted());
                if b.fragment_range().start > 0 {
                    html.insert_str(0, "… ");
                }
                let rest = body.get(b.fragment_range().end..).unwrap_or_default();
                if rest.chars().any(char::is_alphanumeric) {
                    html.push_str(" …");
                } else {
                    html.push_str(&escape(rest.trim_end()));
                }
                html
            };
            hits.push(Hit {
                kind: Kind::parse(&s(self.f.kind)).unwrap_or(Kind::Measure),
                id: doc
                    .get_first(self.f.id)
                    .and_then(|v| v.as_i64())
                    .unwrap_or(0),
                municipality_slug: s(self.f.city),
                municipality_name: s(self.f.city_name),
                title_html,
                snippet_html,
                url: s(self.f.url),
            });
        }

        let child = |facet: &Facet| facet.to_path().last().map(|s| s.to_string());
        let mut f = Facets::default();
        for (facet, n) in counts.get("/kind") {
            if let Some(k) = child(facet).as_deref().and_then(Kind::parse) {
                f.kinds.push((k, n));
            }
        }
        for (facet, n) in counts.get("/city") {
            if let Some(c) = child(facet) {
                f.cities.push((c, n));
            }
        }
        for (facet, n) in counts.get("/field") {
            if let Some(id) = child(facet).and_then(|s| s.parse().ok()) {
                f.fields.push((id, n));
            }
        }
        f.kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.cities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        Ok(Results {
            total,
            hits,
            facets: f,
            no_terms: false,
        })
    }

    /// The underlying tantivy index (for diagnostics).
    pub fn tantivy(&self) -> &tantivy::Index {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: Kind, id: i64, city: i64, v: Visibility, title: &str, body: &str) -> Document {
        Document {
            kind,
            id,
            municipality_id: city,
            municipality_slug: format!("stadt{city}"),
            municipality_name: format!("Stadt {city}"),
            field_ids: vec![10 + city],
            visibility: v,
            title: title.into(),
            body: body.into(),
            url: format!("/x/{id}"),
        }
    }

    fn q(text: &str) -> Query {
        Query::parse(Some(text), None, None, None, None).expect("query")
    }

    fn index() -> Index {
        let i = Index::new_in_ram().expect("index");
        i.replace_all(&[
            doc(
                Kind::Measure,
                1,
                1,
                Visibility::Oeffentlich,
                "Neuer Parkplatz am Markt",
                "Mehr Stellplätze <b>sofort</b>.",
            ),
            doc(
                Kind::Measure,
                2,
                1,
                Visibility::Intern,
                "Innenstadtparkplatz digital",
                "Sensoren melden freie Plätze.",
            ),
            doc(
                Kind::Idea,
                3,
                2,
                Visibility::Oeffentlich,
                "Radwege",
                "Sichere Radwege zur Schule und zum Parkplatz.",
            ),
            doc(
                Kind::Workshop,
                4,
                2,
                Visibility::Netzwerk,
                "Werkstatt Mobilität",
                "Wir planen Parkplätze.",
            ),
        ])
        .expect("fill");
        i
    }

    #[test]
    fn stemming_compounds_and_visibility() {
        let i = index();
        let all = Viewer {
            all: true,
            ..Default::default()
        };
        let ids = |r: Results| {
            let mut v: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
            v.sort();
            v
        };
        assert_eq!(ids(i.search(&q("Parkplätze"), &all).unwrap()), [1, 2, 3, 4]);
        assert_eq!(
            ids(i.search(&q("Parkplätze"), &Viewer::anonymous()).unwrap()),
            [1, 3]
        );
        let member = Viewer {
            member_of: vec![1],
            ..Default::default()
        };
        assert_eq!(ids(i.search(&q("parkplatz"), &member).unwrap()), [1, 2, 3]);
        let network = Viewer {
            network: true,
            ..Default::default()
        };
        assert_eq!(ids(i.search(&q("parkplatz"), &network).unwrap()), [1, 3, 4]);
        assert!(i.search(&q("und oder"), &all).unwrap().no_terms);
    }

    #[test]
    fn facets_filters_and_highlighting() {
        let i = index();
        let all = Viewer {
            all: true,
            ..Default::default()
        };
        let r = i.search(&q("Parkplatz"), &all).unwrap();
        assert_eq!(r.total, 4);
        assert_eq!(
            r.facets.kinds,
            [(Kind::Measure, 2), (Kind::Idea, 1), (Kind::Workshop, 1)]
        );
        assert_eq!(
            r.facets.cities,
            [("stadt1".to_string(), 2), ("stadt2".to_string(), 2)]
        );
        assert_eq!(r.facets.fields, [(11, 2), (12, 2)]);
        let mut only = q("Parkplatz");
        only.kind = Some(Kind::Idea);
        let r = i.search(&only, &all).unwrap();
        assert_eq!(r.total, 1);
        assert!(
            r.hits[0].snippet_html.contains("<mark>Parkplatz</mark>"),
            "{}",
            r.hits[0].snippet_html
        );
        let r = i.search(&q("Stellplätze"), &all).unwrap();
        assert_eq!(
            r.hits[0].snippet_html,
            "Mehr <mark>Stellplätze</mark> &lt;b&gt;sofort&lt;/b&gt;."
        );
        let r = i.search(&q("Markt"), &all).unwrap();
        assert_eq!(
            r.hits[0].title_html,
            "Neuer Parkplatz am <mark>Markt</mark>"
        );
    }

    #[test]
    fn changes_replace_and_remove() {
        let i = index();
        let all = Viewer {
            all: true,
            ..Default::default()
        };
        let mut changed = doc(
            Kind::Measure,
            1,
            1,
            Visibility::Oeffentlich,
            "Marktplatz",
            "Bänke",
        );
        changed.field_ids.clear();
        i.apply(&[(Kind::Idea, 3)], &[changed]).unwrap();
        assert_eq!(i.len(), 3);
        assert_eq!(i.search(&q("Radwege"), &all).unwrap().total, 0);
        assert_eq!(i.search(&q("Bänke"), &all).unwrap().total, 1);
        assert_eq!(i.search(&q("Stellplätze"), &all).unwrap().total, 0);
    }

    #[test]
    fn an_entity_changed_twice_in_one_look_is_found_once_as_last_read() {
        let i = index();
        let all = Viewer {
            all: true,
            ..Default::default()
        };
        let first = doc(
            Kind::Measure,
            1,
            1,
            Visibility::Oeffentlich,
            "Fahrrad",
            "Entwurf",
        );
        let last = doc(
            Kind::Measure,
            1,
            1,
            Visibility::Oeffentlich,
            "Fahrrad",
            "Beschlossen",
        );
        i.apply(&[(Kind::Measure, 1), (Kind::Measure, 1)], &[first, last])
            .unwrap();
        assert_eq!(i.len(), 4);
        let r = i.search(&q("Fahrrad"), &all).unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(i.search(&q("Entwurf"), &all).unwrap().total, 0);
        assert_eq!(i.search(&q("beschlossen"), &all).unwrap().total, 1);
    }
}
