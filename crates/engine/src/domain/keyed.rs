//! A map from text keys to values inside one stream's state (an order's items, a generic
//! stream's fields), cheap to copy from state to state.
//!
//! Most such maps hold a handful of entries: those are a sorted list behind one shared pointer,
//! copied when written. Past `SMALL` entries it becomes a persistent tree, so a stream with
//! 100,000 keys still costs a logarithm per write. The tree alone (what this replaced) allocated
//! a 4 KB node even for one entry: 1 GB for a log of 276,000 orders.
use std::sync::Arc;

const SMALL: usize = 32;

#[derive(Clone, Debug)]
pub enum KeyedMap<V: Clone> {
    Small(Arc<Vec<(Arc<str>, V)>>),
    Large(im::OrdMap<Arc<str>, V>),
}

impl<V: Clone> Default for KeyedMap<V> {
    fn default() -> Self {
        KeyedMap::Small(Arc::default())
    }
}

impl<V: Clone> KeyedMap<V> {
    pub fn new() -> Self {
        KeyedMap::default()
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        match self {
            KeyedMap::Small(entries) => entries.binary_search_by(|(k, _)| (**k).cmp(key)).ok().map(|i| &entries[i].1),
            KeyedMap::Large(map) => map.get(key),
        }
    }

    pub fn insert(&mut self, key: Arc<str>, value: V) {
        match self {
            KeyedMap::Small(entries) => match entries.binary_search_by(|(k, _)| (**k).cmp(&key)) {
                Ok(i) => Arc::make_mut(entries)[i].1 = value,
                Err(_) if entries.len() >= SMALL => {
                    let mut map: im::OrdMap<Arc<str>, V> = entries.iter().cloned().collect();
                    map.insert(key, value);
                    *self = KeyedMap::Large(map);
                }
                Err(i) => Arc::make_mut(entries).insert(i, (key, value)),
            },
            KeyedMap::Large(map) => {
                map.insert(key, value);
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        match self {
            KeyedMap::Small(entries) => {
                if let Ok(i) = entries.binary_search_by(|(k, _)| (**k).cmp(key)) {
                    Arc::make_mut(entries).remove(i);
                }
            }
            KeyedMap::Large(map) => {
                map.remove(key);
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            KeyedMap::Small(entries) => entries.len(),
            KeyedMap::Large(map) => map.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&Arc<str>, &V)> + '_> {
        match self {
            KeyedMap::Small(entries) => Box::new(entries.iter().map(|(k, v)| (k, v))),
            KeyedMap::Large(map) => Box::new(map.iter()),
        }
    }
}

impl<V: Clone + PartialEq> PartialEq for KeyedMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<V: Clone + Eq> Eq for KeyedMap<V> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Whatever the writes, it answers as an ordinary sorted map does, across the change of form.
        #[test]
        fn behaves_as_a_sorted_map(writes in prop::collection::vec((0u8..60, prop::option::of(0u32..5)), 0..200)) {
            let (mut keyed, mut plain) = (KeyedMap::new(), BTreeMap::new());
            let mut copies = Vec::new();
            for (key, value) in writes {
                let key: Arc<str> = format!("k{key}").into();
                match value {
                    Some(value) => {
                        keyed.insert(Arc::clone(&key), value);
                        plain.insert(key, value);
                    }
                    None => {
                        keyed.remove(&key);
                        plain.remove(&key);
                    }
                }
                copies.push((keyed.clone(), plain.clone()));
            }
            for (keyed, plain) in copies {
                prop_assert_eq!(keyed.len(), plain.len());
                prop_assert!(keyed.iter().map(|(k, v)| (k.clone(), *v)).eq(plain.clone()), "a copy keeps its entries");
                for key in plain.keys() {
                    prop_assert_eq!(keyed.get(key), plain.get(key));
                }
            }
        }
    }
}
