//! Scoring: merges the counted runs ([`super::count`]) into one sorted term list and turns each
//! page's frequencies into an impact, BM25-style and quantized to an integer at build time, so
//! the browser and the `search` command only add integers.

use super::count::Chunk;
use super::{BODY, FIELDS};
use rayon::prelude::*;

/// Field weights, times two: title > also_asked > tags > headings > description > body > code.
pub(super) const WEIGHTS: Weights = Weights {
    title: 20,
    also_asked: 12,
    tags: 10,
    headings: 8,
    description: 6,
    body: 2,
    code: 1,
};

/// Weight of each field, times two.
#[derive(Debug, Clone, Copy)]
pub(super) struct Weights {
    /// Page title.
    pub(super) title: u32,
    /// Other phrasings of the question.
    pub(super) also_asked: u32,
    /// Tags.
    pub(super) tags: u32,
    /// Headings.
    pub(super) headings: u32,
    /// One-sentence description.
    pub(super) description: u32,
    /// Prose, including the short answer.
    pub(super) body: u32,
    /// Code blocks.
    pub(super) code: u32,
}

impl Weights {
    /// The weights by field number ([`super::DocView::fields`]).
    fn by_field(self) -> [u32; FIELDS] {
        [
            self.title,
            self.also_asked,
            self.tags,
            self.headings,
            self.description,
            self.body,
            self.code,
        ]
    }
}

/// The first eight bytes of `term`, big-endian, padded with zeros: ordering by it agrees with
/// ordering by the bytes wherever it differs (a term holds no zero byte).
fn prefix(term: &str) -> u64 {
    let mut bytes = [0; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// Every term of the site with where its postings are.
pub(super) struct Merged<'c> {
    chunks: &'c [Chunk],
    /// Terms, sorted.
    pub(super) terms: Vec<&'c str>,
    /// Term → its (chunk, local id) pairs in `parts`, from `starts[t]` to `starts[t + 1]`.
    starts: Vec<usize>,
    parts: Vec<(u32, u32)>,
    df: Vec<u32>,
    body_norm: Vec<f64>,
    n: f64,
}

impl<'c> Merged<'c> {
    /// Merges runs counted in page order.
    pub(super) fn new(chunks: &'c [Chunk]) -> Self {
        // Sorted by the term's first eight bytes as a number first (the same order as the
        // bytes', and no call to compare strings for most pairs), then by the term, chunk, id.
        let mut all: Vec<(u64, &str, u32, u32)> = chunks
            .iter()
            .enumerate()
            .flat_map(|(c, chunk)| {
                chunk
                    .terms
                    .iter()
                    .enumerate()
                    .map(move |(l, t)| (prefix(t), t.as_str(), c as u32, l as u32))
            })
            .collect();
        all.par_sort_unstable();
        let mut terms = Vec::new();
        let mut starts = Vec::new();
        let mut df = Vec::new();
        let mut parts = Vec::with_capacity(all.len());
        for (i, &(_, term, c, l)) in all.iter().enumerate() {
            if i == 0 || all[i - 1].1 != term {
                terms.push(term);
                starts.push(parts.len());
                df.push(0);
            }
            parts.push((c, l));
            *df.last_mut().expect("pushed above") += chunks[c as usize].df[l as usize];
        }
        starts.push(parts.len());
        let body_lens: Vec<u32> = chunks
            .iter()
            .flat_map(|c| c.body_lens.iter().copied())
            .collect();
        let n = body_lens.len().max(1) as f64;
        let avg_body = (body_lens.iter().map(|&b| b as usize).sum::<usize>() as f64 / n).max(1.0);
        let body_norm = body_lens
            .iter()
            .map(|&b| 0.25 + 0.75 * b as f64 / avg_body)
            .collect();
        Merged {
            chunks,
            terms,
            starts,
            parts,
            df,
            body_norm,
            n,
        }
    }

    /// Hands `emit` each page of term `t` with its impact, in page order.
    pub(super) fn postings(&self, t: usize, mut emit: impl FnMut(u32, u32)) {
        let weights = WEIGHTS.by_field();
        let df = f64::from(self.df[t]);
        let idf = (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln();
        for &(c, l) in &self.parts[self.starts[t]..self.starts[t + 1]] {
            self.chunks[c as usize].each_posting(l as usize, |doc, tf| {
                let body_norm = self.body_norm[doc as usize];
                let mut raw = 0.0;
                for f in 0..FIELDS {
                    if tf[f] == 0 {
                        continue;
                    }
                    let norm = if f == BODY { body_norm } else { 1.0 };
                    let t = f64::from(tf[f]);
                    raw += f64::from(weights[f]) / 2.0 * (t * 2.2 / (t + 1.2 * norm));
                }
                emit(doc, impact(10.0 * idf * raw));
            });
        }
    }
}

/// A positive score as an integer impact from 1 to 65,535: rounded half away from zero, as
/// `f64::round` does (which x86-64's baseline makes a call to libm, for every posting).
fn impact(score: f64) -> u32 {
    let x = score.min(65535.0);
    let whole = x as u32; // towards zero
    (whole + u32::from(x - f64::from(whole) >= 0.5)).max(1)
}

#[cfg(test)]
mod tests {
    use super::super::tests::page;
    use super::super::DocView;
    use super::*;

    fn chunks(docs: &[DocView<'_>], per_run: usize) -> Vec<Chunk> {
        super::super::count_pages(docs, per_run, crate::search::NEVER).unwrap()
    }

    fn impacts(merged: &Merged<'_>, term: &str) -> Vec<(u32, u32)> {
        let t = merged.terms.iter().position(|x| *x == term).unwrap();
        let mut out = Vec::new();
        merged.postings(t, |doc, impact| out.push((doc, impact)));
        out
    }

    #[test]
    fn titles_outweigh_bodies_and_rare_terms_outweigh_common_ones() {
        let pages = [
            page("epoll", "select poll", ""),
            page("select", "epoll poll", ""),
            page("kqueue", "poll", ""),
        ];
        let chunks = chunks(&pages, 2);
        let merged = Merged::new(&chunks);
        assert!(merged.terms.windows(2).all(|w| w[0] < w[1]));
        let epoll = impacts(&merged, "epoll");
        assert_eq!(epoll.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(epoll[0].1 > epoll[1].1, "{epoll:?}");
        let poll = impacts(&merged, "poll");
        assert_eq!(poll.len(), 3);
        assert!(
            poll.iter().all(|p| p.1 >= 1 && p.1 < epoll[1].1),
            "{poll:?}"
        );
    }

    #[test]
    fn impacts_round_as_f64_round_does_within_their_range() {
        let near_halves = (0..2000).flat_map(|n| {
            let half = f64::from(n) + 0.5;
            [half, half.next_down(), half.next_up(), f64::from(n)]
        });
        for x in near_halves.chain([0.0, 1e-300, 0.49999999999999994, 65534.5, 65535.4, 1e9]) {
            assert_eq!(impact(x), x.round().clamp(1.0, 65535.0) as u32, "{x:e}");
        }
    }

    #[test]
    fn runs_merge_to_what_one_run_gives() {
        let pages = [
            page("a", "tcp udp", ""),
            page("b", "udp", "tcp"),
            page("c", "ip tcp", ""),
        ];
        let (one, three) = (chunks(&pages, 3), chunks(&pages, 1));
        let (one, three) = (Merged::new(&one), Merged::new(&three));
        assert_eq!(one.terms, three.terms);
        for term in ["tcp", "udp", "ip"] {
            assert_eq!(impacts(&one, term), impacts(&three, term), "{term}");
        }
    }
}
