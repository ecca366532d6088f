//! One item → one entry: title, description, links and typed attributes, following the seed's
//! style (`Title - description - [Blog](…)`), the awesome-list style (`[Name](url) - text`) and
//! GFM table rows.

use super::media;
use super::url::{
    ends_with_ignore_case, host_and_path, split, starts_with_ignore_case, strip_prefix_ignore_case, valid_host,
};
use super::Gazetteer;
use crate::model::{Entry, Link};
use crate::parse::{strip_shortcodes, text_of, Segment};

/// Separators between title, description and links in the seed's style.
const DASHES: [&str; 3] = [" - ", " – ", " — "];

/// Hosts whose images are badges (a link to the site's home page is still a resource).
const BADGE_HOSTS: &[&str] = &["img.shields.io", "badgen.net", "badge.fury.io", "forthebadge.com"];

/// Whether a link is a resource of an entry: http(s), not a badge or a bare image.
pub fn is_resource(url: &str, image_only: bool) -> bool {
    if image_only {
        return false;
    }
    // Decided on the URL as written, without lower-casing a copy (this runs several times
    // per link): an ASCII host compares without regard to case, any other is lower-cased.
    let Some((host, path)) = split(url) else { return false };
    let lowered;
    let host = if host.is_ascii() {
        let host = strip_prefix_ignore_case(host, "www.").unwrap_or(host);
        if !valid_host(host) {
            return false;
        }
        host
    } else {
        let Some((host, _)) = host_and_path(url) else { return false };
        lowered = host;
        &lowered
    };
    let within = |domain: &str| host_within_ignore_case(host, domain);
    let badge_image = BADGE_HOSTS.iter().any(|b| within(b)) && path.len() > 1
        || within("shields.io") && starts_with_ignore_case(path, "/badge")
        || contains_ignore_case(path, "badge")
            && (ends_with_ignore_case(path, ".svg") || ends_with_ignore_case(path, ".png"));
    !badge_image
}

/// `host_within` for an ASCII-lower-case `domain` and a host of any case.
fn host_within_ignore_case(host: &str, domain: &str) -> bool {
    host.len() >= domain.len()
        && ends_with_ignore_case(host, domain)
        && (host.len() == domain.len() || host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// Whether `s` holds `needle` (ASCII lower-case) in any ASCII case.
fn contains_ignore_case(s: &str, needle: &str) -> bool {
    s.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn is_resource_segment(s: &Segment<'_>) -> bool {
    matches!(s, Segment::Link { url, image_only, .. } if is_resource(url, *image_only))
}

/// Whether the segments hold at least one resource link.
pub fn has_resource(segments: &[Segment<'_>]) -> bool {
    segments.iter().any(is_resource_segment)
}

/// Drops badge and image links: what remains is what a reader reads.
fn readable<'s, 'a>(segments: &'s [Segment<'a>]) -> Vec<&'s Segment<'a>> {
    readable_with_resources(segments).0
}

/// [`readable`], with whether each remaining segment is a resource link (each link's URL is
/// looked at once here rather than again by every step that asks). The segments are borrowed:
/// copying them cost three allocations per entry.
fn readable_with_resources<'s, 'a>(segments: &'s [Segment<'a>]) -> (Vec<&'s Segment<'a>>, Vec<bool>) {
    let mut kept = Vec::with_capacity(segments.len());
    let mut resources = Vec::with_capacity(segments.len());
    for s in segments {
        let resource = match s {
            Segment::Link { image_only: true, .. } => continue,
            Segment::Link { url, .. } if is_resource(url, false) => true,
            // Links that are not http(s) stay as text a reader reads; http(s) badges go.
            Segment::Link { url, .. } if super::is_http(url) => continue,
            _ => false,
        };
        kept.push(s);
        resources.push(resource);
    }
    (kept, resources)
}

/// An entry from a list item or HTML line; `None` when it has no resource link.
pub fn from_segments(
    segments: &[Segment<'_>],
    section: Option<usize>,
    line: usize,
    gazetteer: &Gazetteer,
) -> Option<Entry> {
    let (segments, resources) = readable_with_resources(segments);
    let first = resources.iter().position(|&r| r)?;
    let prefix = text_of(&segments[..first]);
    let prefix = prefix.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '[' | ']' | '(' | '•'));

    let (title, description, title_link) = if prefix.is_empty() {
        // "[Name](url) - text": the link names the entry.
        let Segment::Link { label, .. } = segments[first] else { unreachable!("a resource segment is a link") };
        let description = title_link_description(&segments[first + 1..]);
        ((**label).to_owned(), Some(description).filter(|d| !d.is_empty()), Some(first))
    } else {
        // "Title - description - [Label](url), [Label](url)".
        let mut parts = split_dashes(prefix).into_iter().map(trim_separators).filter(|p| !p.is_empty());
        let title = parts.next().unwrap_or_default().to_owned();
        let mut description = parts.collect::<Vec<_>>().join(" - ");
        // Text after the links that says more than punctuation joins the description.
        let after = text_of(&segments[last_link(&segments) + 1..]);
        let after = trim_separators(&after);
        if after.chars().filter(|c| c.is_alphanumeric()).count() > 3 {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(after);
        }
        (title, Some(description).filter(|d| !d.is_empty()), None)
    };
    // "Blog : **Title** - [Link](url)": a media word before a colon labels the links.
    let relabelled = match split_at_colon(&title) {
        Some((head, rest)) if !rest.trim().is_empty() && head.split_whitespace().count() == 1 => {
            media::from_label(head).map(|m| (trim_separators(rest).to_owned(), m))
        }
        _ => None,
    };
    let (title, prefix_media) = match relabelled {
        Some((rest, m)) => (rest, Some(m)),
        None => (title, None),
    };

    let links = segments
        .iter()
        .enumerate()
        .filter(|&(i, _)| resources[i])
        .filter_map(|(i, seg)| {
            let Segment::Link { label, url, .. } = seg else {
                return None;
            };
            let is_title = title_link == Some(i);
            make_link(label, url, is_title, prefix_media, gazetteer)
        })
        .collect();
    Some(finish(title, description, Vec::new(), links, section, line, gazetteer))
}

/// An entry from a GFM table row: the first resource link is the entry; a description-like
/// column its description; other text columns typed attributes; other links more links.
pub fn from_row(
    cells: &[Vec<Segment<'_>>],
    header: &[String],
    section: Option<usize>,
    line: usize,
    gazetteer: &Gazetteer,
) -> Option<Entry> {
    let cells: Vec<Vec<&Segment>> = cells.iter().map(|c| readable(c)).collect();
    let column = |c: usize| header.get(c).map(|h| strip_shortcodes(h).trim().to_owned()).unwrap_or_default();
    // The column that names the entry ("Name", "API", "Courses"), if the header says which.
    let name_col = (0..cells.len()).find(|&c| is_name_header(&column(c)) && !text_of(&cells[c]).trim().is_empty());
    let first_link_in = |c: usize| cells[c].iter().position(|s| is_resource_segment(s)).map(|i| (c, i));
    let (title_cell, title_index) =
        name_col.and_then(first_link_in).or_else(|| (0..cells.len()).find_map(first_link_in))?;
    let mut title = match (cells[title_cell][title_index], name_col) {
        (_, Some(c)) if c != title_cell || text_of(&cells[c]).trim() != link_label(cells[title_cell][title_index]) => {
            // A name column that starts with a link is named by that link ("[Calculus 1A](…)
            // ([alternative](…))"); otherwise by its whole text.
            match cells[c].iter().find(|s| !matches!(s, Segment::Text(t) if t.trim().is_empty())).copied() {
                Some(Segment::Link { label, .. }) if !label.is_empty() => (**label).to_owned(),
                _ => text_of(&cells[c]).trim().to_owned(),
            }
        }
        (Segment::Link { label, .. }, _) => (**label).to_owned(),
        (Segment::Text(_), _) => unreachable!("a resource segment is a link"),
    };
    if title.is_empty() || super::is_http(&title) {
        // "| Name | [Link](url) |": a plain first column names the entry.
        if let Some(name) = cells.iter().take(title_cell).map(|c| text_of(c)).find(|t| !t.trim().is_empty()) {
            title = name.trim().to_owned();
        }
    }
    let title_col = name_col.unwrap_or(title_cell);
    let is_description = |h: &str| {
        let h = h.to_lowercase();
        ["description", "details", "summary", "about", "what", "notes", "comment", "描述", "说明", "简介", "概要"]
            .iter()
            .any(|d| h.contains(d))
    };
    let mut description = None;
    let mut attributes = Vec::new();
    let mut links = Vec::new();
    for (c, segs) in cells.iter().enumerate() {
        let text = trim_separators(&text_of(
            &segs.iter().filter(|s| matches!(s, Segment::Text(_))).copied().collect::<Vec<_>>(),
        ))
        .to_owned();
        if c == title_col && c != title_cell {
            // The name column, when the entry's link stands elsewhere: its text is the title.
        } else if c == title_cell && name_col.is_none_or(|n| n == title_cell) {
            let rest = text_of(&segs[title_index + 1..]);
            if !trim_separators(&rest).is_empty() && description.is_none() {
                description = non_empty(trim_separators(&rest));
            }
        } else if is_description(&column(c)) && !text.is_empty() {
            description = Some(text_of(segs).trim().to_owned());
        } else if !(text.is_empty() || c < title_cell && text == title) {
            let name = column(c);
            attributes.push((if name.is_empty() { format!("Column {}", c + 1) } else { name }, text));
        }
        for (i, &seg) in segs.iter().enumerate() {
            if let Segment::Link { label, url, .. } = seg {
                if is_resource_segment(seg) {
                    let is_title = c == title_cell && i == title_index;
                    links.extend(make_link(label, url, is_title, None, gazetteer));
                }
            }
        }
    }
    Some(finish(title, description, attributes, links, section, line, gazetteer))
}

/// Whether a table header names the column that names each row ("Name", "API", "Courses").
fn is_name_header(header: &str) -> bool {
    const NAMES: &[&str] = &[
        "name",
        "project",
        "title",
        "course",
        "api",
        "tool",
        "library",
        "repository",
        "repo",
        "resource",
        "book",
        "paper",
        "software",
        "package",
        "framework",
        "app",
        "application",
        "service",
        "plugin",
        "名称",
        "名前",
        "项目",
        "工具",
        "名字",
    ];
    header
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| NAMES.contains(&w.trim_end_matches('s')) || NAMES.contains(&w))
}

fn link_label<'s>(segment: &'s Segment<'_>) -> &'s str {
    match segment {
        Segment::Link { label, .. } => label,
        Segment::Text(t) => t,
    }
}

fn make_link(
    label: &str,
    url: &str,
    is_title: bool,
    prefix_media: Option<crate::model::MediaType>,
    gazetteer: &Gazetteer,
) -> Option<Link> {
    let (site, path) = host_and_path(url)?;
    let media_type = match (is_title, prefix_media) {
        (true, Some(m)) => m,
        (true, None) => media::classify(None, &site, path),
        (false, m) => media::from_label(label).or(m).unwrap_or_else(|| media::classify(None, &site, path)),
    };
    Some(Link {
        label: label.to_owned(),
        url: url.to_owned(),
        media_type,
        publisher: gazetteer.publisher(&site, path).map(|o| o.id.clone()),
        site,
    })
}

fn finish(
    title: String,
    description: Option<String>,
    attributes: Vec<(String, String)>,
    links: Vec<Link>,
    section: Option<usize>,
    line: usize,
    gazetteer: &Gazetteer,
) -> Entry {
    let title = crate::parse::tidy(title.into()).into_owned();
    // "_Talk title_ by [Speaker](url)": the byline's "by" is not part of the title.
    let title = title.strip_suffix(" by").map(str::to_owned).unwrap_or(title);
    let description = description.map(|d| crate::parse::tidy(d.into()).into_owned()).filter(|d| !d.is_empty());
    let mut mentions = gazetteer.mentions(&title);
    if let Some(d) = &description {
        mentions.extend(gazetteer.mentions(d));
        mentions.sort();
        mentions.dedup();
    }
    let title = if title.is_empty() { links.first().map_or_else(String::new, |l| l.url.clone()) } else { title };
    Entry { title, description, section, line, links, mentions, attributes }
}

/// The description after a title link: the text after the first separator when only links
/// and brackets stand before it ("[name](url) [[crate](url)] - text"), else all the text after.
fn title_link_description(rest: &[&Segment]) -> String {
    let mut words_only: String = rest.iter().map(|s| if let Segment::Text(t) = s { &**t } else { "" }).collect();
    if let Some((i, dash)) = find_dash(&words_only) {
        if words_only[..i].chars().all(|c| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | ',' | '/' | '|')) {
            words_only.drain(..i + dash.len());
            return trim_separators_in_place(words_only);
        }
    }
    trim_separators_in_place(text_of(rest))
}

/// [`trim_separators`] of an owned string, trimmed where it is.
fn trim_separators_in_place(mut s: String) -> String {
    s.truncate(s.trim_end_matches(is_separator).len());
    s.drain(..s.len() - s.trim_start_matches(is_separator).len());
    s
}

fn last_link(segments: &[&Segment]) -> usize {
    segments.iter().rposition(|s| matches!(s, Segment::Link { .. })).unwrap_or(0)
}

/// The first of [`DASHES`] in `s`: where it starts, and which. Each starts with a space, so
/// one pass over the spaces finds the first of any.
fn find_dash(s: &str) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b' ', bytes)
        .find_map(|i| DASHES.iter().find(|d| bytes[i..].starts_with(d.as_bytes())).map(|d| (i, *d)))
}

/// `s` split at its first " : ", else at its first ": " (most titles have no colon: one
/// byte search says so, where two substring searches were set up for each).
fn split_at_colon(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let colons = || memchr::memchr_iter(b':', b).filter(|&i| b.get(i + 1) == Some(&b' '));
    colons()
        .find(|&i| i > 0 && b[i - 1] == b' ')
        .map(|i| (&s[..i - 1], &s[i + 2..]))
        .or_else(|| colons().next().map(|i| (&s[..i], &s[i + 2..])))
}

fn split_dashes(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some((i, dash)) = find_dash(rest) {
        parts.push(&rest[..i]);
        rest = &rest[i + dash.len()..];
    }
    parts.push(rest);
    parts
}

/// Trims white space and leading or trailing separators ("-", "–", "—", ":", ",", "|", "*").
pub fn trim_separators(s: &str) -> &str {
    s.trim_matches(is_separator)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | ',' | '|' | '*' | '_' | '：')
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::url::host_within;

    /// `is_resource` as first written: the host and path lower-cased into copies.
    fn is_resource_by_copies(url: &str, image_only: bool) -> bool {
        if image_only {
            return false;
        }
        let Some((host, path)) = host_and_path(url) else { return false };
        let lower = path.to_ascii_lowercase();
        let badge_image = BADGE_HOSTS.iter().any(|b| host_within(&host, b)) && path.len() > 1
            || host_within(&host, "shields.io") && lower.starts_with("/badge")
            || lower.contains("badge") && (lower.ends_with(".svg") || lower.ends_with(".png"));
        !badge_image
    }

    /// Every combination of hosts (badge hosts in any case, subdomains, `www.`, non-ASCII),
    /// paths (short, badge-like) and endings.
    #[test]
    fn is_resource_agrees_with_lower_cased_copies_on_badge_urls() {
        let hosts = [
            "img.shields.io",
            "IMG.Shields.IO",
            "www.img.shields.io",
            "shields.io",
            "WWW.Shields.io",
            "xshields.io",
            "badgen.net",
            "a.badgen.net",
            "badge.fury.io",
            "forthebadge.com",
            "github.com",
            "bücher.de",
            "BÜCHER.de",
        ];
        let paths = ["", "/", "/x", "/ab", "/badge", "/BADGE/x", "/badges", "/x/Badge", "/bad", "/ba"];
        let ends = ["", ".svg", ".SVG", ".png", ".Png", ".jpg", "?x=1", "#f"];
        for scheme in ["https://", "HTTP://", "ftp://"] {
            for host in hosts {
                for path in paths {
                    for end in ends {
                        let url = format!("{scheme}{host}{path}{end}");
                        for image_only in [false, true] {
                            assert_eq!(is_resource(&url, image_only), is_resource_by_copies(&url, image_only), "{url}");
                        }
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// The first dash found in one pass is the first of the three searched for apart.
        #[test]
        fn find_dash_finds_the_first_of_the_dashes(s in "( |-|–|—|a|é){0,16}") {
            let by_each = DASHES.iter().filter_map(|d| s.find(d).map(|i| (i, *d))).min();
            proptest::prop_assert_eq!(find_dash(&s), by_each);
        }

        /// Trimmed where it stands, a string keeps what trimming a slice of it keeps.
        #[test]
        fn trimming_in_place_is_trimming(s in "[ \t:,|*_a–—：é-]{0,12}|\\PC{0,12}") {
            proptest::prop_assert_eq!(trim_separators_in_place(s.clone()), trim_separators(&s));
        }

        /// The first " : ", else the first ": ", as substring searches find them.
        #[test]
        fn split_at_colon_is_split_once(s in "[ :a:é]{0,12}") {
            proptest::prop_assert_eq!(split_at_colon(&s), s.split_once(" : ").or_else(|| s.split_once(": ")));
        }

        /// The resource flags are what asking each kept segment gives.
        #[test]
        fn readable_segments_know_their_resources(
            links in proptest::collection::vec(("(https?://(img\\.shields\\.io|a\\.org)/(badge\\.svg|x)|#top|docs/x\\.md|mailto:a@b\\.c|https://)", proptest::bool::ANY, proptest::bool::ANY), 0..6),
        ) {
            let segments: Vec<Segment> = links
                .into_iter()
                .map(|(url, image_only, text)| {
                    if text { Segment::Text(url.into()) } else { Segment::Link { label: "l".into(), url: url.into(), image_only } }
                })
                .collect();
            let (kept, resources) = readable_with_resources(&segments);
            let by_filter: Vec<&Segment> = segments
                .iter()
                .filter(|s| match s {
                    Segment::Link { url, image_only, .. } => {
                        !*image_only && (is_resource(url, false) || host_and_path(url).is_none())
                    }
                    Segment::Text(_) => true,
                })
                .collect();
            proptest::prop_assert_eq!(&kept, &by_filter);
            let asked: Vec<bool> = kept.iter().map(|s| is_resource_segment(s)).collect();
            proptest::prop_assert_eq!(resources, asked);
        }

        /// Badge hosts in any case, under subdomains and `www.`, badge-like paths, and any text.
        #[test]
        fn is_resource_agrees_with_lower_cased_copies(
            url in "(https?|HTTPS?|ftp)://(www\\.|WWW\\.|[a-zA-Z]{1,3}\\.)?(img\\.shields\\.io|IMG.Shields.IO|shields\\.io|badgen\\.net|x?badge\\.fury\\.io|github\\.com|ü\\.de|Ü\\.DE|[a-z.-]{0,6})(/[a-zA-Z]{0,3}|/badge|/BADGE|/Badges/x)?(\\.svg|\\.PNG|\\.png)?(\\?[a-z=]{0,3})?|\\PC{0,16}",
            image_only in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(is_resource(&url, image_only), is_resource_by_copies(&url, image_only), "{}", url);
        }
    }
}
