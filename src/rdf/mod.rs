//! The graph as RDF: schema.org, SKOS and Dublin Core terms (see [`crate::vocab`]), IRIs made
//! from each node's stable key under a base IRI, as a [`Dataset`] of numbered terms that SPARQL
//! reads directly ([`load_store`] still fills an oxigraph [`Store`] for whoever wants one).

use crate::error::Error;
use crate::graph::{Edge, KnowledgeGraph, NodeKind};
use crate::model::MediaType;
use crate::slug::SlugSet;
use crate::vocab::{self, akg, dcmitype, dcterms, owl, rdfs, schema, skos};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, LiteralRef, NamedNode, NamedNodeRef, Term, Triple};
use oxigraph::store::Store;
use petgraph::graph::NodeIndex;

mod dataset;
mod forms;
mod index;
mod order;
mod sort;
mod terms;
mod url;
mod written;
pub use dataset::{Dataset, DatasetBuilder};
pub use forms::{Forms, Lines};
pub use index::{InGraph, Matches, QuadIds};
pub use order::sort_triples;
pub use url::url_term;

/// A validated base IRI ending in `/` or `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseIri(String);

impl BaseIri {
    pub fn new(iri: &str) -> Result<Self, Error> {
        let bad = |message: &str| Error::Iri { iri: iri.to_owned(), message: message.to_owned() };
        NamedNode::new(iri).map_err(|e| bad(&e.to_string()))?;
        if !iri.ends_with('/') && !iri.ends_with('#') {
            return Err(bad("a base IRI must end with '/' or '#'"));
        }
        Ok(BaseIri(iri.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The IRI of a node key. Keys are made of slugs (letters and digits of any script, '-'),
    /// host names and '/', all valid in an IRI path, and the base was validated, so the IRI is
    /// not parsed again: on a million entries that parse is seconds. The property tests parse
    /// every generated IRI back.
    pub fn iri(&self, key: &str) -> NamedNode {
        let iri = format!("{}{key}", self.0);
        debug_assert!(NamedNode::new(&iri).is_ok(), "invalid IRI from key {key:?}");
        NamedNode::new_unchecked(iri)
    }
}

impl Default for BaseIri {
    fn default() -> Self {
        BaseIri(vocab::DEFAULT_BASE.to_owned())
    }
}

/// The schema.org class and DCMI type that fit a media type.
pub fn media_classes(m: MediaType) -> (NamedNodeRef<'static>, Option<NamedNodeRef<'static>>) {
    match m {
        MediaType::Answer => (schema::ANSWER, Some(dcmitype::TEXT)),
        MediaType::Blog => (schema::BLOG_POSTING, Some(dcmitype::TEXT)),
        MediaType::Book => (schema::BOOK, Some(dcmitype::TEXT)),
        MediaType::Course => (schema::COURSE, None),
        MediaType::Dataset => (schema::DATASET, Some(dcmitype::DATASET)),
        MediaType::Discussion => (schema::DISCUSSION_FORUM_POSTING, Some(dcmitype::TEXT)),
        MediaType::Document => (schema::DIGITAL_DOCUMENT, Some(dcmitype::TEXT)),
        MediaType::Paper => (schema::SCHOLARLY_ARTICLE, Some(dcmitype::TEXT)),
        MediaType::Podcast => (schema::PODCAST_EPISODE, Some(dcmitype::SOUND)),
        MediaType::Repository => (schema::SOFTWARE_SOURCE_CODE, Some(dcmitype::SOFTWARE)),
        MediaType::Slides => (schema::PRESENTATION_DIGITAL_DOCUMENT, Some(dcmitype::TEXT)),
        MediaType::Talk => (schema::EVENT, Some(dcmitype::EVENT)),
        MediaType::Video => (schema::VIDEO_OBJECT, Some(dcmitype::MOVING_IMAGE)),
        MediaType::Website => (schema::WEB_SITE, Some(dcmitype::INTERACTIVE_RESOURCE)),
    }
}

/// Key of the concept scheme that holds the media types.
const MEDIA_TYPES_KEY: &str = "media-types";

/// Collects quads, each in the named graph of the list its subject belongs to, or in the
/// default graph for what lists share (media types, organizations, sites, URLs).
struct Quads {
    /// Each node's IRI, numbered once (URL nodes have none: the URL itself is their IRI).
    iris: Vec<Option<u32>>,
    /// Each node's named graph (`None`: the default graph).
    graphs: Vec<Option<u32>>,
    /// The number of each predicate by the address of its static text: a few dozen
    /// predicates are looked up once per quad, and hashing an address beats hashing the IRI.
    predicates: crate::hash::HashMap<(usize, usize), u32>,
    out: DatasetBuilder,
    /// Where node IRIs are made before they are numbered, so that none is allocated.
    scratch: String,
}

/// The number of the IRI of the node key `key` under `base`, made in `scratch` (as
/// [`BaseIri::iri`] makes it, without allocating).
fn key_iri(out: &mut DatasetBuilder, scratch: &mut String, base: &BaseIri, key: &str) -> u32 {
    scratch.clear();
    scratch.push_str(base.as_str());
    scratch.push_str(key);
    debug_assert!(NamedNode::new(scratch.as_str()).is_ok(), "invalid IRI from key {key:?}");
    out.iri(scratch)
}

/// What can be the object of a quad: a term, or a term already numbered.
trait Object {
    fn id(self, b: &mut DatasetBuilder) -> u32;
}

impl Object for u32 {
    fn id(self, _: &mut DatasetBuilder) -> u32 {
        self
    }
}

impl Object for NamedNodeRef<'_> {
    fn id(self, b: &mut DatasetBuilder) -> u32 {
        b.iri(self.as_str())
    }
}

impl Object for NamedNode {
    fn id(self, b: &mut DatasetBuilder) -> u32 {
        b.iri(self.as_str())
    }
}

impl Object for LiteralRef<'_> {
    fn id(self, b: &mut DatasetBuilder) -> u32 {
        b.literal_ref(self)
    }
}

/// An `xsd:integer` literal, written out only to be numbered (no allocation).
struct Int(usize);

impl Object for Int {
    fn id(self, b: &mut DatasetBuilder) -> u32 {
        let mut digits = Default::default();
        let text = crate::decimal::decimal(self.0, &mut digits);
        b.literal_ref(LiteralRef::new_typed_literal(text, xsd::INTEGER))
    }
}

impl Object for Term {
    fn id(self, b: &mut DatasetBuilder) -> u32 {
        b.term(self)
    }
}

impl Quads {
    fn new(kg: &KnowledgeGraph, base: &BaseIri) -> Self {
        // About 4 quads per node and edge and 1.6 terms per node on generated lists; room
        // reserved but not used costs address space, not memory (the term table's control
        // bytes aside: about two bytes per node), while growing copies the terms into fresh
        // memory (a second or so on a million entries).
        let nodes = kg.node_count();
        let mut out = DatasetBuilder::with_capacity(2 * nodes + 2 * kg.edge_count(), nodes + 3 * nodes / 4);
        let mut iris = Vec::with_capacity(nodes);
        let mut graphs = Vec::with_capacity(nodes);
        let mut scratch = String::new();
        // The last list seen and its number: a list's nodes come one after another.
        let mut last_list: Option<(&str, u32)> = None;
        for (_, node) in kg.nodes() {
            let url = matches!(node.kind, NodeKind::Url { .. });
            iris.push((!url).then(|| key_iri(&mut out, &mut scratch, base, &node.key)));
            graphs.push(match crate::graph::list_key(&node.key) {
                Some(list) if !url => Some(match last_list {
                    Some((key, id)) if key == list => id,
                    _ => {
                        let id = key_iri(&mut out, &mut scratch, base, list);
                        last_list = Some((list, id));
                        id
                    }
                }),
                _ => None,
            });
        }
        Quads { iris, graphs, predicates: Default::default(), out, scratch }
    }

    fn add(&mut self, graph: Option<u32>, s: u32, p: NamedNodeRef<'static>, o: impl Object) {
        let text = p.as_str();
        let p = match self.predicates.entry((text.as_ptr() as usize, text.len())) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => *e.insert(self.out.iri(text)),
        };
        let o = o.id(&mut self.out);
        self.out.add(graph, s, p, o);
    }

    /// The number of the IRI of the node key `key`.
    fn named(&mut self, base: &BaseIri, key: &str) -> u32 {
        key_iri(&mut self.out, &mut self.scratch, base, key)
    }

    fn iri(&self, index: NodeIndex) -> u32 {
        self.iris[index.index()].expect("only URL nodes have no IRI of their own, and they are skipped")
    }

    /// The named graph a node's own triples go to.
    fn graph_of(&self, index: NodeIndex) -> Option<u32> {
        self.graphs[index.index()]
    }

    /// The number of the IRI of the list a section or an entry belongs to: its named graph,
    /// since their keys start with their list's key (walking the graph up to the list node
    /// was a third of a second of a million entries' numbering).
    fn list_of(&self, kg: &KnowledgeGraph, index: NodeIndex) -> Option<u32> {
        let list = self.graph_of(index);
        debug_assert_eq!(list, kg.list_of(index).map(|l| self.iri(l)), "{:?}", kg.node(index).key);
        list
    }
}

fn text(s: &str) -> LiteralRef<'_> {
    LiteralRef::new_simple_literal(s)
}

/// The quads of `kg`: each list's own triples in a named graph (the list's IRI), what lists
/// share in the default graph. Sorted, without duplicates.
pub fn quads(kg: &KnowledgeGraph, base: &BaseIri) -> Result<Dataset, Error> {
    Ok(unsorted_quads(kg, base)?.finish())
}

/// The quads of [`quads`], numbered but not yet sorted: whoever holds the graph can let it go
/// before [`DatasetBuilder::finish`] sorts them (a million entries' graph is ~1.5 GB).
pub fn unsorted_quads(kg: &KnowledgeGraph, base: &BaseIri) -> Result<DatasetBuilder, Error> {
    let mut q = Quads::new(kg, base);
    let media_scheme = q.named(base, MEDIA_TYPES_KEY);

    for (index, node) in kg.nodes() {
        if let NodeKind::Url { .. } = node.kind {
            continue; // a URL is described by the links that point to it
        }
        let s = q.iri(index);
        let g = q.graph_of(index);
        match &node.kind {
            NodeKind::List { title, source } => {
                q.add(g, s, rdf::TYPE, schema::ITEM_LIST);
                q.add(g, s, rdf::TYPE, skos::CONCEPT_SCHEME);
                q.add(g, s, schema::NAME, text(title));
                q.add(g, s, skos::PREF_LABEL, text(title));
                q.add(g, s, dcterms::SOURCE, text(source));
            }
            NodeKind::Section { name, line } => {
                q.add(g, s, rdf::TYPE, skos::CONCEPT);
                q.add(g, s, skos::PREF_LABEL, text(name));
                q.add(g, s, akg::LINE, Int(*line));
                if let Some(list) = q.list_of(kg, index) {
                    q.add(g, s, skos::IN_SCHEME, list);
                }
            }
            NodeKind::Entry { title, description, line, attributes } => {
                q.add(g, s, rdf::TYPE, schema::CREATIVE_WORK);
                q.add(g, s, schema::NAME, text(title));
                if let Some(d) = description {
                    q.add(g, s, schema::DESCRIPTION, text(d));
                }
                q.add(g, s, akg::LINE, Int(*line));
                if let Some(list) = q.list_of(kg, index) {
                    q.add(g, s, dcterms::IS_PART_OF, list);
                }
                let mut slugs = SlugSet::default();
                for (name, value) in attributes {
                    let p = q.named(base, &format!("{}/attribute/{}", node.key, slugs.unique(name, "attribute")));
                    q.add(g, s, schema::ADDITIONAL_PROPERTY, p);
                    q.add(g, p, rdf::TYPE, schema::PROPERTY_VALUE);
                    q.add(g, p, schema::NAME, text(name));
                    q.add(g, p, schema::VALUE, text(value));
                }
            }
            NodeKind::Link { label, .. } => q.add(g, s, schema::NAME, text(label)),
            NodeKind::MediaType(m) => {
                let (class, dcmi) = media_classes(*m);
                q.add(g, s, rdf::TYPE, skos::CONCEPT);
                q.add(g, s, skos::PREF_LABEL, text(m.label()));
                q.add(g, s, skos::IN_SCHEME, media_scheme);
                q.add(g, s, skos::TOP_CONCEPT_OF, media_scheme);
                q.add(g, s, skos::CLOSE_MATCH, class);
                if let Some(d) = dcmi {
                    q.add(g, s, skos::CLOSE_MATCH, d);
                }
                q.add(None, media_scheme, rdf::TYPE, skos::CONCEPT_SCHEME);
                q.add(None, media_scheme, skos::PREF_LABEL, text("Media types"));
                q.add(None, media_scheme, skos::HAS_TOP_CONCEPT, s);
            }
            NodeKind::Organization { name, wikidata } => {
                q.add(g, s, rdf::TYPE, schema::ORGANIZATION);
                q.add(g, s, schema::NAME, text(name));
                if let Some(id) = wikidata {
                    q.add(g, s, owl::SAME_AS, NamedNode::new_unchecked(format!("{}{id}", vocab::WIKIDATA)));
                }
            }
            NodeKind::Site { host } => {
                q.add(g, s, rdf::TYPE, schema::WEB_SITE);
                q.add(g, s, schema::NAME, text(host));
            }
            NodeKind::Url { .. } => unreachable!("skipped above"),
        }
    }

    for edge in kg.edge_indices() {
        let (from, to, kind) = kg.edge(edge);
        let s = q.iri(from);
        let g = q.graph_of(from);
        if let Edge::LinkToUrl = kind {
            if let NodeKind::Url { url } = &kg.node(to).kind {
                q.add(g, s, schema::URL, url_term(url));
            }
            continue;
        }
        let o = q.iri(to);
        match kind {
            Edge::SectionOfList => {
                q.add(g, s, skos::TOP_CONCEPT_OF, o);
                q.add(g, o, skos::HAS_TOP_CONCEPT, s);
            }
            Edge::SubsectionOf => q.add(g, s, skos::BROADER, o),
            Edge::EntryInSection => q.add(g, s, dcterms::SUBJECT, o),
            Edge::EntryInList | Edge::LinkToUrl => {} // dcterms:isPartOf is written for every entry above.
            Edge::EntryHasLink(position) => {
                q.add(g, s, akg::HAS_LINK, o);
                q.add(g, o, schema::POSITION, Int(position));
            }
            Edge::LinkMediaType => {
                if let NodeKind::MediaType(m) = kg.node(to).kind {
                    q.add(g, s, rdf::TYPE, media_classes(m).0);
                }
                q.add(g, s, dcterms::TYPE, o);
            }
            Edge::LinkOnSite => q.add(g, s, schema::IS_PART_OF, o),
            Edge::EntryMentionsOrganization => q.add(g, s, schema::MENTIONS, o),
            Edge::LinkPublishedByOrganization => q.add(g, s, schema::PUBLISHER, o),
        }
    }
    Ok(q.out)
}

/// The triples of `kg` (the quads without their graphs), sorted and without duplicates.
pub fn triples(kg: &KnowledgeGraph, base: &BaseIri) -> Result<Vec<Triple>, Error> {
    Ok(quads(kg, base)?.triples().map(Triple::from).collect())
}

/// The own vocabulary (`exports/vocab.ttl`): labels, comments, domains and ranges of `akg:` terms.
pub fn vocabulary_triples() -> Vec<Triple> {
    let mut out = Vec::new();
    let text = |s: &str| Term::from(Literal::new_language_tagged_literal_unchecked(s, "en"));
    let ont = vocab::AKG_ONTOLOGY;
    out.push(Triple::new(ont, rdf::TYPE, owl::ONTOLOGY));
    out.push(Triple::new(ont, rdfs::LABEL, text("awesome-kg vocabulary")));
    out.push(Triple::new(
        ont,
        rdfs::COMMENT,
        text("The few terms awesome-kg needs beyond schema.org, SKOS and Dublin Core to describe awesome lists as a knowledge graph."),
    ));
    let terms = [
        (
            akg::HAS_LINK,
            owl::OBJECT_PROPERTY,
            "has link",
            "A link listed by an entry of an awesome list, such as its Blog or Paper. The link has a schema:url, a schema:name (its label), a dcterms:type (its media type) and a schema:position (its order in the entry).",
            Some(schema::CREATIVE_WORK),
            None,
        ),
        (
            akg::LINE,
            owl::DATATYPE_PROPERTY,
            "source line",
            "The 1-based line of the Markdown source (the list's dcterms:source) where an entry or a section starts.",
            None,
            Some(xsd::INTEGER),
        ),
    ];
    for (term, kind, label, comment, domain, range) in terms {
        out.push(Triple::new(term, rdf::TYPE, kind));
        out.push(Triple::new(term, rdfs::LABEL, text(label)));
        out.push(Triple::new(term, rdfs::COMMENT, text(comment)));
        out.push(Triple::new(term, rdfs::IS_DEFINED_BY, ont));
        if let Some(domain) = domain {
            out.push(Triple::new(term, rdfs::DOMAIN, domain));
        }
        if let Some(range) = range {
            out.push(Triple::new(term, rdfs::RANGE, range));
        }
    }
    sort_triples(&mut out);
    out
}

/// An in-memory oxigraph store holding `dataset` (the pipeline no longer needs one; tests compare
/// its answers with ours).
pub fn load_store(dataset: &Dataset) -> Result<Store, Error> {
    let store_err =
        |e: &dyn std::fmt::Display| Error::Export { what: "in-memory store".to_owned(), message: e.to_string() };
    let store = Store::new().map_err(|e| store_err(&e))?;
    store.extend(dataset.quads()).map_err(|e| store_err(&e))?;
    Ok(store)
}
