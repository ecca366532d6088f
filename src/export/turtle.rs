//! Turtle and TriG written straight from the dataset's term numbers: the same bytes as
//! oxigraph's serializers given the same prefixes and no base IRI (tests compare them), but a
//! subject or predicate is compared as a number and a literal is copied from its N-Triples form,
//! made once, instead of formatted again for every triple it is in.

use crate::error::Error;
use crate::rdf::{Dataset, Forms};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::TermRef;
use std::io::{BufWriter, Write};
use std::sync::Arc;

/// Writes the dataset's distinct triples as Turtle with `prefixes` (name, IRI).
pub fn write_turtle(out: &mut dyn Write, dataset: &Dataset, prefixes: &[(&str, &str)]) -> Result<(), Error> {
    let quads = dataset.triple_ids().map(|t| (t, None));
    write(out, dataset, quads, prefixes).map_err(|e| error("Turtle", &e))
}

/// Writes the dataset's quads as TriG with `prefixes` (name, IRI): the default graph's triples
/// first, then each named graph in a block.
pub fn write_trig(out: &mut dyn Write, dataset: &Dataset, prefixes: &[(&str, &str)]) -> Result<(), Error> {
    write(out, dataset, dataset.quad_ids(), prefixes).map_err(|e| error("TriG", &e))
}

fn error(format: &str, e: &std::io::Error) -> Error {
    Error::Export { what: format!("{format} serialization"), message: e.to_string() }
}

/// oxigraph's TriG serializer (oxttl's `LowLevelTriGSerializer`), step by step: a subject's
/// triples joined by " ;", a predicate's objects by " ,", a named graph's lines indented by a tab.
fn write(
    out: &mut dyn Write,
    dataset: &Dataset,
    quads: impl Iterator<Item = ([u32; 3], Option<u32>)>,
    prefixes: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut w = Terms {
        out: BufWriter::with_capacity(1 << 16, out),
        dataset,
        forms: dataset.forms(),
        prefixes: by_length(prefixes),
        how: vec![UNKNOWN; dataset.term_count()],
        rdf_type: dataset.id_of(rdf::TYPE.into()),
    };
    let mut graph: Option<u32> = None;
    let mut current: Option<(u32, u32)> = None;
    let mut started = false;
    for ([s, p, o], g) in quads {
        if !started {
            started = true;
            for (name, iri) in &w.prefixes {
                writeln!(w.out, "@prefix {name}: <{iri}> .")?;
            }
        }
        let indent: &[u8] = if graph.is_some() { b"\t" } else { b"" };
        if g == graph {
            match current {
                Some((cs, cp)) if cs == s && cp == p => {
                    w.out.write_all(b" , ")?;
                    w.term(o)?;
                }
                Some((cs, _)) if cs == s => {
                    w.out.write_all(b" ;\n")?;
                    w.out.write_all(indent)?;
                    w.out.write_all(b"\t")?;
                    w.predicate_object(p, o)?;
                }
                Some(_) => {
                    w.out.write_all(b" .\n")?;
                    w.out.write_all(indent)?;
                    w.triple(s, p, o)?;
                }
                None => {
                    w.out.write_all(indent)?;
                    w.triple(s, p, o)?;
                }
            }
        } else {
            if current.is_some() {
                w.out.write_all(b" .\n")?;
            }
            if graph.is_some() {
                w.out.write_all(b"}\n")?;
            }
            graph = g;
            if let Some(g) = g {
                w.term(g)?;
                w.out.write_all(b" {\n\t")?;
            }
            w.triple(s, p, o)?;
        }
        current = Some((s, p));
    }
    if current.is_some() {
        w.out.write_all(b" .\n")?;
    }
    if graph.is_some() {
        w.out.write_all(b"}\n")?;
    }
    w.out.flush()
}

/// The prefixes in the order oxigraph tries them: longest IRI first (ties by name).
fn by_length<'p>(prefixes: &[(&'p str, &'p str)]) -> Vec<(&'p str, &'p str)> {
    let mut sorted = prefixes.to_vec();
    sorted.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    sorted
}

/// Writes terms as Turtle.
struct Terms<'a, W: Write> {
    out: BufWriter<W>,
    dataset: &'a Dataset,
    /// The terms as written in N-Triples: most terms are copied from there, or cut from there.
    forms: Arc<Forms>,
    prefixes: Vec<(&'a str, &'a str)>,
    /// How each term is written, by term number, found at its first use (a [`HowCode`]): a
    /// term is in many triples, and after its first use only its form is read (not the term
    /// itself as well, nor every prefix tried again).
    how: Vec<HowCode>,
    /// The number of `rdf:type`, written `a` as a predicate.
    rdf_type: Option<u32>,
}

/// How a term is written: [`UNKNOWN`], [`AS_FORM`], [`ESCAPED`], [`INLINE`], [`TYPED`], or
/// `PREFIXED + k`: an IRI under prefix `k` with its local part as it is.
type HowCode = u8;
/// Not yet seen.
const UNKNOWN: HowCode = 0;
/// As its N-Triples form: an IRI no prefix fits (`<iri>`), a string or language-tagged
/// literal, a blank node.
const AS_FORM: HowCode = 1;
/// An IRI as a prefixed name whose local part needs escapes (made again at each use: rare).
const ESCAPED: HowCode = 2;
/// A number or boolean written as its bare value.
const INLINE: HowCode = 3;
/// Another typed literal: `"value"^^datatype`, the datatype itself perhaps prefixed.
const TYPED: HowCode = 4;
/// `PREFIXED + k`: the prefixed name under prefix `k`, its local part as it is.
const PREFIXED: HowCode = 5;

impl<W: Write> Terms<'_, W> {
    fn triple(&mut self, s: u32, p: u32, o: u32) -> std::io::Result<()> {
        self.term(s)?;
        self.out.write_all(b" ")?;
        self.predicate_object(p, o)
    }

    fn predicate_object(&mut self, p: u32, o: u32) -> std::io::Result<()> {
        if Some(p) == self.rdf_type {
            self.out.write_all(b"a")?;
        } else {
            self.term(p)?;
        }
        self.out.write_all(b" ")?;
        self.term(o)
    }

    fn term(&mut self, id: u32) -> std::io::Result<()> {
        let how = match self.how[id as usize] {
            UNKNOWN => {
                let how = self.how_to_write(self.dataset.term_ref(id));
                self.how[id as usize] = how;
                how
            }
            how => how,
        };
        // An IRI's form is `<iri>`; a typed literal's `"value"^^<datatype>` (the last `"^^<`:
        // an escaped value may hold `\"^^<`, a datatype IRI no '"').
        let form = self.forms.get(id);
        match how {
            AS_FORM => self.out.write_all(form.as_bytes()),
            ESCAPED => {
                let iri = form[1..form.len() - 1].to_owned();
                self.iri(&iri)
            }
            INLINE => {
                let end = form.rfind("\"^^<").expect("a typed literal's form");
                self.out.write_all(&form.as_bytes()[1..end])
            }
            TYPED => {
                let end = form.rfind("\"^^<").expect("a typed literal's form");
                self.out.write_all(&form.as_bytes()[..=end])?;
                self.out.write_all(b"^^")?;
                let datatype = form[end + 4..form.len() - 1].to_owned();
                self.iri(&datatype)
            }
            k => {
                let (name, namespace) = self.prefixes[usize::from(k - PREFIXED)];
                self.out.write_all(name.as_bytes())?;
                self.out.write_all(b":")?;
                self.out.write_all(&form.as_bytes()[1 + namespace.len()..form.len() - 1])
            }
        }
    }

    /// How [`Terms::term`] writes `term`.
    fn how_to_write(&self, term: TermRef<'_>) -> HowCode {
        match term {
            TermRef::NamedNode(n) => self.how_to_write_iri(n.as_str()),
            TermRef::Literal(l) if matches!(l.datatype(), xsd::STRING | rdf::LANG_STRING) => AS_FORM,
            TermRef::Literal(l) => {
                let value = l.value();
                let inline = match l.datatype() {
                    xsd::BOOLEAN => matches!(value, "true" | "false"),
                    xsd::INTEGER => is_integer(value),
                    xsd::DECIMAL => is_decimal(value),
                    xsd::DOUBLE => is_double(value),
                    _ => false,
                };
                if inline {
                    INLINE
                } else {
                    TYPED
                }
            }
            TermRef::BlankNode(_) => AS_FORM,
        }
    }

    /// How [`Terms::iri`] writes `iri`, as a [`Terms::how`] code.
    fn how_to_write_iri(&self, iri: &str) -> HowCode {
        for (k, &(_, namespace)) in self.prefixes.iter().enumerate() {
            let Some(local) = iri.strip_prefix(namespace) else { continue };
            // Past 251 prefixes there is no code left: such names are made at each use.
            let prefixed = u8::try_from(k).ok().and_then(|k| k.checked_add(PREFIXED)).unwrap_or(ESCAPED);
            if local.is_empty() {
                return prefixed;
            }
            match local_name(local) {
                Some(escaped) if escaped.len() == local.len() => return prefixed,
                Some(_) => return ESCAPED,
                None => continue,
            }
        }
        AS_FORM
    }

    fn iri(&mut self, iri: &str) -> std::io::Result<()> {
        for &(name, namespace) in &self.prefixes {
            let Some(local) = iri.strip_prefix(namespace) else { continue };
            if local.is_empty() {
                return write!(self.out, "{name}:");
            }
            if let Some(escaped) = local_name(local) {
                return write!(self.out, "{name}:{escaped}");
            }
        }
        self.out.write_all(b"<")?;
        self.out.write_all(iri.as_bytes())?;
        self.out.write_all(b">")
    }
}

/// `value` as the local part of a prefixed name (PN_LOCAL), with '\' before the characters
/// that need it; `None` where some character cannot be written there.
fn local_name(value: &str) -> Option<String> {
    let mut output = String::with_capacity(value.len());
    let mut chars = value.chars();
    let first = chars.next()?;
    if is_pn_chars_u(first) || first == ':' || first.is_ascii_digit() {
        output.push(first);
    } else if can_be_escaped(first) {
        output.push('\\');
        output.push(first);
    } else {
        return None;
    }
    while let Some(c) = chars.next() {
        if is_pn_chars(c) || c == ':' || (c == '.' && !chars.as_str().is_empty()) {
            output.push(c);
        } else if can_be_escaped(c) {
            output.push('\\');
            output.push(c);
        } else {
            return None;
        }
    }
    Some(output)
}

/// PN_CHARS_U of the Turtle grammar.
fn is_pn_chars_u(c: char) -> bool {
    c == '_' || is_pn_chars_base(c)
}

/// PN_CHARS_BASE of the Turtle grammar: the same letters as XML's NameStartChar, without ':'
/// and '_'.
pub(super) fn is_pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z'
        | 'a'..='z'
        | '\u{00C0}'..='\u{00D6}'
        | '\u{00D8}'..='\u{00F6}'
        | '\u{00F8}'..='\u{02FF}'
        | '\u{0370}'..='\u{037D}'
        | '\u{037F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// PN_CHARS of the Turtle grammar.
fn is_pn_chars(c: char) -> bool {
    is_pn_chars_u(c) || matches!(c, '-' | '0'..='9' | '\u{00B7}' | '\u{0300}'..='\u{036F}' | '\u{203F}'..='\u{2040}')
}

/// The characters PN_LOCAL_ESC allows after a '\'.
fn can_be_escaped(c: char) -> bool {
    matches!(
        c,
        '_' | '~'
            | '.'
            | '-'
            | '!'
            | '$'
            | '&'
            | '\''
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | ';'
            | '='
            | '/'
            | '?'
            | '#'
            | '@'
            | '%'
    )
}

/// Strips one leading sign.
fn unsigned(value: &str) -> &[u8] {
    let value = value.as_bytes();
    value.strip_prefix(b"+").or_else(|| value.strip_prefix(b"-")).unwrap_or(value)
}

/// Turtle's INTEGER: `[+-]? [0-9]+`.
fn is_integer(value: &str) -> bool {
    let value = unsigned(value);
    !value.is_empty() && value.iter().all(u8::is_ascii_digit)
}

/// Turtle's DECIMAL: `[+-]? [0-9]* '.' [0-9]+`.
fn is_decimal(value: &str) -> bool {
    let value = unsigned(value);
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(fraction) = value[digits..].strip_prefix(b".") else { return false };
    !fraction.is_empty() && fraction.iter().all(u8::is_ascii_digit)
}

/// Turtle's DOUBLE: `[+-]? ([0-9]+ '.' [0-9]* | '.' [0-9]+ | [0-9]+) [eE] [+-]? [0-9]+`.
fn is_double(value: &str) -> bool {
    let mut value = unsigned(value);
    let before = value.iter().take_while(|b| b.is_ascii_digit()).count();
    value = &value[before..];
    let mut after = 0;
    if let Some(rest) = value.strip_prefix(b".") {
        after = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        value = &rest[after..];
    }
    let Some(exponent) = value.strip_prefix(b"e").or_else(|| value.strip_prefix(b"E")) else { return false };
    let exponent = exponent.strip_prefix(b"+").or_else(|| exponent.strip_prefix(b"-")).unwrap_or(exponent);
    (before > 0 || after > 0) && !exponent.is_empty() && exponent.iter().all(u8::is_ascii_digit)
}
