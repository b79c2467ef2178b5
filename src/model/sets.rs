//! Small sets for access: a person holds a handful of dossiers and structures, and there are
//! tens of thousands of people. A `BTreeSet` node is about a kilobyte whatever it holds; these
//! are a byte (`DossierSet`) and a sorted `Vec` (`VecSet`). Iteration is in sorted order, so
//! output stays deterministic.

use super::Dossier;

/// A set of catalogue dossiers as a bit mask, iterated in catalogue order.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DossierSet(u8);

impl DossierSet {
    pub fn new() -> Self {
        DossierSet(0)
    }
    fn bit(d: Dossier) -> u8 {
        1 << (d as u8)
    }
    /// True when it was not there yet.
    pub fn insert(&mut self, d: Dossier) -> bool {
        let had = self.contains(d);
        self.0 |= Self::bit(d);
        !had
    }
    pub fn remove(&mut self, d: Dossier) -> bool {
        let had = self.contains(d);
        self.0 &= !Self::bit(d);
        had
    }
    pub fn contains(&self, d: Dossier) -> bool {
        self.0 & Self::bit(d) != 0
    }
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn iter(&self) -> impl Iterator<Item = Dossier> + '_ {
        Dossier::ALL.into_iter().filter(|d| self.contains(*d))
    }
    pub fn union(&self, other: &DossierSet) -> DossierSet {
        DossierSet(self.0 | other.0)
    }
    pub fn difference(&self, other: &DossierSet) -> DossierSet {
        DossierSet(self.0 & !other.0)
    }
}

impl FromIterator<Dossier> for DossierSet {
    fn from_iter<I: IntoIterator<Item = Dossier>>(iter: I) -> Self {
        let mut s = DossierSet::new();
        s.extend(iter);
        s
    }
}

impl Extend<Dossier> for DossierSet {
    fn extend<I: IntoIterator<Item = Dossier>>(&mut self, iter: I) {
        for d in iter {
            self.insert(d);
        }
    }
}

impl std::fmt::Debug for DossierSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A sorted, deduplicated `Vec` used as a set.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VecSet<T>(Vec<T>);

impl<T: Ord> VecSet<T> {
    pub fn new() -> Self {
        VecSet(Vec::new())
    }
    /// True when it was not there yet.
    pub fn insert(&mut self, v: T) -> bool {
        match self.0.binary_search(&v) {
            Ok(_) => false,
            Err(i) => {
                self.0.insert(i, v);
                true
            }
        }
    }
    pub fn contains(&self, v: &T) -> bool {
        self.0.binary_search(v).is_ok()
    }
    /// True when it was there.
    pub fn remove(&mut self, v: &T) -> bool {
        match self.0.binary_search(v) {
            Ok(i) => {
                self.0.remove(i);
                true
            }
            Err(_) => false,
        }
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T: Ord> Default for VecSet<T> {
    fn default() -> Self {
        VecSet(Vec::new())
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v: Vec<T> = iter.into_iter().collect();
        v.sort();
        v.dedup();
        VecSet(v)
    }
}

impl<T: Ord> Extend<T> for VecSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for v in iter {
            self.insert(v);
        }
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dossier_set_behaves_like_a_set_in_catalogue_order() {
        let mut s: DossierSet = [Dossier::Bilans, Dossier::MonEquipe].into_iter().collect();
        assert!(!s.insert(Dossier::Bilans));
        assert!(s.insert(Dossier::PreDemandes));
        assert_eq!(s.len(), 3);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![Dossier::MonEquipe, Dossier::PreDemandes, Dossier::Bilans]
        );
        assert!(s.remove(Dossier::MonEquipe));
        assert_eq!(
            s.difference(&[Dossier::Bilans].into_iter().collect()).len(),
            1
        );
    }

    #[test]
    fn vec_set_keeps_sorted_unique_values() {
        let mut s: VecSet<&str> = ["b", "a", "b"].into_iter().collect();
        assert_eq!(s.iter().copied().collect::<Vec<_>>(), ["a", "b"]);
        assert!(s.insert("c") && !s.insert("a"));
        assert!(s.contains(&"c"));
    }
}
