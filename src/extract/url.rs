//! Just enough URL splitting for classification: scheme check, host and path.

/// Whether `url` is an absolute http(s) URL with a host.
pub fn is_http(url: &str) -> bool {
    match split(url) {
        // An ASCII host is valid whatever its case: no need to lower-case it to know.
        Some((host, _)) if host.is_ascii() => {
            let host = strip_prefix_ignore_case(host, "www.").unwrap_or(host);
            valid_host(host)
        }
        Some(_) => host_and_path(url).is_some(),
        None => false,
    }
}

/// The lower-cased host without `www.`, and the path (without query or fragment) of an http(s)
/// URL; `None` for anything else.
pub fn host_and_path(url: &str) -> Option<(String, &str)> {
    let (host, path) = split(url)?;
    let mut host = if host.is_ascii() { host.to_ascii_lowercase() } else { host.to_lowercase() };
    if host.starts_with("www.") {
        host.drain(..4);
    }
    valid_host(&host).then_some((host, path))
}

/// The host as written (without user, port or trailing dot) and the path of an http(s) URL.
pub(super) fn split(url: &str) -> Option<(&str, &str)> {
    let rest = strip_prefix_ignore_case(url, "https://").or_else(|| strip_prefix_ignore_case(url, "http://"))?;
    // memchr's byte searches (this runs several times per link): the delimiters are ASCII,
    // so every cut is at a character boundary.
    let end = memchr::memchr3(b'/', b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
    let authority = &rest[..end];
    let after = &rest[end..];
    let path_end = memchr::memchr2(b'?', b'#', after.as_bytes()).unwrap_or(after.len());
    let path = &after[..path_end];
    let host_port = memchr::memrchr(b'@', authority.as_bytes()).map_or(authority, |at| &authority[at + 1..]);
    let host = memchr::memchr(b':', host_port.as_bytes()).map_or(host_port, |colon| &host_port[..colon]);
    Some((host.trim_end_matches('.'), path))
}

/// A registered name (letters of any script, digits, '-', '.', '_') or an IPv4 address; IPv6
/// literals and anything stranger are not links a list means. 253 bytes is the longest name
/// DNS allows.
pub(super) fn valid_host(host: &str) -> bool {
    if host.is_ascii() {
        return valid_ascii_host(host.as_bytes());
    }
    valid_host_by_labels(host)
}

/// [`valid_host`] of an ASCII host in one pass over its bytes (this runs several times per
/// link): no label empty (no dot first, last or after a dot), none starting or ending with '-'.
fn valid_ascii_host(host: &[u8]) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    // The byte before each byte, as if a dot stood before the first label.
    let mut previous = b'.';
    for &c in host {
        let allowed = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_');
        let label_break = previous == b'.' && matches!(c, b'.' | b'-') || previous == b'-' && c == b'.';
        if !allowed || label_break {
            return false;
        }
        previous = c;
    }
    !matches!(previous, b'.' | b'-')
}

/// [`valid_host`] by its definition: every character allowed, every label well formed.
fn valid_host_by_labels(host: &str) -> bool {
    let valid = |c: char| c.is_alphanumeric() || matches!(c, '-' | '.' | '_');
    let label_ok = |l: &str| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-');
    !host.is_empty() && host.len() <= 253 && host.chars().all(valid) && host.split('.').all(label_ok)
}

pub(super) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Whether `s` starts with `prefix` in any ASCII case (compared as bytes: no copy, and no
/// character boundary needed).
pub(super) fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `s` ends with `suffix` in any ASCII case.
pub(super) fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    let s = s.as_bytes();
    s.len() >= suffix.len() && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_within(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_host_and_path() {
        assert_eq!(host_and_path("https://www.Example.com:8080/a/b?x=1#f"), Some(("example.com".to_owned(), "/a/b")));
        assert_eq!(host_and_path("HTTP://qr.ae/TUI7Cc"), Some(("qr.ae".to_owned(), "/TUI7Cc")));
        assert_eq!(host_and_path("http://user@host.org"), Some(("host.org".to_owned(), "")));
        assert_eq!(host_and_path("ftp://x.org/"), None);
        assert_eq!(host_and_path("#anchor"), None);
        assert_eq!(host_and_path("https://"), None);
        assert_eq!(host_and_path("https://[::1]:80/"), None);
        assert_eq!(host_and_path("https://a b/"), None);
        assert_eq!(host_and_path("https://-4/"), None, "a host label cannot start with '-'");
        assert_eq!(host_and_path("https://a..b/"), None);
        assert_eq!(host_and_path("https://Bücher.de/x"), Some(("bücher.de".to_owned(), "/x")));
    }

    #[test]
    fn subdomains() {
        assert!(host_within("eng.uber.com", "uber.com"));
        assert!(host_within("uber.com", "uber.com"));
        assert!(!host_within("notuber.com", "uber.com"));
    }

    /// `split` as first written, with character searches.
    fn split_by_chars(url: &str) -> Option<(&str, &str)> {
        let rest = strip_prefix_ignore_case(url, "https://").or_else(|| strip_prefix_ignore_case(url, "http://"))?;
        let (authority, after) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        let path = &after[..after.find(['?', '#']).unwrap_or(after.len())];
        let host_port = authority.rfind('@').map_or(authority, |at| &authority[at + 1..]);
        let host = host_port.find(':').map_or(host_port, |colon| &host_port[..colon]);
        Some((host.trim_end_matches('.'), path))
    }

    proptest::proptest! {
        /// The byte searches cut where the character searches cut.
        #[test]
        fn split_cuts_as_character_searches_do(url in "(https?|HTTP)://[a-zé@:./?#_-]{0,16}|\\PC{0,16}") {
            proptest::prop_assert_eq!(split(&url), split_by_chars(&url), "{:?}", url);
        }

        /// An ASCII host checked byte by byte is valid exactly when its labels are.
        #[test]
        fn ascii_hosts_are_valid_by_bytes_as_by_labels(host in "[a-z0-9._-]{0,12}|[a-zA-Z.-]{1,4}|\\PC{0,8}") {
            proptest::prop_assert_eq!(valid_host(&host), valid_host_by_labels(&host), "{:?}", host);
        }

        /// `is_http` decides ASCII hosts without lower-casing them: the same answer as
        /// splitting the URL in full.
        #[test]
        fn is_http_agrees_with_host_and_path(
            url in "(https?|HTTPS?|ftp)://(www\\.|WWW\\.)?[a-zA-Z0-9._@:-]{0,12}(/[a-z]{0,4})?|\\PC{0,16}",
        ) {
            proptest::prop_assert_eq!(is_http(&url), host_and_path(&url).is_some());
        }
    }
}
