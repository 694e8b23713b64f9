//! Sparse weight vectors — `(id, weight)` pairs sorted by id — as the story stage and
//! claim agglomeration keep their centroids.

/// The sum of two sparse vectors, kept to its `keep` heaviest entries (ties: the smaller
/// id), so a centroid stays bounded however many members it absorbs.
pub fn sum_heaviest(a: &[(u32, f64)], b: &[(u32, f64)], keep: usize) -> Vec<(u32, f64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
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
        let a = [(1, 1.0), (3, 0.5), (7, 0.1)];
        let b = [(3, 0.5), (5, 2.0)];
        assert_eq!(
            sum_heaviest(&a, &b, 10),
            [(1, 1.0), (3, 1.0), (5, 2.0), (7, 0.1)]
        );
        // Ties (ids 1 and 3, both 1.0) keep the smaller id.
        assert_eq!(sum_heaviest(&a, &b, 2), [(1, 1.0), (5, 2.0)]);
    }
}
