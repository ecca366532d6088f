//! The organization gazetteer: who is mentioned by name, who publishes on which domain.

use super::url::host_within;
use crate::error::Error;
use crate::hash::HashMap;
use crate::model::Organization;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Deserialize;

/// The gazetteer shipped with awesome-kg (`data/organizations.csv`).
pub const BUNDLED_CSV: &str = include_str!("../../data/organizations.csv");

/// Sites that host anyone's pages: a link there is attributed to an organization only through
/// a host + path entry such as `medium.com/netflix-techblog`, never through the host alone.
/// A leading dot means "any subdomain".
const HOSTING_SITES: &[&str] = &[
    "medium.com",
    "github.com",
    ".github.io",
    "gitlab.com",
    ".gitlab.io",
    "gist.github.com",
    "raw.githubusercontent.com",
    "sites.google.com",
    "docs.google.com",
    "drive.google.com",
    "colab.research.google.com",
    "groups.google.com",
    "play.google.com",
    "storage.googleapis.com",
    ".googleusercontent.com",
    "youtube.com",
    "m.youtube.com",
    "youtu.be",
    ".blogspot.com",
    ".wordpress.com",
    ".substack.com",
    "slideshare.net",
    "speakerdeck.com",
    "linkedin.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "apps.apple.com",
    "itunes.apple.com",
    "podcasts.apple.com",
    "s3.amazonaws.com",
    ".s3.amazonaws.com",
    ".cloudfront.net",
    ".azurewebsites.net",
    ".herokuapp.com",
    ".netlify.app",
    ".vercel.app",
    ".readthedocs.io",
];

/// Organizations with their names, aliases and domains.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    orgs: Vec<Organization>,
    /// Every name and alias, found in one pass over a text.
    names: AhoCorasick,
    /// The organization (index into `orgs`) of each pattern of `names`.
    name_orgs: Vec<usize>,
    /// The (organization, domain) indexes of each domain's host: a link's host and its parent
    /// domains are looked up here instead of trying every domain of every organization.
    by_host: HashMap<String, Vec<(usize, usize)>>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    name: String,
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    wikidata: String,
    #[serde(default)]
    domains: String,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl Gazetteer {
    /// The bundled gazetteer.
    pub fn bundled() -> Self {
        Self::from_csv("data/organizations.csv", BUNDLED_CSV).expect("the bundled gazetteer is valid")
    }

    /// Reads `id,name,aliases,wikidata,domains` rows; `path` names the file in errors.
    pub fn from_csv(path: &str, text: &str) -> Result<Self, Error> {
        let bad = |line: u64, message: String| Error::Gazetteer { path: path.to_owned(), line, message };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let mut orgs: Vec<Organization> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let row: Row = record.deserialize(Some(&headers)).map_err(|e| bad(line, e.to_string()))?;
            let id = row.id.trim().to_owned();
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                return Err(bad(line, format!("id {id:?} must be lower-case letters, digits and '-'")));
            }
            if orgs.iter().any(|o| o.id == id) {
                return Err(bad(line, format!("duplicate id {id:?}")));
            }
            let name = row.name.trim().to_owned();
            if name.is_empty() {
                return Err(bad(line, format!("organization {id:?} has no name")));
            }
            let wikidata = row.wikidata.trim();
            let wikidata = if wikidata.is_empty() {
                None
            } else if wikidata.len() > 1
                && wikidata.starts_with('Q')
                && wikidata[1..].bytes().all(|b| b.is_ascii_digit())
            {
                Some(wikidata.to_owned())
            } else {
                return Err(bad(line, format!("wikidata {wikidata:?} is not an item id such as Q95")));
            };
            let domains = split_list(&row.domains.to_ascii_lowercase());
            orgs.push(Organization { id, name, aliases: split_list(&row.aliases), wikidata, domains });
        }
        let (patterns, name_orgs): (Vec<&str>, Vec<usize>) = orgs
            .iter()
            .enumerate()
            .flat_map(|(i, o)| std::iter::once(&o.name).chain(&o.aliases).map(move |n| (n.as_str(), i)))
            .unzip();
        // A DFA: a few hundred short names make a small one, and it searches every entry's title
        // and description faster than the default automaton.
        let names = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| bad(0, format!("names too large to search for: {e}")))?;
        let mut by_host: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        for (o, org) in orgs.iter().enumerate() {
            for (d, domain) in org.domains.iter().enumerate() {
                let host = domain.split_once('/').map_or(domain.as_str(), |(h, _)| h);
                by_host.entry(host.to_owned()).or_default().push((o, d));
            }
        }
        Ok(Gazetteer { orgs, names, name_orgs, by_host })
    }

    pub fn organizations(&self) -> &[Organization] {
        &self.orgs
    }

    /// Ids of the organizations whose name or an alias occurs in `text` as whole words, sorted.
    pub fn mentions(&self, text: &str) -> Vec<String> {
        // Every occurrence of every name (overlapping: "Googleplex Google" must reach the
        // second one), kept where it stands as whole words.
        let mut found: Vec<usize> = self
            .names
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.start(), m.end()))
            .map(|m| self.name_orgs[m.pattern().as_usize()])
            .collect();
        found.sort_unstable();
        found.dedup();
        let mut ids: Vec<String> = found.into_iter().map(|i| self.orgs[i].id.clone()).collect();
        ids.sort();
        ids
    }

    /// The organization whose listed domain serves `host` + `path`, the most specific first.
    /// A domain with a path matches on any host; a bare domain not on a hosting site (whose
    /// users are not the site's owner). The longest domain wins; between equally long ones,
    /// the first in the gazetteer.
    pub fn publisher(&self, host: &str, path: &str) -> Option<&Organization> {
        // Asked only when a bare domain matches: most hosts are no organization's.
        let hosting = std::cell::OnceCell::new();
        let hosting = || *hosting.get_or_init(|| is_hosting_site(host));
        // (domain length, organization, domain) of the best match so far.
        let mut best: Option<(usize, usize, usize)> = None;
        // The host, then each parent domain: the hosts `host_within` accepts.
        let mut within = Some(host);
        while let Some(h) = within {
            for &(o, d) in self.by_host.get(h).into_iter().flatten() {
                let domain = &self.orgs[o].domains[d];
                let matched = match domain.split_once('/') {
                    Some((_, prefix)) => path_has_prefix(path, prefix.trim_end_matches('/')),
                    None => !hosting(),
                };
                let better = |(len, bo, bd): (usize, usize, usize)| {
                    domain.len() > len || (domain.len() == len && (o, d) < (bo, bd))
                };
                if matched && best.is_none_or(better) {
                    best = Some((domain.len(), o, d));
                }
            }
            within = h.split_once('.').map(|(_, parent)| parent);
        }
        best.map(|(_, o, _)| &self.orgs[o])
    }
}

fn is_hosting_site(host: &str) -> bool {
    HOSTING_SITES.iter().any(|h| match h.strip_prefix('.') {
        Some(suffix) => host_within(host, suffix) && host != suffix,
        None => host == *h,
    })
}

/// `path` ("/netflix-techblog/meson…") starts with the segment(s) `prefix` ("netflix-techblog").
fn path_has_prefix(path: &str, prefix: &str) -> bool {
    let path = path.trim_start_matches('/').as_bytes();
    path.len() >= prefix.len()
        && path[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        && path.get(prefix.len()).is_none_or(|&b| b == b'/')
}

/// Whether `needle` occurs in `haystack` with no letter, digit or joining mark on either side.
/// "Uber’s", "(by Google)" and "Airbnb's" match; "Googleplex" and "reuber" do not.
pub fn contains_word(haystack: &str, needle: &str) -> bool {
    !needle.is_empty() && haystack.match_indices(needle).any(|(i, _)| is_whole_word(haystack, i, i + needle.len()))
}

/// Whether `haystack[start..end]` stands as whole words (see [`contains_word`]).
fn is_whole_word(haystack: &str, start: usize, end: usize) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let before = haystack[..start].chars().next_back();
    let after = haystack[end..].chars().next();
    !before.is_some_and(|c| is_word(c) || c == '-' || c == '/' || c == '.' || c == '@')
        && !after.is_some_and(|c| is_word(c) || c == '-' && haystack[end + 1..].starts_with(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_and_possessives() {
        assert!(contains_word("Michelangelo: Uber’s Machine Learning Platform", "Uber"));
        assert!(contains_word("Airbnb's End-to-End", "Airbnb"));
        assert!(contains_word("Platform (by Google)", "Google"));
        assert!(!contains_word("Googleplex", "Google"));
        assert!(!contains_word("Meta-Learning in practice", "Meta"));
        assert!(!contains_word("see blog.google/x", "Google"));
        assert!(contains_word("Uber", "Uber"));
    }

    #[test]
    fn publishers_respect_hosting_sites() {
        let g = Gazetteer::bundled();
        let id = |h: &str, p: &str| g.publisher(h, p).map(|o| o.id.as_str());
        assert_eq!(id("eng.uber.com", "/michelangelo/"), Some("uber"));
        assert_eq!(id("medium.com", "/netflix-techblog/meson"), Some("netflix"));
        assert_eq!(id("medium.com", "/netflix-techblogger/x"), None);
        assert_eq!(id("medium.com", "/someone/x"), None);
        // Regression: a multi-byte character where the prefix ends must not panic.
        assert_eq!(id("medium.com", "/netflix-techblo\u{114d2}"), None);
        assert_eq!(id("sites.google.com", "/site/x"), None);
        assert_eq!(id("research.google.com", "/pubs"), Some("google"));
    }

    #[test]
    fn bad_rows_name_the_line() {
        let err =
            Gazetteer::from_csv("o.csv", "id,name,aliases,wikidata,domains\nx,X,,Q1,\nBad Id,Y,,,\n").unwrap_err();
        assert_eq!(err.to_string(), "o.csv:3: id \"Bad Id\" must be lower-case letters, digits and '-'");
        let err = Gazetteer::from_csv("o.csv", "id,name,aliases,wikidata,domains\nx,X,,wd:1,\n").unwrap_err();
        assert!(err.to_string().starts_with("o.csv:2: wikidata"), "{err}");
    }

    /// The plain search `publisher` replaced: every domain of every organization.
    fn publisher_by_scan<'a>(g: &'a Gazetteer, host: &str, path: &str) -> Option<&'a Organization> {
        let hosting = is_hosting_site(host);
        let mut best: Option<(&Organization, usize)> = None;
        for org in &g.orgs {
            for domain in &org.domains {
                let (dhost, dpath) = match domain.split_once('/') {
                    Some((h, p)) => (h, Some(p.trim_end_matches('/'))),
                    None => (domain.as_str(), None),
                };
                let matched = match dpath {
                    Some(prefix) => host_within(host, dhost) && path_has_prefix(path, prefix),
                    None => !hosting && host_within(host, dhost),
                };
                if matched && best.is_none_or(|(_, len)| domain.len() > len) {
                    best = Some((org, domain.len()));
                }
            }
        }
        best.map(|(o, _)| o)
    }

    proptest::proptest! {
        /// Hosts made of the gazetteer's own domains (under subdomains, as parents, on hosting
        /// sites) and paths with and without the domains' path prefixes.
        #[test]
        fn publisher_equals_the_plain_search(
            pick in 0usize..1000,
            sub in proptest::option::of("[a-z]{1,6}"),
            parent in proptest::bool::ANY,
            other in "[a-z]{1,8}\\.(com|io|org)",
            path in proptest::option::of("[a-z/-]{0,12}"),
        ) {
            let g = Gazetteer::bundled();
            let domains: Vec<&String> = g.orgs.iter().flat_map(|o| &o.domains).collect();
            let domain = domains[pick % domains.len()];
            let (dhost, dpath) = domain.split_once('/').unwrap_or((domain.as_str(), ""));
            let mut host = if pick % 7 == 0 { other } else { dhost.to_owned() };
            if parent {
                host = host.split_once('.').map_or(host.clone(), |(_, p)| p.to_owned());
            }
            if let Some(sub) = sub {
                host = format!("{sub}.{host}");
            }
            let path = path.unwrap_or_else(|| format!("/{dpath}/post"));
            let got = g.publisher(&host, &path).map(|o| &o.id);
            let expected = publisher_by_scan(&g, &host, &path).map(|o| &o.id);
            proptest::prop_assert_eq!(got, expected, "host {} path {}", host, path);
        }
    }
}
