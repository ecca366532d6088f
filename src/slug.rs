//! Readable, IRI-safe slugs: "Uber’s Machine Learning Platform" → "ubers-machine-learning-platform".

use std::hash::BuildHasher;

/// Longest slug in characters; longer titles are cut at a word boundary.
const MAX_CHARS: usize = 64;

/// Lower-cases, drops apostrophes, keeps letters and digits of any script, and joins the words
/// with `-`. The result matches `[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*` or is empty.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_CHARS));
    slugify_into(text, &mut out);
    out
}

/// [`slugify`] of `text` into `out`, which it empties first (a buffer reused across calls).
fn slugify_into(text: &str, out: &mut String) {
    out.clear();
    let mut pending_dash = false;
    let mut chars = 0;
    for c in text.chars() {
        // ASCII (most titles) without the Unicode tables; the same rules as below.
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            pending_dash |= !matches!(c, '\'' | '`');
            continue;
        }
        if matches!(c, '\'' | '’' | '‘' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                if chars >= MAX_CHARS {
                    break;
                }
                out.push('-');
                chars += 1;
            }
            pending_dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                chars += 1;
                continue;
            }
            // Lower-casing may add combining marks ("İ" → "i̇"): keep only letters and digits.
            for l in c.to_lowercase().filter(|l| l.is_alphanumeric()) {
                out.push(l);
                chars += 1;
            }
        } else {
            pending_dash = true;
        }
    }
}

/// Hands out slugs unique within one namespace: the second "intro" becomes "intro-2".
#[derive(Debug, Default)]
pub struct SlugSet {
    /// Every slug handed out, end to end: one string rather than one allocation per slug (a
    /// million-entry list hands out a million).
    text: String,
    /// Each slug handed out, as its range of `text`.
    taken: hashbrown::HashTable<(usize, usize)>,
    state: foldhash::fast::RandomState,
    /// For each base that had a duplicate, the number to try next: every smaller one is taken,
    /// and slugs are never given back, so the search resumes there (a title repeated k times
    /// costs k probes, not k²/2).
    next: crate::hash::HashMap<String, usize>,
    /// The slug being made.
    scratch: String,
}

impl SlugSet {
    /// A set with room for about `slugs` slugs: growing rehashes every slug handed out and
    /// copies their text, each time it doubles (twenty times for a million-entry list; entry
    /// slugs of generated lists average 18 bytes).
    pub fn with_capacity(slugs: usize) -> Self {
        SlugSet {
            text: String::with_capacity(slugs * 24),
            taken: hashbrown::HashTable::with_capacity(slugs),
            ..SlugSet::default()
        }
    }

    /// A unique slug for `text`, `fallback` when the text has no letter or digit.
    pub fn unique(&mut self, text: &str, fallback: &str) -> String {
        let mut out = String::new();
        self.push_unique(text, fallback, &mut out);
        out
    }

    /// [`SlugSet::unique`], appended to `out`.
    pub fn push_unique(&mut self, text: &str, fallback: &str, out: &mut String) {
        let mut base = std::mem::take(&mut self.scratch);
        slugify_into(text, &mut base);
        if base.is_empty() {
            base.push_str(fallback);
        }
        if self.take(&base) {
            out.push_str(&base);
        } else {
            use std::fmt::Write;
            let mut n = self.next.get(base.as_str()).copied().unwrap_or(2);
            let mut candidate = String::with_capacity(base.len() + 4);
            loop {
                candidate.clear();
                write!(candidate, "{base}-{n}").expect("writing to a String");
                n += 1;
                if self.take(&candidate) {
                    break;
                }
            }
            self.next.insert(base.clone(), n);
            out.push_str(&candidate);
        }
        self.scratch = base;
    }

    /// Takes `slug` if no one has: true when it was free.
    fn take(&mut self, slug: &str) -> bool {
        let SlugSet { text, taken, state, .. } = self;
        let hash = state.hash_one(slug);
        if taken.find(hash, |&(a, b)| &text[a..b] == slug).is_some() {
            return false;
        }
        let start = text.len();
        text.push_str(slug);
        taken.insert_unique(hash, (start, text.len()), |&(a, b)| state.hash_one(&text[a..b]));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("Michelangelo: Uber’s Machine Learning Platform"),
            "michelangelo-ubers-machine-learning-platform"
        );
        assert_eq!(slugify("Use Cases & Papers"), "use-cases-papers");
        assert_eq!(slugify("  --  "), "");
        assert_eq!(slugify("Håkon 机器学习"), "håkon-机器学习");
        assert_eq!(slugify("İstanbul"), "istanbul", "regression: lower-casing İ adds a combining dot");
    }

    /// `slugify` as first written: every character through the Unicode tables.
    fn slugify_by_unicode_tables(text: &str) -> String {
        let mut out = String::new();
        let mut pending_dash = false;
        let mut chars = 0;
        for c in text.chars() {
            if matches!(c, '\'' | '’' | '‘' | '`') {
                continue;
            }
            if c.is_alphanumeric() {
                if pending_dash && !out.is_empty() {
                    if chars >= MAX_CHARS {
                        break;
                    }
                    out.push('-');
                    chars += 1;
                }
                pending_dash = false;
                for l in c.to_lowercase().filter(|l| l.is_alphanumeric()) {
                    out.push(l);
                    chars += 1;
                }
            } else {
                pending_dash = true;
            }
        }
        out
    }

    proptest::proptest! {
        /// ASCII words, punctuation, apostrophes of both kinds, other scripts, long titles.
        #[test]
        fn slugify_agrees_with_the_unicode_tables(text in "([a-zA-Z0-9 '`’.&:-]|İ|é|Ω|机){0,90}|\\PC{0,20}") {
            proptest::prop_assert_eq!(slugify(&text), slugify_by_unicode_tables(&text));
        }
    }

    #[test]
    fn duplicates_get_numbered() {
        let mut set = SlugSet::default();
        assert_eq!(set.unique("Intro", "x"), "intro");
        assert_eq!(set.unique("intro!", "x"), "intro-2");
        assert_eq!(set.unique("Intro", "x"), "intro-3");
        assert_eq!(set.unique("!!", "entry"), "entry");
        // A text whose own slug is a numbered one takes that number from the sequence.
        assert_eq!(set.unique("Intro 5", "x"), "intro-5");
        assert_eq!(set.unique("Intro", "x"), "intro-4");
        assert_eq!(set.unique("Intro", "x"), "intro-6");
        assert_eq!(set.unique("Intro 4", "x"), "intro-4-2");
        // Appended after a key's prefix: no dash before the first word, numbering as above.
        let mut key = String::from("list/a/entry/");
        set.push_unique("  — Intro!", "x", &mut key);
        assert_eq!(key, "list/a/entry/intro-7");
        key.truncate("list/a/entry/".len());
        set.push_unique("...", "entry", &mut key);
        assert_eq!(key, "list/a/entry/entry-2");
    }
}
