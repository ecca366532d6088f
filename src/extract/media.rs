//! Media type of a link: from its label first, else from its URL, else [`MediaType::Website`].

use super::url::{ends_with_ignore_case, host_within, starts_with_ignore_case};
use crate::model::MediaType;

/// Classifies a link. `label` is `None` when the link text is the entry's own name rather than a
/// label such as "Blog" or "Slides".
pub fn classify(label: Option<&str>, host: &str, path: &str) -> MediaType {
    label.and_then(from_label).or_else(|| from_url(host, path)).unwrap_or(MediaType::Website)
}

/// The media type named by a link label: the first word of the label that names one.
pub fn from_label(label: &str) -> Option<MediaType> {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .find_map(|word| label_word(&word.to_lowercase()))
}

fn label_word(word: &str) -> Option<MediaType> {
    Some(match word {
        "answer" | "answers" => MediaType::Answer,
        "blog" | "blogpost" | "post" | "article" => MediaType::Blog,
        "book" | "ebook" => MediaType::Book,
        "course" | "mooc" => MediaType::Course,
        "dataset" | "datasets" => MediaType::Dataset,
        "thread" | "discussion" | "forum" => MediaType::Discussion,
        "document" | "doc" | "docs" | "documentation" | "whitepaper" => MediaType::Document,
        "paper" | "papers" | "preprint" | "arxiv" => MediaType::Paper,
        "podcast" | "episode" => MediaType::Podcast,
        "code" | "repo" | "repository" | "github" | "source" => MediaType::Repository,
        "slides" | "slide" | "deck" | "slideshare" => MediaType::Slides,
        "talk" | "keynote" | "presentation" | "lecture" => MediaType::Talk,
        "video" | "youtube" | "recording" | "webinar" | "screencast" => MediaType::Video,
        "website" | "homepage" => MediaType::Website,
        _ => return None,
    })
}

/// The media type implied by where a link points.
pub fn from_url(host: &str, path: &str) -> Option<MediaType> {
    let within = |domains: &[&str]| domains.iter().any(|d| host_within(host, d));
    if within(&["slideshare.net", "speakerdeck.com"]) || host == "docs.google.com" && path.starts_with("/presentation")
    {
        return Some(MediaType::Slides);
    }
    if within(&["youtube.com", "youtu.be", "vimeo.com"]) {
        return Some(MediaType::Video);
    }
    if within(&[
        "arxiv.org",
        "openreview.net",
        "aclanthology.org",
        "papers.nips.cc",
        "proceedings.neurips.cc",
        "proceedings.mlr.press",
        "dl.acm.org",
    ]) || ends_with_ignore_case(path, ".pdf")
    {
        return Some(MediaType::Paper);
    }
    if within(&["reddit.com", "news.ycombinator.com"]) {
        return Some(MediaType::Discussion);
    }
    if within(&["quora.com", "qr.ae", "stackoverflow.com", "stackexchange.com"]) {
        return Some(MediaType::Answer);
    }
    if within(&["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"]) {
        return Some(MediaType::Repository);
    }
    if within(&[
        "medium.com",
        "towardsdatascience.com",
        "substack.com",
        "dev.to",
        "hashnode.dev",
        "blogspot.com",
        "wordpress.com",
    ]) || host.starts_with("blog.")
        || host.starts_with("engineering.")
        || starts_with_ignore_case(path, "/blog/")
    {
        return Some(MediaType::Blog);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_win_over_urls() {
        assert_eq!(classify(Some("Video"), "sites.google.com", "/x.pdf"), MediaType::Video);
        assert_eq!(
            classify(Some("Talk at Strata Data Conference 2017"), "safaribooksonline.com", "/"),
            MediaType::Talk
        );
        assert_eq!(classify(Some("Hacker News Thread"), "news.ycombinator.com", "/item"), MediaType::Discussion);
        assert_eq!(classify(Some("Part 1"), "towardsdatascience.com", "/quest"), MediaType::Blog);
        assert_eq!(classify(Some("Here"), "qr.ae", "/TUI7Cc"), MediaType::Answer);
        assert_eq!(classify(None, "example.org", "/"), MediaType::Website);
        assert_eq!(classify(None, "github.com", "/a/b"), MediaType::Repository);
        assert_eq!(classify(Some("Talk"), "youtube.com", "/watch"), MediaType::Talk);
    }

    /// ".pdf" and "/blog/" in any ASCII case; "/presentation" as written.
    #[test]
    fn paths_compare_without_regard_to_case_where_they_did() {
        for (host, path, media) in [
            ("example.org", "/x.pdf", Some(MediaType::Paper)),
            ("example.org", "/x.PdF", Some(MediaType::Paper)),
            ("example.org", "/pdf", None),
            ("example.org", "/BLOG/x", Some(MediaType::Blog)),
            ("example.org", "/blog", None),
            ("example.org", "/blogs/x", None),
            ("example.org", "", None),
            ("docs.google.com", "/presentation/d/1", Some(MediaType::Slides)),
            ("docs.google.com", "/Presentation/d/1", None),
        ] {
            assert_eq!(from_url(host, path), media, "{host}{path}");
        }
    }
}
