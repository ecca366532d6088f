//! RDF terms used by awesome-kg, as constants: schema.org, SKOS, Dublin Core terms and types,
//! OWL, and the small own vocabulary (`akg:`) for what none of them has.

use oxigraph::model::NamedNodeRef;

/// The default base IRI of generated resources (override with `--base`).
pub const DEFAULT_BASE: &str = "https://w3id.org/awesome-kg/id/";
/// The namespace of awesome-kg's own terms; fixed, unlike the base.
pub const AKG: &str = "https://w3id.org/awesome-kg/vocab#";

/// Prefixes written in Turtle, TriG and RDF/XML output, and declared for SPARQL queries.
pub const PREFIXES: &[(&str, &str)] = &[
    ("akg", AKG),
    ("dcmitype", "http://purl.org/dc/dcmitype/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", "http://schema.org/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

macro_rules! terms {
    ($module:ident, $ns:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        pub mod $module {
            use oxigraph::model::NamedNodeRef;
            $(pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));)*
        }
    };
}

terms!(schema, "http://schema.org/", {
    ANSWER = "Answer",
    BLOG_POSTING = "BlogPosting",
    BOOK = "Book",
    COURSE = "Course",
    CREATIVE_WORK = "CreativeWork",
    DATASET = "Dataset",
    DIGITAL_DOCUMENT = "DigitalDocument",
    DISCUSSION_FORUM_POSTING = "DiscussionForumPosting",
    EVENT = "Event",
    ITEM_LIST = "ItemList",
    ORGANIZATION = "Organization",
    PODCAST_EPISODE = "PodcastEpisode",
    PRESENTATION_DIGITAL_DOCUMENT = "PresentationDigitalDocument",
    SCHOLARLY_ARTICLE = "ScholarlyArticle",
    SOFTWARE_SOURCE_CODE = "SoftwareSourceCode",
    VIDEO_OBJECT = "VideoObject",
    WEB_PAGE = "WebPage",
    WEB_SITE = "WebSite",
    PROPERTY_VALUE = "PropertyValue",
    ADDITIONAL_PROPERTY = "additionalProperty",
    DESCRIPTION = "description",
    IS_PART_OF = "isPartOf",
    MENTIONS = "mentions",
    NAME = "name",
    POSITION = "position",
    PUBLISHER = "publisher",
    URL = "url",
    VALUE = "value",
});

terms!(skos, "http://www.w3.org/2004/02/skos/core#", {
    BROADER = "broader",
    CLOSE_MATCH = "closeMatch",
    CONCEPT = "Concept",
    CONCEPT_SCHEME = "ConceptScheme",
    HAS_TOP_CONCEPT = "hasTopConcept",
    IN_SCHEME = "inScheme",
    PREF_LABEL = "prefLabel",
    TOP_CONCEPT_OF = "topConceptOf",
});

terms!(dcterms, "http://purl.org/dc/terms/", {
    IS_PART_OF = "isPartOf",
    SOURCE = "source",
    SUBJECT = "subject",
    TITLE = "title",
    TYPE = "type",
});

terms!(dcmitype, "http://purl.org/dc/dcmitype/", {
    DATASET = "Dataset",
    EVENT = "Event",
    INTERACTIVE_RESOURCE = "InteractiveResource",
    MOVING_IMAGE = "MovingImage",
    SOFTWARE = "Software",
    SOUND = "Sound",
    TEXT = "Text",
});

terms!(owl, "http://www.w3.org/2002/07/owl#", {
    ONTOLOGY = "Ontology",
    DATATYPE_PROPERTY = "DatatypeProperty",
    OBJECT_PROPERTY = "ObjectProperty",
    SAME_AS = "sameAs",
});

terms!(rdfs, "http://www.w3.org/2000/01/rdf-schema#", {
    COMMENT = "comment",
    DOMAIN = "domain",
    LABEL = "label",
    RANGE = "range",
    IS_DEFINED_BY = "isDefinedBy",
});

terms!(akg, "https://w3id.org/awesome-kg/vocab#", {
    HAS_LINK = "hasLink",
    LINE = "line",
});

/// The Wikidata entity namespace.
pub const WIKIDATA: &str = "http://www.wikidata.org/entity/";

/// The ontology IRI of the own vocabulary.
pub const AKG_ONTOLOGY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/awesome-kg/vocab");

terms!(sd, "http://www.w3.org/ns/sparql-service-description#", {
    SERVICE = "Service",
    ENDPOINT = "endpoint",
    SUPPORTED_LANGUAGE = "supportedLanguage",
    SPARQL11_QUERY = "SPARQL11Query",
    RESULT_FORMAT = "resultFormat",
    FEATURE = "feature",
    UNION_DEFAULT_GRAPH = "UnionDefaultGraph",
    DEFAULT_DATASET = "defaultDataset",
    DATASET = "Dataset",
    DEFAULT_GRAPH = "defaultGraph",
    NAMED_GRAPH = "namedGraph",
    NAMED_GRAPH_CLASS = "NamedGraph",
    NAME = "name",
    GRAPH = "graph",
    GRAPH_CLASS = "Graph",
});

terms!(void, "http://rdfs.org/ns/void#", {
    TRIPLES = "triples",
});

terms!(formats, "http://www.w3.org/ns/formats/", {
    SPARQL_RESULTS_JSON = "SPARQL_Results_JSON",
    SPARQL_RESULTS_XML = "SPARQL_Results_XML",
    SPARQL_RESULTS_CSV = "SPARQL_Results_CSV",
    SPARQL_RESULTS_TSV = "SPARQL_Results_TSV",
    TURTLE = "Turtle",
    N_TRIPLES = "N-Triples",
    RDF_XML = "RDF_XML",
    JSON_LD = "JSON-LD",
});
