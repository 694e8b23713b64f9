//! Sparse weight vectors — `(id, weight)` pairs sorted by id — as the story stage and
//! claim agglomeration keep their centroids.

/// A sparse vector sorted by id, however it is stored.
pub trait Sparse {
    fn len(&self) -> usize;
    /// The `k`th entry (id, weight).
    fn at(&self, k: usize) -> (u32, f64);
}

impl Sparse for [(u32, f64)] {
    fn len(&self) -> usize {
        <[(u32, f64)]>::len(self)
    }

    fn at(&self, k: usize) -> (u32, f64) {
        self[k]
    }
}

/// Ids and `f32` weights in two arrays (8 bytes an entry instead of a pair's 16), read
/// as `f64`: the story profiles' form.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub ids: &'a [u32],
    pub weights: &'a [f32],
}

impl Sparse for Split<'_> {
    fn len(&self) -> usize {
        self.ids.len()
    }

    fn at(&self, k: usize) -> (u32, f64) {
        (self.ids[k], self.weights[k] as f64)
    }
}

/// The sum of two sparse vectors, kept to its `keep` heaviest entries (ties: the smaller
/// id), so a centroid stays bounded however many members it absorbs.
pub fn sum_heaviest<A, B>(a: &A, b: &B, keep: usize) -> Vec<(u32, f64)>
where
    A: Sparse + ?Sized,
    B: Sparse + ?Sized,
{
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a.at(i).0 < b.at(j).0) {
            out.push(a.at(i));
            i += 1;
        } else if i >= a.len() || b.at(j).0 < a.at(i).0 {
            out.push(b.at(j));
            j += 1;
        } else {
            let (x, y) = (a.at(i), b.at(j));
            out.push((x.0, x.1 + y.1));
            i += 1;
            j += 1;
        }
    }
    if out.len() > keep {
        out.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out.truncate(keep);
        out.sort_by_key(|x| x.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_by_id_and_keeps_the_heaviest_in_id_order() {
        let a = [(1, 1.0), (3, 0.5), (7, 0.125)];
        let b = [(3, 0.5), (5, 2.0)];
        assert_eq!(
            sum_heaviest(&a[..], &b[..], 10),
            [(1, 1.0), (3, 1.0), (5, 2.0), (7, 0.125)]
        );
        // Ties (ids 1 and 3, both 1.0) keep the smaller id.
        assert_eq!(sum_heaviest(&a[..], &b[..], 2), [(1, 1.0), (5, 2.0)]);
        // The split form sums the same.
        // (Weights an `f32` holds exactly.)
        let (ids, weights): (Vec<u32>, Vec<f32>) = a.iter().map(|&(t, w)| (t, w as f32)).unzip();
        let split = Split {
            ids: &ids,
            weights: &weights,
        };
        assert_eq!(
            sum_heaviest(&split, &b[..], 2),
            sum_heaviest(&a[..], &b[..], 2)
        );
    }
}
