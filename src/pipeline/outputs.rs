//! Which kinds of file `build` writes (`--formats`): every kind by default.

use oxigraph::io::RdfFormat;

/// One kind of file `build` writes, named as `--formats` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// graph.nq: N-Quads, one named graph per list.
    Nq,
    /// graph.nt: N-Triples.
    Nt,
    /// graph.trig: TriG, one named graph per list.
    Trig,
    /// graph.ttl: Turtle.
    Ttl,
    /// graph.jsonld: JSON-LD.
    Jsonld,
    /// graph.rdf: RDF/XML.
    Rdf,
    /// graph.dot: Graphviz DOT, and graph.svg drawn from it when the graph is small enough.
    Dot,
    /// edges.csv, entries.csv, links.csv, nodes.csv.
    Csv,
    /// queries/NAME.csv: one result table per SPARQL file.
    Queries,
}

impl Output {
    /// Every kind, in `--formats`' order.
    pub const ALL: [Output; 9] = [
        Output::Nq,
        Output::Nt,
        Output::Trig,
        Output::Ttl,
        Output::Jsonld,
        Output::Rdf,
        Output::Dot,
        Output::Csv,
        Output::Queries,
    ];

    /// The kind that an RDF file of `format` is, if `build` writes that format.
    pub fn of_rdf(format: RdfFormat) -> Option<Output> {
        Some(match format {
            RdfFormat::NQuads => Output::Nq,
            RdfFormat::NTriples => Output::Nt,
            RdfFormat::TriG => Output::Trig,
            RdfFormat::Turtle => Output::Ttl,
            RdfFormat::JsonLd { .. } => Output::Jsonld,
            RdfFormat::RdfXml => Output::Rdf,
            _ => return None,
        })
    }

    /// Whether it is an RDF file.
    pub fn is_rdf(self) -> bool {
        !matches!(self, Output::Dot | Output::Csv | Output::Queries)
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// A set of [`Output`] kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs(u16);

impl Outputs {
    /// Every kind: what `build` writes without `--formats`.
    pub fn all() -> Self {
        Output::ALL.into_iter().collect()
    }

    pub fn contains(self, output: Output) -> bool {
        self.0 & output.bit() != 0
    }

    /// Whether an RDF file of `format` is among them.
    pub fn contains_rdf(self, format: RdfFormat) -> bool {
        Output::of_rdf(format).is_some_and(|o| self.contains(o))
    }

    /// Whether any RDF file is among them (vocab.ttl is written with them).
    pub fn any_rdf(self) -> bool {
        Output::ALL.into_iter().any(|o| o.is_rdf() && self.contains(o))
    }
}

impl FromIterator<Output> for Outputs {
    fn from_iter<I: IntoIterator<Item = Output>>(outputs: I) -> Self {
        Outputs(outputs.into_iter().fold(0, |bits, o| bits | o.bit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_what_they_were_made_of() {
        let picked: Outputs = [Output::Ttl, Output::Csv].into_iter().collect();
        let held: Vec<Output> = Output::ALL.into_iter().filter(|&o| picked.contains(o)).collect();
        assert_eq!(held, [Output::Ttl, Output::Csv]);
        assert!(picked.any_rdf());
        assert!(!Outputs::from_iter([Output::Dot, Output::Queries]).any_rdf());
        assert!(Output::ALL.into_iter().all(|o| Outputs::all().contains(o)));
    }

    #[test]
    fn every_rdf_file_build_writes_has_its_kind() {
        use crate::export::rdf::{FORMATS, QUAD_FORMATS};
        let kinds: Vec<Option<Output>> = QUAD_FORMATS.iter().chain(FORMATS).map(|&(_, f)| Output::of_rdf(f)).collect();
        assert!(kinds.iter().all(Option::is_some), "{kinds:?}");
        let distinct: Outputs = kinds.iter().flatten().copied().collect();
        assert_eq!(Output::ALL.into_iter().filter(|&o| distinct.contains(o)).count(), kinds.len());
        // The RDF kinds are those of the RDF files, and no other.
        assert!(Output::ALL.into_iter().all(|o| o.is_rdf() == distinct.contains(o)));
    }
}
