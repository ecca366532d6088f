//! The typed model of one awesome list: the list, its section tree, its entries and their links,
//! each link classified by media type, site and publisher, each entry by the organizations it
//! mentions. Built by [`crate::extract`]; read by [`crate::graph`].

use std::fmt;

/// One Markdown list turned into entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// Stable identifier of the list, from the file stem ("ml-in-production").
    pub id: String,
    /// The list's title: its first H1, else the file stem.
    pub title: String,
    /// The source file as the user named it.
    pub source: String,
    /// Sections in document order; a section's parent always comes before it.
    pub sections: Vec<Section>,
    /// Entries in document order.
    pub entries: Vec<Entry>,
}

/// A heading under the title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The full heading text.
    pub name: String,
    /// Markdown heading level (2 for `##`).
    pub level: u8,
    /// Index into [`List::sections`] of the enclosing section.
    pub parent: Option<usize>,
    /// 1-based source line of the heading.
    pub line: usize,
}

/// A list item with at least one http(s) link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub title: String,
    pub description: Option<String>,
    /// Index into [`List::sections`]; `None` for items before the first section.
    pub section: Option<usize>,
    /// 1-based source line of the item.
    pub line: usize,
    pub links: Vec<Link>,
    /// Ids of the organizations the title or description names, sorted, no duplicates.
    pub mentions: Vec<String>,
    /// Typed attributes from table columns ("License", "MIT"), in column order.
    pub attributes: Vec<(String, String)>,
}

/// One http(s) link of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link text as written ("Blog", "Part 1", or the entry's name).
    pub label: String,
    pub url: String,
    pub media_type: MediaType,
    /// Host, lower-cased, without `www.`.
    pub site: String,
    /// Id of the organization whose domain serves this link.
    pub publisher: Option<String>,
}

/// What kind of resource a link points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaType {
    Answer,
    Blog,
    Book,
    Course,
    Dataset,
    Discussion,
    Document,
    Paper,
    Podcast,
    Repository,
    Slides,
    Talk,
    Video,
    Website,
}

impl MediaType {
    pub const ALL: [MediaType; 14] = [
        MediaType::Answer,
        MediaType::Blog,
        MediaType::Book,
        MediaType::Course,
        MediaType::Dataset,
        MediaType::Discussion,
        MediaType::Document,
        MediaType::Paper,
        MediaType::Podcast,
        MediaType::Repository,
        MediaType::Slides,
        MediaType::Talk,
        MediaType::Video,
        MediaType::Website,
    ];

    /// Human label, also the SKOS preferred label ("Blog").
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Answer => "Answer",
            MediaType::Blog => "Blog",
            MediaType::Book => "Book",
            MediaType::Course => "Course",
            MediaType::Dataset => "Dataset",
            MediaType::Discussion => "Discussion",
            MediaType::Document => "Document",
            MediaType::Paper => "Paper",
            MediaType::Podcast => "Podcast",
            MediaType::Repository => "Repository",
            MediaType::Slides => "Slides",
            MediaType::Talk => "Talk",
            MediaType::Video => "Video",
            MediaType::Website => "Website",
        }
    }

    /// Lower-case slug used in IRIs and node ids ("blog").
    pub fn slug(self) -> &'static str {
        match self {
            MediaType::Answer => "answer",
            MediaType::Blog => "blog",
            MediaType::Book => "book",
            MediaType::Course => "course",
            MediaType::Dataset => "dataset",
            MediaType::Discussion => "discussion",
            MediaType::Document => "document",
            MediaType::Paper => "paper",
            MediaType::Podcast => "podcast",
            MediaType::Repository => "repository",
            MediaType::Slides => "slides",
            MediaType::Talk => "talk",
            MediaType::Video => "video",
            MediaType::Website => "website",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An organization from the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Short stable id ("uber").
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Wikidata item id ("Q693607").
    pub wikidata: Option<String>,
    /// Hosts (`uber.com`) or host + path prefixes (`medium.com/netflix-techblog`) it publishes on.
    pub domains: Vec<String>,
}

impl List {
    /// Number of links over all entries.
    pub fn link_count(&self) -> usize {
        self.entries.iter().map(|e| e.links.len()).sum()
    }
}
