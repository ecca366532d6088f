//! The hash maps of the pipeline: std's maps with foldhash instead of SipHash. Building a
//! million-entry graph hashes tens of millions of short strings (node keys, IRIs, terms), where
//! SipHash was a tenth of all the time; foldhash is seeded at random per process like std's
//! default, so lists crafted for collisions are no easier to make. Nothing iterates these maps
//! to produce output (that would already differ between runs).

pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
