//! The graph as RDF: schema.org, SKOS and Dublin Core terms (see [`crate::vocab`]), IRIs made
//! from each node's stable key under a base IRI, loaded into an in-memory oxigraph [`Store`].

use crate::error::Error;
use crate::graph::{Edge, KnowledgeGraph, NodeKind};
use crate::model::MediaType;
use crate::vocab::{self, akg, dcmitype, dcterms, owl, rdfs, schema, skos};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, QuadRef, Term, Triple};
use oxigraph::store::Store;

/// A validated base IRI ending in `/` or `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseIri(String);

impl BaseIri {
    pub fn new(iri: &str) -> Result<Self, Error> {
        let bad = |message: &str| Error::Iri {
            iri: iri.to_owned(),
            message: message.to_owned(),
        };
        NamedNode::new(iri).map_err(|e| bad(&e.to_string()))?;
        if !iri.ends_with('/') && !iri.ends_with('#') {
            return Err(bad("a base IRI must end with '/' or '#'"));
        }
        Ok(BaseIri(iri.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The IRI of a node key.
    pub fn iri(&self, key: &str) -> Result<NamedNode, Error> {
        let iri = format!("{}{key}", self.0);
        NamedNode::new(&iri).map_err(|e| Error::Iri {
            iri,
            message: e.to_string(),
        })
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

/// The triples of `kg`, sorted and without duplicates.
pub fn triples(kg: &KnowledgeGraph, base: &BaseIri) -> Result<Vec<Triple>, Error> {
    let mut out = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| out.push(Triple::new(s.clone(), p, o));
    let text = |s: &str| Term::from(Literal::new_simple_literal(s));
    let int = |n: usize| Term::from(Literal::new_typed_literal(n.to_string(), xsd::INTEGER));
    let media_scheme = base.iri(MEDIA_TYPES_KEY)?;

    for (index, node) in kg.nodes() {
        let s = base.iri(&node.key)?;
        match &node.kind {
            NodeKind::List { title, source } => {
                add(&s, rdf::TYPE, schema::ITEM_LIST.into());
                add(&s, rdf::TYPE, skos::CONCEPT_SCHEME.into());
                add(&s, schema::NAME, text(title));
                add(&s, skos::PREF_LABEL, text(title));
                add(&s, dcterms::SOURCE, text(source));
            }
            NodeKind::Section { name, line } => {
                add(&s, rdf::TYPE, skos::CONCEPT.into());
                add(&s, skos::PREF_LABEL, text(name));
                add(&s, akg::LINE, int(*line));
                if let Some(list) = kg.list_of(index) {
                    let list = base.iri(&kg.node(list).key)?;
                    add(&s, skos::IN_SCHEME, list.clone().into());
                }
            }
            NodeKind::Entry {
                title,
                description,
                line,
            } => {
                add(&s, rdf::TYPE, schema::CREATIVE_WORK.into());
                add(&s, schema::NAME, text(title));
                if let Some(d) = description {
                    add(&s, schema::DESCRIPTION, text(d));
                }
                add(&s, akg::LINE, int(*line));
                if let Some(list) = kg.list_of(index) {
                    add(&s, dcterms::IS_PART_OF, base.iri(&kg.node(list).key)?.into());
                }
            }
            NodeKind::Link { label, url } => {
                add(&s, schema::NAME, text(label));
                add(&s, schema::URL, url_term(url));
            }
            NodeKind::MediaType(m) => {
                let (class, dcmi) = media_classes(*m);
                add(&s, rdf::TYPE, skos::CONCEPT.into());
                add(&s, skos::PREF_LABEL, text(m.label()));
                add(&s, skos::IN_SCHEME, media_scheme.clone().into());
                add(&s, skos::TOP_CONCEPT_OF, media_scheme.clone().into());
                add(&s, skos::CLOSE_MATCH, class.into());
                if let Some(d) = dcmi {
                    add(&s, skos::CLOSE_MATCH, d.into());
                }
                add(&media_scheme, rdf::TYPE, skos::CONCEPT_SCHEME.into());
                add(&media_scheme, skos::PREF_LABEL, text("Media types"));
                add(&media_scheme, skos::HAS_TOP_CONCEPT, s.clone().into());
            }
            NodeKind::Organization { name, wikidata } => {
                add(&s, rdf::TYPE, schema::ORGANIZATION.into());
                add(&s, schema::NAME, text(name));
                if let Some(q) = wikidata {
                    add(
                        &s,
                        owl::SAME_AS,
                        NamedNode::new_unchecked(format!("{}{q}", vocab::WIKIDATA)).into(),
                    );
                }
            }
            NodeKind::Site { host } => {
                add(&s, rdf::TYPE, schema::WEB_SITE.into());
                add(&s, schema::NAME, text(host));
            }
        }
    }

    for (from, to, edge) in kg.edges() {
        let s = base.iri(&from.key)?;
        let o: Term = base.iri(&to.key)?.into();
        match edge {
            Edge::SectionOfList => {
                add(&s, skos::TOP_CONCEPT_OF, o.clone());
                if let Term::NamedNode(list) = &o {
                    add(list, skos::HAS_TOP_CONCEPT, s.clone().into());
                }
            }
            Edge::SubsectionOf => add(&s, skos::BROADER, o),
            Edge::EntryInSection => add(&s, dcterms::SUBJECT, o),
            Edge::EntryInList => {} // dcterms:isPartOf is written for every entry above.
            Edge::EntryHasLink(position) => {
                add(&s, akg::HAS_LINK, o.clone());
                if let Term::NamedNode(link) = &o {
                    add(link, schema::POSITION, int(position));
                }
            }
            Edge::LinkMediaType => {
                if let NodeKind::MediaType(m) = to.kind {
                    let (class, _) = media_classes(m);
                    add(&s, rdf::TYPE, class.into());
                }
                add(&s, dcterms::TYPE, o);
            }
            Edge::LinkOnSite => add(&s, schema::IS_PART_OF, o),
            Edge::EntryMentionsOrganization => add(&s, schema::MENTIONS, o),
            Edge::LinkPublishedByOrganization => add(&s, schema::PUBLISHER, o),
        }
    }
    sort_triples(&mut out);
    Ok(out)
}

/// Sorts triples by subject, then `rdf:type` first, then predicate and object, and drops
/// duplicates: the order of every RDF export.
pub fn sort_triples(triples: &mut Vec<Triple>) {
    let mut keyed: Vec<((String, bool, String, String), Triple)> = triples
        .drain(..)
        .map(|t| {
            let subject = match &t.subject {
                NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
                other => other.to_string(),
            };
            let object = match &t.object {
                Term::NamedNode(n) => n.as_str().to_owned(),
                other => other.to_string(),
            };
            let key = (
                subject,
                t.predicate != rdf::TYPE,
                t.predicate.as_str().to_owned(),
                object,
            );
            (key, t)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    triples.extend(keyed.into_iter().map(|(_, t)| t));
}

/// A URL as an IRI (characters that IRIs forbid percent-encoded), or an `xsd:anyURI` literal
/// when even that is not an IRI.
pub fn url_term(url: &str) -> Term {
    let mut iri = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}') {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                iri.push_str(&format!("%{b:02X}"));
            }
        } else {
            iri.push(c);
        }
    }
    match NamedNode::new(iri) {
        Ok(n) => n.into(),
        Err(_) => Literal::new_typed_literal(url, xsd::ANY_URI).into(),
    }
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

/// An in-memory store holding `triples` in the default graph.
pub fn load_store(triples: &[Triple]) -> Result<Store, Error> {
    let store_err = |e: &dyn std::fmt::Display| Error::Export {
        what: "in-memory store".to_owned(),
        message: e.to_string(),
    };
    let store = Store::new().map_err(|e| store_err(&e))?;
    store
        .extend(
            triples
                .iter()
                .map(|t| QuadRef::new(&t.subject, &t.predicate, &t.object, GraphNameRef::DefaultGraph)),
        )
        .map_err(|e| store_err(&e))?;
    Ok(store)
}
