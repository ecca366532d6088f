//! Entry and link keys made on a second thread while the graph is built: an entry's key is its
//! list's key and a slug of its title unique within the list, and making the slugs unique (a
//! hash table of every slug handed out) was a third of a million entries' graph building, with
//! the other core idle; a link's key is its entry's and "/link/N".

use crate::model::List;
use crate::slug::SlugSet;
use std::sync::mpsc::{channel, Receiver, Sender};

/// Titles sent to the keys thread at a time.
const BATCH: usize = 8192;

/// Entries' titles (taken out of their entries) and their numbers of links, as sent to the keys
/// thread.
type Titles = Vec<(String, usize)>;
/// A batch of titles sent back, and the keys made from them: each entry's, then its links'.
type Batch = (Titles, Vec<String>);

/// The entry keys of every list, in the order of the lists and their entries, each with the
/// title it was made from (taken out of its entry and given back here), and its links' keys.
pub(super) struct EntryKeys {
    batches: Receiver<Batch>,
    titles: std::vec::IntoIter<(String, usize)>,
    keys: std::vec::IntoIter<String>,
}

impl EntryKeys {
    /// Takes the titles out of the entries of `lists` (whose keys are `list_keys`) and starts
    /// making their keys on a thread of `scope`.
    pub(super) fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        lists: &mut [List],
        list_keys: &'scope [String],
    ) -> Self {
        let (titles_in, titles_out) = channel::<Titles>();
        let (keys_in, keys_out) = channel::<Batch>();
        let counts: Vec<usize> = lists.iter().map(|l| l.entries.len()).collect();
        scope.spawn(move || make_keys(list_keys, &counts, &titles_out, &keys_in));
        for list in lists {
            for batch in list.entries.chunks_mut(BATCH) {
                // The keys thread stops early only if it panicked; `next` then finds no batch
                // and the scope passes the panic on.
                let _ =
                    titles_in.send(batch.iter_mut().map(|e| (std::mem::take(&mut e.title), e.links.len())).collect());
            }
        }
        EntryKeys { batches: keys_out, titles: Vec::new().into_iter(), keys: Vec::new().into_iter() }
    }

    /// The next entry's title and key; its links' keys follow from [`EntryKeys::link`].
    pub(super) fn next(&mut self) -> (String, String) {
        let (title, _) = match self.titles.next() {
            Some(next) => next,
            None => {
                let (titles, keys) = self.batches.recv().expect("the keys thread makes a key for every entry");
                (self.titles, self.keys) = (titles.into_iter(), keys.into_iter());
                self.titles.next().expect("batches are not empty")
            }
        };
        (title, self.next_key())
    }

    /// The key of the next link of the entry last given by [`EntryKeys::next`].
    pub(super) fn link(&mut self) -> String {
        self.next_key()
    }

    /// The next key of the batch: an entry's, then each of its links'.
    fn next_key(&mut self) -> String {
        self.keys.next().expect("a key for the entry and for each of its links")
    }
}

/// Makes the keys of the titles coming in from `titles`, list after list (`counts` titles
/// each), and sends each batch back with its keys.
fn make_keys(list_keys: &[String], counts: &[usize], titles: &Receiver<Titles>, keys: &Sender<Batch>) {
    for (list_key, &count) in list_keys.iter().zip(counts) {
        let mut slugs = SlugSet::with_capacity(count);
        let mut left = count;
        while left > 0 {
            let Ok(batch) = titles.recv() else { return };
            left -= batch.len();
            let mut made = Vec::with_capacity(batch.iter().map(|(_, links)| 1 + links).sum());
            for (title, links) in &batch {
                let mut key = String::with_capacity(list_key.len() + "/entry/".len() + 24);
                key.push_str(list_key);
                key.push_str("/entry/");
                slugs.push_unique(title, "entry", &mut key);
                let first = made.len();
                for position in 1..=*links {
                    let mut link = String::with_capacity(key.len() + "/link/".len() + 2);
                    link.push_str(&key);
                    link.push_str("/link/");
                    link.push_str(crate::decimal::decimal(position, &mut Default::default()));
                    made.push(link);
                }
                // The entry's key before its links'.
                made.push(key);
                made[first..].rotate_right(1);
            }
            if keys.send((batch, made)).is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    fn list(id: &str, titles: impl Iterator<Item = String>) -> List {
        let link = |n: usize| crate::model::Link {
            label: String::new(),
            url: format!("https://example.org/{n}"),
            media_type: crate::model::MediaType::Website,
            site: "example.org".to_owned(),
            publisher: None,
        };
        let entry = |(i, title): (usize, String)| Entry {
            title,
            description: None,
            section: None,
            line: 1,
            links: (0..i % 12).map(link).collect(),
            mentions: Vec::new(),
            attributes: Vec::new(),
        };
        List {
            id: id.to_owned(),
            title: id.to_owned(),
            source: format!("{id}.md"),
            sections: Vec::new(),
            entries: titles.enumerate().map(entry).collect(),
        }
    }

    /// Titles repeated across batches and across lists, an empty list between, titles with no
    /// letter, entries with 0 to 11 links: each entry's key is the one a single pass with one
    /// slug set per list hands out, and its links' keys are its own and "/link/N".
    #[test]
    fn keys_from_the_thread_are_the_one_pass_keys() {
        let titles = |n: usize| (0..n).map(|i| if i % 3 == 0 { "!!".to_owned() } else { format!("Tool {}", i % 5000) });
        let mut lists = vec![list("a", titles(2 * BATCH + 17)), list("b", titles(0)), list("c", titles(BATCH))];
        // Each entry's title, key and links' keys.
        type Keys = (String, String, Vec<String>);
        let expected: Vec<Keys> = lists
            .iter()
            .zip(["list/a", "list/b", "list/c"])
            .flat_map(|(list, list_key)| {
                let mut slugs = SlugSet::default();
                list.entries
                    .iter()
                    .map(|e| {
                        let key = format!("{list_key}/entry/{}", slugs.unique(&e.title, "entry"));
                        let links = (1..=e.links.len()).map(|n| format!("{key}/link/{n}")).collect();
                        (e.title.clone(), key, links)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let list_keys = ["list/a", "list/b", "list/c"].map(str::to_owned);
        let made: Vec<Keys> = std::thread::scope(|scope| {
            let mut keys = EntryKeys::start(scope, &mut lists, &list_keys);
            expected
                .iter()
                .map(|(_, _, links)| {
                    let (title, key) = keys.next();
                    (title, key, links.iter().map(|_| keys.link()).collect())
                })
                .collect()
        });
        assert!(lists.iter().flat_map(|l| &l.entries).all(|e| e.title.is_empty()), "titles were taken");
        assert_eq!(made, expected);
        assert!(
            made.iter().any(|(_, key, _)| key == "list/a/entry/tool-7-2"),
            "duplicates across batches are numbered"
        );
        assert!(made.iter().any(|(_, _, links)| links.len() == 11), "entries with many links");
    }
}
