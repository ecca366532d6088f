//! The knowledge graph: a typed petgraph graph built from one or more [`List`]s. Every node has a
//! stable `key` ("list/ml-in-production/entry/meson-…") that the exports turn into IRIs, CSV ids
//! and DOT ids, so the same entity has the same name everywhere.

use crate::model::{List, MediaType, Organization};
use crate::slug::SlugSet;
use keys::EntryKeys;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::hash::BuildHasher;

mod keys;

/// The key of the list a list-owned key belongs to: keys of lists and of what they own start
/// with `list/{slug}` ("list/ml-in-production/entry/…" → "list/ml-in-production"); shared
/// nodes (media types, organizations, sites, URLs) have none.
pub fn list_key(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("list/")?;
    let end = rest.find('/').map_or(key.len(), |i| "list/".len() + i);
    Some(&key[..end])
}

/// A node: its stable key and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub key: String,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    List {
        title: String,
        source: String,
    },
    Section {
        name: String,
        line: usize,
    },
    Entry {
        title: String,
        description: Option<String>,
        line: usize,
        attributes: Vec<(String, String)>,
    },
    Link {
        label: String,
        url: String,
    },
    /// A web address, shared by every link (in any list) that points to it.
    Url {
        url: String,
    },
    MediaType(MediaType),
    Organization {
        name: String,
        wikidata: Option<String>,
    },
    Site {
        host: String,
    },
}

impl NodeKind {
    /// The kind's name, as used in CSV and legends ("Entry").
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::List { .. } => "List",
            NodeKind::Section { .. } => "Section",
            NodeKind::Entry { .. } => "Entry",
            NodeKind::Link { .. } => "Link",
            NodeKind::Url { .. } => "Url",
            NodeKind::MediaType(_) => "MediaType",
            NodeKind::Organization { .. } => "Organization",
            NodeKind::Site { .. } => "Site",
        }
    }
}

impl Node {
    /// A short human label.
    pub fn label(&self) -> &str {
        match &self.kind {
            NodeKind::List { title, .. } => title,
            NodeKind::Section { name, .. } => name,
            NodeKind::Entry { title, .. } => title,
            NodeKind::Link { label, .. } => label,
            NodeKind::Url { url } => url,
            NodeKind::MediaType(m) => m.label(),
            NodeKind::Organization { name, .. } => name,
            NodeKind::Site { host } => host,
        }
    }
}

/// A directed, typed edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edge {
    /// Top-level section → its list.
    SectionOfList,
    /// Section → its parent section.
    SubsectionOf,
    /// Entry → its section.
    EntryInSection,
    /// Entry that precedes every heading → its list.
    EntryInList,
    /// Entry → one of its links, with the link's 1-based position.
    EntryHasLink(usize),
    /// Link → the web address it points to.
    LinkToUrl,
    LinkMediaType,
    LinkOnSite,
    EntryMentionsOrganization,
    LinkPublishedByOrganization,
}

impl Edge {
    /// The edge's name, as used in CSV and DOT ("entry-has-link").
    pub fn name(self) -> &'static str {
        match self {
            Edge::SectionOfList => "section-of-list",
            Edge::SubsectionOf => "subsection-of",
            Edge::EntryInSection => "entry-in-section",
            Edge::EntryInList => "entry-in-list",
            Edge::EntryHasLink(_) => "entry-has-link",
            Edge::LinkToUrl => "link-to-url",
            Edge::LinkMediaType => "link-media-type",
            Edge::LinkOnSite => "link-on-site",
            Edge::EntryMentionsOrganization => "entry-mentions-organization",
            Edge::LinkPublishedByOrganization => "link-published-by-organization",
        }
    }
}

/// The graph of one or more lists; organizations, media types and sites are shared.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: DiGraph<Node, Edge>,
    /// The nodes lists share (organizations, media types, sites, URLs) by key. A list's own
    /// nodes have keys made unique by their slugs and are never looked up.
    shared: SharedKeys,
}

/// Shared nodes found by their keys: a table of node indices hashed by key, each key stored once
/// (in its node) rather than again in a map.
#[derive(Clone, Default)]
struct SharedKeys {
    table: hashbrown::HashTable<NodeIndex>,
    state: foldhash::fast::RandomState,
    /// Where a key is made before it is looked up.
    scratch: String,
}

impl std::fmt::Debug for SharedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedKeys").field("len", &self.table.len()).finish()
    }
}

impl KnowledgeGraph {
    /// Builds the graph of `lists`; `organizations` supplies names and Wikidata ids.
    pub fn build(lists: &[List], organizations: &[Organization]) -> Self {
        Self::from_lists(lists.to_vec(), organizations)
    }

    /// [`KnowledgeGraph::build`], taking the lists: their text moves into the nodes instead of
    /// being copied, and each list is freed once it is in the graph.
    pub fn from_lists(mut lists: Vec<List>, organizations: &[Organization]) -> Self {
        // Room for as many nodes and edges as the lists can make (shared nodes at most one per
        // link or mention, and a few media types): growing the graph copies it whole, and room
        // never used is address space, not memory.
        let (mut nodes, mut edges, mut links) = (MediaType::ALL.len(), 0, 0);
        for list in &lists {
            let list_links: usize = list.entries.iter().map(|e| e.links.len()).sum();
            let mentions: usize = list.entries.iter().map(|e| e.mentions.len()).sum();
            // The list, its sections and entries; per link its node, a URL, a site and a publisher.
            nodes += 1 + list.sections.len() + list.entries.len() + 4 * list_links + mentions;
            edges += list.sections.len() + list.entries.len() + mentions + 5 * list_links;
            links += list_links;
        }
        let mut kg = KnowledgeGraph {
            graph: DiGraph::with_capacity(nodes, edges),
            shared: SharedKeys {
                table: hashbrown::HashTable::with_capacity(links),
                state: Default::default(),
                scratch: String::new(),
            },
        };
        let mut list_slugs = SlugSet::default();
        let list_keys: Vec<String> =
            lists.iter().map(|l| format!("list/{}", list_slugs.unique(&l.id, "list"))).collect();
        std::thread::scope(|scope| {
            let mut entry_keys = EntryKeys::start(scope, &mut lists, &list_keys);
            for (list, list_key) in lists.into_iter().zip(&list_keys) {
                kg.add_list(list, list_key, &mut entry_keys, organizations);
            }
        });
        kg
    }

    /// Adds `list`, whose key is `list_key`; its entries' titles and keys come from `entry_keys`.
    fn add_list(&mut self, list: List, list_key: &str, entry_keys: &mut EntryKeys, organizations: &[Organization]) {
        let List { title, source, sections: list_sections, entries, .. } = list;
        let list_node = self.add(list_key.to_owned(), NodeKind::List { title, source });

        let mut section_slugs = SlugSet::default();
        let parents: Vec<Option<usize>> = list_sections.iter().map(|s| s.parent).collect();
        let sections: Vec<NodeIndex> = list_sections
            .into_iter()
            .map(|s| {
                let key = format!("{list_key}/section/{}", section_slugs.unique(&s.name, "section"));
                self.add(key, NodeKind::Section { name: s.name, line: s.line })
            })
            .collect();
        for (parent, &node) in parents.iter().zip(&sections) {
            match *parent {
                Some(p) => self.graph.add_edge(node, sections[p], Edge::SubsectionOf),
                None => self.graph.add_edge(node, list_node, Edge::SectionOfList),
            };
        }

        for entry in entries {
            let (title, entry_key) = entry_keys.next();
            let node = self.add(
                entry_key,
                NodeKind::Entry {
                    title,
                    description: entry.description,
                    line: entry.line,
                    attributes: entry.attributes,
                },
            );
            match entry.section {
                Some(s) => self.graph.add_edge(node, sections[s], Edge::EntryInSection),
                None => self.graph.add_edge(node, list_node, Edge::EntryInList),
            };
            for org_id in &entry.mentions {
                let org = self.organization(org_id, organizations);
                self.graph.add_edge(node, org, Edge::EntryMentionsOrganization);
            }
            for (i, link) in entry.links.into_iter().enumerate() {
                let position = i + 1;
                let link_node =
                    self.add(entry_keys.link(), NodeKind::Link { label: link.label, url: link.url.clone() });
                self.graph.add_edge(node, link_node, Edge::EntryHasLink(position));
                let url = self.add_shared("url/", &link.url, || NodeKind::Url { url: link.url.clone() });
                self.graph.add_edge(link_node, url, Edge::LinkToUrl);
                let media =
                    self.add_shared("media-type/", link.media_type.slug(), || NodeKind::MediaType(link.media_type));
                self.graph.add_edge(link_node, media, Edge::LinkMediaType);
                let site = self.add_shared("site/", &link.site, || NodeKind::Site { host: link.site.clone() });
                self.graph.add_edge(link_node, site, Edge::LinkOnSite);
                if let Some(org_id) = &link.publisher {
                    let org = self.organization(org_id, organizations);
                    self.graph.add_edge(link_node, org, Edge::LinkPublishedByOrganization);
                }
            }
        }
    }

    fn organization(&mut self, id: &str, organizations: &[Organization]) -> NodeIndex {
        self.add_shared("organization/", id, || {
            let org = organizations.iter().find(|o| o.id == id);
            NodeKind::Organization {
                name: org.map_or_else(|| id.to_owned(), |o| o.name.clone()),
                wikidata: org.and_then(|o| o.wikidata.clone()),
            }
        })
    }

    /// Adds a node of a list's own, whose key is unique by construction.
    fn add(&mut self, key: String, kind: NodeKind) -> NodeIndex {
        self.graph.add_node(Node { key, kind })
    }

    /// The node with key `prefix` + `id`, shared by every list, added if new. The key is made
    /// in a buffer kept for it and copied only for a new node (most links find theirs).
    fn add_shared(&mut self, prefix: &str, id: &str, kind: impl FnOnce() -> NodeKind) -> NodeIndex {
        let SharedKeys { table, state, scratch } = &mut self.shared;
        scratch.clear();
        scratch.push_str(prefix);
        scratch.push_str(id);
        let hash = state.hash_one(scratch.as_str());
        if let Some(&index) = table.find(hash, |&i| self.graph[i].key == *scratch) {
            return index;
        }
        let index = self.graph.add_node(Node { key: scratch.clone(), kind: kind() });
        let graph = &self.graph;
        table.insert_unique(hash, index, |&i| state.hash_one(graph[i].key.as_str()));
        index
    }

    /// All nodes, in insertion order (lists, then their sections and entries in document order).
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        self.graph.node_indices().map(|i| (i, &self.graph[i]))
    }

    /// All edges as (source, target, kind), in insertion order.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, Edge)> {
        self.graph.edge_references().map(|e| (&self.graph[e.source()], &self.graph[e.target()], *e.weight()))
    }

    /// Every edge's index, in insertion order.
    pub fn edge_indices(&self) -> impl Iterator<Item = petgraph::graph::EdgeIndex> {
        self.graph.edge_indices()
    }

    /// An edge's source, target and kind.
    pub fn edge(&self, edge: petgraph::graph::EdgeIndex) -> (NodeIndex, NodeIndex, Edge) {
        let (from, to) = self.graph.edge_endpoints(edge).expect("edge index from this graph");
        (from, to, self.graph[edge])
    }

    pub fn node(&self, index: NodeIndex) -> &Node {
        &self.graph[index]
    }

    /// Targets of the outgoing edges of `index` that match `pred`, in insertion order.
    pub fn targets(&self, index: NodeIndex, pred: impl Fn(Edge) -> bool) -> Vec<NodeIndex> {
        self.neighbors(index, Direction::Outgoing, pred)
    }

    /// Sources of the incoming edges of `index` that match `pred`, in insertion order.
    pub fn sources(&self, index: NodeIndex, pred: impl Fn(Edge) -> bool) -> Vec<NodeIndex> {
        self.neighbors(index, Direction::Incoming, pred)
    }

    /// The other ends of the edges of `index` in `direction` that match `pred`, in the edges'
    /// insertion order.
    fn neighbors(&self, index: NodeIndex, direction: Direction, pred: impl Fn(Edge) -> bool) -> Vec<NodeIndex> {
        let mut out: Vec<(usize, NodeIndex)> = self
            .graph
            .edges_directed(index, direction)
            .filter(|e| pred(*e.weight()))
            .map(|e| (e.id().index(), if direction == Direction::Outgoing { e.target() } else { e.source() }))
            .collect();
        out.sort();
        out.into_iter().map(|(_, n)| n).collect()
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Number of nodes of the kind named `kind` ("Entry").
    pub fn count(&self, kind: &str) -> usize {
        self.graph.node_weights().filter(|n| n.kind.name() == kind).count()
    }
}

impl KnowledgeGraph {
    /// The list node that an entry or section belongs to.
    pub fn list_of(&self, mut index: NodeIndex) -> Option<NodeIndex> {
        // Each step follows the one structural edge up; sections nest finitely, so this ends.
        for _ in 0..=self.graph.node_count() {
            if matches!(self.graph[index].kind, NodeKind::List { .. }) {
                return Some(index);
            }
            index = *self
                .targets(index, |e| {
                    matches!(e, Edge::SectionOfList | Edge::SubsectionOf | Edge::EntryInSection | Edge::EntryInList)
                })
                .first()?;
        }
        None
    }
}
