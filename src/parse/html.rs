//! The little HTML that awesome lists use: `<a href>` anchors (with `<img>` inside for badges),
//! `<br>`-separated lines in `<p>` blocks, and character entities.

use super::Segment;

/// One line of an HTML block: its 0-based line offset within the block and its segments.
pub struct HtmlLine {
    pub line_offset: usize,
    pub segments: Vec<Segment<'static>>,
}

/// Splits an HTML block into lines (at newlines outside anchors, and at `<br>`, `<li>`, `<p>`,
/// `<tr>`, `<div>`), each line into text and anchors. An anchor may span several source lines.
pub fn block_lines(html: &str) -> Vec<HtmlLine> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    let mut current_offset = 0;
    let mut offset = 0;
    let mut anchor: Option<(String, String, bool)> = None;
    let flush = |current: &mut Vec<Segment<'static>>, lines: &mut Vec<HtmlLine>, at: usize| {
        if current.iter().any(|s| !matches!(s, Segment::Text(t) if t.trim().is_empty())) {
            lines.push(HtmlLine { line_offset: at, segments: std::mem::take(current) });
        }
        current.clear();
    };
    for (token, raw) in tokens(html) {
        match token {
            // An anchor left open (`<sup><a href=…>1</sup><br>`) ends where its line of text does.
            Token::Text(t)
                if anchor.as_ref().is_some_and(|(_, label, _)| !label.trim().is_empty()) && t.contains('\n') =>
            {
                let (head, rest) = t.split_once('\n').expect("contains a newline");
                if let Some((_, label, _)) = &mut anchor {
                    label.push_str(&decode_entities(head));
                }
                close_anchor(&mut anchor, &mut current);
                flush(&mut current, &mut lines, current_offset);
                current_offset = offset + 1 + rest.matches('\n').count();
                let rest = rest.rsplit('\n').next().unwrap_or("");
                if !rest.trim().is_empty() {
                    current.push(Segment::Text(decode_entities(rest).into()));
                }
            }
            Token::Text(t) => match &mut anchor {
                Some((_, label, _)) => label.push_str(&decode_entities(t)),
                None => {
                    // Newlines outside anchors end a line.
                    for (i, part) in t.split('\n').enumerate() {
                        if i > 0 {
                            flush(&mut current, &mut lines, current_offset);
                            current_offset = offset + i;
                        }
                        if !part.is_empty() {
                            if current.is_empty() {
                                current_offset = offset + i;
                            }
                            current.push(Segment::Text(decode_entities(part).into()));
                        }
                    }
                }
            },
            Token::Tag { name, closing, attrs } => match (name.as_str(), closing) {
                ("a", false) => {
                    if current.is_empty() {
                        current_offset = offset;
                    }
                    let href = attribute(attrs, "href").map(|h| decode_entities(&h)).unwrap_or_default();
                    anchor = Some((href, String::new(), false));
                }
                ("a", true) => close_anchor(&mut anchor, &mut current),
                ("img", _) => {
                    if let Some((_, _, has_image)) = &mut anchor {
                        *has_image = true;
                    }
                }
                ("br" | "li" | "p" | "tr" | "div", _) => {
                    close_anchor(&mut anchor, &mut current);
                    flush(&mut current, &mut lines, current_offset);
                }
                ("sup" | "sub" | "td" | "span", true) => close_anchor(&mut anchor, &mut current),
                _ => {}
            },
        }
        offset += raw.matches('\n').count();
    }
    close_anchor(&mut anchor, &mut current);
    flush(&mut current, &mut lines, current_offset);
    lines
}

/// Ends the open anchor, if any, as a link segment.
fn close_anchor(anchor: &mut Option<(String, String, bool)>, current: &mut Vec<Segment<'static>>) {
    if let Some((url, label, has_image)) = anchor.take() {
        let label = super::inline::collapse_whitespace(&label);
        current.push(Segment::Link { image_only: has_image && label.is_empty(), label: label.into(), url: url.into() });
    }
}

/// The `<h1>`–`<h3>` headings of an HTML block: level, text, 0-based line offset.
pub fn headings(html: &str) -> Vec<(u8, String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(u8, String, usize)> = None;
    let mut offset = 0;
    for (token, raw) in tokens(html) {
        if let Token::Tag { name, closing: false, .. } = &token {
            if name == "a" {
                // A heading that links somewhere is a promotion, not a title.
                open = None;
            }
        }
        match token {
            Token::Tag { name, closing, .. } if matches!(name.as_str(), "h1" | "h2" | "h3") => {
                let level = name.as_bytes()[1] - b'0';
                match (closing, open.take()) {
                    (false, _) => open = Some((level, String::new(), offset)),
                    (true, Some((l, text, at))) => {
                        let text = super::inline::collapse_whitespace(&decode_entities(&text));
                        if !text.is_empty() {
                            out.push((l, text, at));
                        }
                    }
                    (true, None) => {}
                }
            }
            Token::Text(t) => {
                if let Some((_, text, _)) = &mut open {
                    text.push_str(t);
                }
            }
            Token::Tag { .. } => {}
        }
        offset += raw.matches('\n').count();
    }
    out
}

/// The href of an inline `<a …>` tag, if `html` is one; `Some(None)` for a closing `</a>`.
pub fn inline_anchor(html: &str) -> Option<Option<String>> {
    match tokens(html).into_iter().next()?.0 {
        Token::Tag { name, closing: false, attrs } if name == "a" => {
            Some(Some(attribute(attrs, "href").map(|h| decode_entities(&h)).unwrap_or_default()))
        }
        Token::Tag { name, closing: true, .. } if name == "a" => Some(None),
        _ => None,
    }
}

/// Whether an inline HTML fragment is an `<img>` tag.
pub fn is_img(html: &str) -> bool {
    matches!(tokens(html).first(), Some((Token::Tag { name, .. }, _)) if name == "img")
}

enum Token<'a> {
    Text(&'a str),
    Tag { name: String, closing: bool, attrs: &'a str },
}

/// Text and tags, each with the raw text it was read from.
fn tokens(s: &str) -> Vec<(Token<'_>, &str)> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push((Token::Text(rest), rest));
            break;
        };
        if lt > 0 {
            out.push((Token::Text(&rest[..lt]), &rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            out.push((Token::Text(&rest[lt..]), &rest[lt..]));
            break;
        };
        let inner = &after[..gt];
        let raw = &rest[lt..lt + gt + 2];
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name_len = body.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(body.len());
        if inner.starts_with('!') {
            // A comment or doctype: skipped.
            out.push((Token::Text(""), raw));
            rest = &after[gt + 1..];
        } else if name_len == 0 {
            // "< 3", "<>": not a tag.
            out.push((Token::Text(&rest[lt..lt + 1]), &rest[lt..lt + 1]));
            rest = after;
        } else {
            out.push((
                Token::Tag { name: body[..name_len].to_ascii_lowercase(), closing, attrs: &body[name_len..] },
                raw,
            ));
            rest = &after[gt + 1..];
        }
    }
    out
}

/// The value of attribute `name` in a tag's attribute text (quoted or bare).
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| i + from) {
        from = i + name.len();
        let before_ok = i == 0 || lower.as_bytes()[i - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_owned(),
            _ => value.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("").to_owned(),
        });
    }
    None
}

/// Decodes the character entities HTML in awesome lists uses (`&amp;`, `&nbsp;`, `&#39;`, …).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &tail[1..e];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" | "ensp" | "emsp" => ' ',
                "mdash" => '—',
                "ndash" => '–',
                _ => {
                    let num = entity.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_in_br_lines() {
        let lines = block_lines(
            "<p>\n&nbsp;&nbsp; <a href=\"https://github.com/x/y\"><b>impacket</b></a> - is a tool.<br>\n</p>",
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].line_offset, 1);
        assert_eq!(
            lines[0].segments[1],
            Segment::Link { label: "impacket".into(), url: "https://github.com/x/y".into(), image_only: false }
        );
        assert_eq!(lines[0].segments[2], Segment::Text(" - is a tool.".into()));
    }

    #[test]
    fn image_anchors_are_image_only() {
        let lines = block_lines("<a href='https://awesome.re'><img src=\"https://awesome.re/badge.svg\"></a>");
        assert!(matches!(&lines[0].segments[0], Segment::Link { image_only: true, .. }));
        let lines = block_lines("<p>\n  <a href=\"https://x.org\">\n    <img alt=\"A\" src=\"b.svg\"\n  ></a>\n  Text <a href=\"https://y.org\">Y</a>\n</p>");
        assert_eq!(lines.len(), 2, "{:?}", lines.iter().map(|l| &l.segments).collect::<Vec<_>>());
        assert!(matches!(&lines[0].segments[1], Segment::Link { image_only: true, .. }), "{:?}", lines[0].segments);
        assert_eq!(lines[1].line_offset, 4);
    }

    #[test]
    fn unclosed_anchors_end_with_their_line() {
        let html = "<p>\n<a href=\"https://a.org\"><b>a</b></a> - x <sup><a href=\"https://s.org\">1</sup><br>\n<a href=\"https://b.org\"><b>b</b></a> - y<br>\n</p>";
        let lines = block_lines(html);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].line_offset, 2);
        assert!(matches!(&lines[1].segments[0], Segment::Link { label, .. } if label == "b"));
        let lines = block_lines("<a href=\"https://s.org\">one\ntwo</a> three\nnext <a href=\"https://n.org\">n</a>");
        assert_eq!(lines.len(), 2, "{:?}", lines.iter().map(|l| &l.segments).collect::<Vec<_>>());
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &amp; b&nbsp;&#39;c&#x27; &bogus; &"), "a & b 'c' &bogus; &");
        assert_eq!(decode_entities("&lt;tag&gt;"), "<tag>");
    }

    #[test]
    fn inline_anchor_tags() {
        assert_eq!(inline_anchor("<a href=\"https://x.org\">"), Some(Some("https://x.org".into())));
        assert_eq!(inline_anchor("</a>"), Some(None));
        assert_eq!(inline_anchor("<b>"), None);
        assert!(is_img("<img src='x'>"));
    }
}
