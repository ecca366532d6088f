//! Content negotiation: the `Accept` header (RFC 9110 §12.5.1) and the `format=` / `output=`
//! parameter that clients without header control use instead.

use crate::query::Syntax;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a response may be written as, in the server's order of preference, with the media types
/// that ask for each (the first one is sent as `Content-Type`).
pub type Offer = &'static [(Syntax, &'static [&'static str])];

const JSON_LD: RdfFormat = RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() };

/// SELECT and ASK answers.
pub const RESULTS: Offer = &[
    (Syntax::Results(QueryResultsFormat::Json), &["application/sparql-results+json", "application/json"]),
    (Syntax::Results(QueryResultsFormat::Xml), &["application/sparql-results+xml", "application/xml", "text/xml"]),
    (Syntax::Results(QueryResultsFormat::Csv), &["text/csv"]),
    (Syntax::Results(QueryResultsFormat::Tsv), &["text/tab-separated-values"]),
];

/// CONSTRUCT and DESCRIBE answers, graphs and the service description.
pub const GRAPH: Offer = &[
    (Syntax::Graph(RdfFormat::Turtle), &["text/turtle", "application/x-turtle"]),
    (Syntax::Graph(RdfFormat::NTriples), &["application/n-triples", "text/plain"]),
    (Syntax::Graph(RdfFormat::RdfXml), &["application/rdf+xml", "application/xml", "text/xml"]),
    (Syntax::Graph(JSON_LD), &["application/ld+json", "application/json"]),
];

/// The whole dataset: the graph syntaxes, and the two that keep each list's named graph.
pub const DATASET: Offer = &[
    (Syntax::Graph(RdfFormat::Turtle), &["text/turtle", "application/x-turtle"]),
    (Syntax::Graph(RdfFormat::NTriples), &["application/n-triples", "text/plain"]),
    (Syntax::Graph(RdfFormat::NQuads), &["application/n-quads"]),
    (Syntax::Graph(RdfFormat::TriG), &["application/trig"]),
    (Syntax::Graph(RdfFormat::RdfXml), &["application/rdf+xml", "application/xml", "text/xml"]),
    (Syntax::Graph(JSON_LD), &["application/ld+json", "application/json"]),
];

/// Short names accepted by `format=` (and `output=`), each standing for a media type. `json`
/// and `xml` mean the results formats for SELECT/ASK and JSON-LD / RDF/XML for graphs, as in
/// SPARQLWrapper and Virtuoso.
const SHORT_NAMES: &[(&str, &str, &str)] = &[
    // (name, for results, for graphs)
    ("json", "application/sparql-results+json", "application/ld+json"),
    ("xml", "application/sparql-results+xml", "application/rdf+xml"),
    ("csv", "text/csv", "text/csv"),
    ("tsv", "text/tab-separated-values", "text/tab-separated-values"),
    ("turtle", "text/turtle", "text/turtle"),
    ("ttl", "text/turtle", "text/turtle"),
    ("n3", "text/turtle", "text/turtle"),
    ("nt", "application/n-triples", "application/n-triples"),
    ("ntriples", "application/n-triples", "application/n-triples"),
    ("n-triples", "application/n-triples", "application/n-triples"),
    ("rdf", "application/rdf+xml", "application/rdf+xml"),
    ("rdfxml", "application/rdf+xml", "application/rdf+xml"),
    ("rdf+xml", "application/rdf+xml", "application/rdf+xml"),
    ("jsonld", "application/ld+json", "application/ld+json"),
    ("json-ld", "application/ld+json", "application/ld+json"),
    ("nq", "application/n-quads", "application/n-quads"),
    ("nquads", "application/n-quads", "application/n-quads"),
    ("trig", "application/trig", "application/trig"),
];

/// Chooses how to write a response. A `format` parameter, when given, decides alone (a short
/// name or a media type); otherwise the `Accept` header does, and without one the first offer
/// wins. `None` means nothing acceptable is on offer (406).
pub fn choose(offer: Offer, accept: Option<&str>, format: Option<&str>) -> Option<(Syntax, &'static str)> {
    if let Some(format) = format.map(str::trim).filter(|f| !f.is_empty()) {
        let lower = format.to_ascii_lowercase();
        let graph = offer.iter().any(|(s, _)| matches!(s, Syntax::Graph(_)));
        let media = SHORT_NAMES
            .iter()
            .find(|(name, _, _)| *name == lower)
            .map(|(_, results, graphs)| if graph { *graphs } else { *results })
            .unwrap_or(lower.as_str());
        let media = media.split(';').next().unwrap_or_default().trim();
        return offer.iter().find(|(_, types)| types.contains(&media)).map(|(s, types)| (*s, types[0]));
    }
    let ranges = match accept.map(str::trim).filter(|a| !a.is_empty()) {
        None => return offer.first().map(|(s, types)| (*s, types[0])),
        Some(accept) => parse_accept(accept),
    };
    let mut best: Option<(u16, usize)> = None; // (q in thousandths, offer index)
    for (i, (_, types)) in offer.iter().enumerate() {
        // The most specific range that names any of the format's media types decides: a client
        // that refuses text/turtle by name is not given Turtle through */* as x-turtle.
        let q = types.iter().filter_map(|t| quality(&ranges, t)).max().map_or(0, |(_, q)| q);
        if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, i));
        }
    }
    best.map(|(_, i)| (offer[i].0, offer[i].1[0]))
}

/// One media range of an Accept header: `type/subtype` (either may be `*`) and its weight in
/// thousandths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub kind: String,
    pub subtype: String,
    pub q: u16,
}

/// Parses an Accept header leniently: malformed ranges are skipped, a malformed or missing
/// weight counts as 1, weights are clamped to [0, 1].
pub fn parse_accept(header: &str) -> Vec<Range> {
    header
        .split(',')
        .filter_map(|part| {
            let mut params = part.split(';');
            let media = params.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = media.split_once('/')?;
            if kind.is_empty() || subtype.is_empty() {
                return None;
            }
            let q = params
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(1000, |(_, v)| weight(v.trim()));
            Some(Range { kind: kind.trim().to_owned(), subtype: subtype.trim().to_owned(), q })
        })
        .collect()
}

/// A qvalue in thousandths ("0.5" → 500); anything unreadable is 1000.
fn weight(value: &str) -> u16 {
    match value.parse::<f64>() {
        Ok(q) if q.is_finite() => (q.clamp(0.0, 1.0) * 1000.0).round() as u16,
        _ => 1000,
    }
}

/// The specificity (2 exact, 1 `type/*`, 0 `*/*`) and weight of the most specific range that
/// matches `media`, if any does.
fn quality(ranges: &[Range], media: &str) -> Option<(u8, u16)> {
    let (kind, subtype) = media.split_once('/')?;
    ranges
        .iter()
        .filter_map(|r| {
            let specificity = match (r.kind.as_str(), r.subtype.as_str()) {
                (k, s) if k == kind && s == subtype => 2,
                (k, "*") if k == kind => 1,
                ("*", "*") => 0,
                _ => return None,
            };
            Some((specificity, r.q))
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(offer: Offer, accept: Option<&str>, format: Option<&str>) -> Option<&'static str> {
        choose(offer, accept, format).map(|(_, media)| media)
    }

    #[test]
    fn no_preference_gets_the_first_offer() {
        assert_eq!(chosen(RESULTS, None, None), Some("application/sparql-results+json"));
        assert_eq!(chosen(GRAPH, Some("*/*"), None), Some("text/turtle"));
    }

    #[test]
    fn weights_and_specificity_decide() {
        let accept = "text/csv;q=0.5, application/sparql-results+xml, */*;q=0.1";
        assert_eq!(chosen(RESULTS, Some(accept), None), Some("application/sparql-results+xml"));
        // text/* at 0.9 beats */* at 0.1; XML (also text/xml) is the first text/ offer.
        assert_eq!(chosen(RESULTS, Some("*/*;q=0.1, text/*;q=0.9"), None), Some("application/sparql-results+xml"));
        let tsv = "*/*;q=0.1, text/csv;q=0.5, text/tab-separated-values;q=0.9";
        assert_eq!(chosen(RESULTS, Some(tsv), None), Some("text/tab-separated-values"));
        // A specific q=0 refuses that type even though */* would take it.
        assert_eq!(chosen(GRAPH, Some("text/turtle;q=0, */*"), None), Some("application/n-triples"));
        // A browser's header gets JSON (through */*).
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(chosen(RESULTS, Some(browser), None), Some("application/sparql-results+xml"));
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(chosen(RESULTS, Some("image/png"), None), None);
        assert_eq!(chosen(GRAPH, Some("text/csv"), None), None);
    }

    #[test]
    fn format_parameter_overrides_accept() {
        assert_eq!(chosen(RESULTS, Some("text/csv"), Some("json")), Some("application/sparql-results+json"));
        assert_eq!(chosen(GRAPH, None, Some("json")), Some("application/ld+json"));
        assert_eq!(chosen(GRAPH, None, Some("XML")), Some("application/rdf+xml"));
        assert_eq!(chosen(GRAPH, None, Some("text/turtle; charset=utf-8")), Some("text/turtle"));
        assert_eq!(chosen(DATASET, None, Some("nq")), Some("application/n-quads"));
        assert_eq!(chosen(GRAPH, None, Some("csv")), None);
        assert_eq!(chosen(RESULTS, None, Some("bogus")), None);
    }

    #[test]
    fn malformed_headers_are_read_leniently() {
        assert_eq!(parse_accept(""), vec![]);
        assert_eq!(parse_accept("garbage, /x, text/"), vec![]);
        let r = parse_accept("Text/CSV ; q=abc; level=1");
        assert_eq!(r, vec![Range { kind: "text".into(), subtype: "csv".into(), q: 1000 }]);
        assert_eq!(parse_accept("a/b;q=7")[0].q, 1000);
        assert_eq!(parse_accept("a/b;q=-1")[0].q, 0);
        assert_eq!(parse_accept("a/b;q=NaN")[0].q, 1000);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any header and parameter: no panic, and a choice is always one of the offers.
        #[test]
        fn choices_come_from_the_offer(accept in proptest::option::of("\\PC{0,60}"), format in proptest::option::of("\\PC{0,20}")) {
            for offer in [RESULTS, GRAPH, DATASET] {
                if let Some((syntax, media)) = choose(offer, accept.as_deref(), format.as_deref()) {
                    prop_assert!(offer.iter().any(|(s, types)| *s == syntax && types[0] == media));
                }
            }
        }
    }
}
