//! Entry keys made on a second thread while the graph is built: an entry's key is its list's
//! key and a slug of its title unique within the list, and making the slugs unique (a hash
//! table of every slug handed out) was a third of a million entries' graph building, with the
//! other core idle.

use crate::model::List;
use crate::slug::SlugSet;
use std::sync::mpsc::{channel, Receiver, Sender};

/// Titles sent to the keys thread at a time.
const BATCH: usize = 8192;

/// Entries' titles, taken out of their entries, and their keys: the keys thread sends each
/// batch of titles back with their keys, in the entries' order.
type Batch = (Vec<String>, Vec<String>);

/// The entry keys of every list, in the order of the lists and their entries, each with the
/// title it was made from (taken out of its entry and given back here).
pub(super) struct EntryKeys {
    batches: Receiver<Batch>,
    current: std::iter::Zip<std::vec::IntoIter<String>, std::vec::IntoIter<String>>,
}

impl EntryKeys {
    /// Takes the titles out of the entries of `lists` (whose keys are `list_keys`) and starts
    /// making their keys on a thread of `scope`.
    pub(super) fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        lists: &mut [List],
        list_keys: &'scope [String],
    ) -> Self {
        let (titles_in, titles_out) = channel::<Vec<String>>();
        let (keys_in, keys_out) = channel::<Batch>();
        let counts: Vec<usize> = lists.iter().map(|l| l.entries.len()).collect();
        scope.spawn(move || make_keys(list_keys, &counts, &titles_out, &keys_in));
        for list in lists {
            for batch in list.entries.chunks_mut(BATCH) {
                // The keys thread stops only when done or gone; what it has not made, the
                // caller finds missing (see `next`).
                let _ = titles_in.send(batch.iter_mut().map(|e| std::mem::take(&mut e.title)).collect());
            }
        }
        EntryKeys { batches: keys_out, current: Vec::new().into_iter().zip(Vec::new()) }
    }

    /// The next entry's title and key.
    pub(super) fn next(&mut self) -> (String, String) {
        loop {
            if let Some(pair) = self.current.next() {
                return pair;
            }
            let (titles, keys) = self.batches.recv().expect("the keys thread makes a key for every entry");
            self.current = titles.into_iter().zip(keys);
        }
    }
}

/// Makes the keys of the titles coming in from `titles`, list after list (`counts` titles
/// each), and sends each batch back with its keys.
fn make_keys(list_keys: &[String], counts: &[usize], titles: &Receiver<Vec<String>>, keys: &Sender<Batch>) {
    for (list_key, &count) in list_keys.iter().zip(counts) {
        let mut slugs = SlugSet::with_capacity(count);
        let mut left = count;
        while left > 0 {
            let Ok(batch) = titles.recv() else { return };
            left -= batch.len();
            let made = batch
                .iter()
                .map(|title| {
                    let mut key = String::with_capacity(list_key.len() + "/entry/".len() + 24);
                    key.push_str(list_key);
                    key.push_str("/entry/");
                    slugs.push_unique(title, "entry", &mut key);
                    key
                })
                .collect();
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
        let entry = |title| Entry {
            title,
            description: None,
            section: None,
            line: 1,
            links: Vec::new(),
            mentions: Vec::new(),
            attributes: Vec::new(),
        };
        List {
            id: id.to_owned(),
            title: id.to_owned(),
            source: format!("{id}.md"),
            sections: Vec::new(),
            entries: titles.map(entry).collect(),
        }
    }

    /// Titles repeated across batches and across lists, an empty list between, and titles with
    /// no letter: each key is the one a single pass with one slug set per list hands out.
    #[test]
    fn keys_from_the_thread_are_the_one_pass_keys() {
        let titles = |n: usize| (0..n).map(|i| if i % 3 == 0 { "!!".to_owned() } else { format!("Tool {}", i % 5000) });
        let mut lists = vec![list("a", titles(2 * BATCH + 17)), list("b", titles(0)), list("c", titles(BATCH))];
        let expected: Vec<(String, String)> = lists
            .iter()
            .zip(["list/a", "list/b", "list/c"])
            .flat_map(|(list, list_key)| {
                let mut slugs = SlugSet::default();
                list.entries
                    .iter()
                    .map(|e| (e.title.clone(), format!("{list_key}/entry/{}", slugs.unique(&e.title, "entry"))))
                    .collect::<Vec<_>>()
            })
            .collect();
        let list_keys = ["list/a", "list/b", "list/c"].map(str::to_owned);
        let made: Vec<(String, String)> = std::thread::scope(|scope| {
            let mut keys = EntryKeys::start(scope, &mut lists, &list_keys);
            (0..expected.len()).map(|_| keys.next()).collect()
        });
        assert!(lists.iter().flat_map(|l| &l.entries).all(|e| e.title.is_empty()), "titles were taken");
        assert_eq!(made, expected);
        assert!(made.iter().any(|(_, key)| key == "list/a/entry/tool-7-2"), "duplicates across batches are numbered");
    }
}
