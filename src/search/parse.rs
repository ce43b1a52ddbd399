//! Parsing what a reader types, exactly as `static/js/search.js` does: the terms of
//! [`super::tokenize`], with the query's own rules on top. Stock phrases of the question's form
//! ([`super::words`]) are cut out and only add to the score; a lone character between other terms
//! only adds to the score; the last ASCII part is a prefix while the reader is still typing it.

use super::tokenize::{
    bigrams, is_compound, is_connector, is_word, normalize, parts, segments, Segment,
};

/// One term the query looks up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The term.
    pub term: String,
    /// Also matches index terms that start with it (the reader is still typing it, or it is a
    /// single CJK character).
    pub prefix: bool,
    /// ASCII part of four or more letters: falls back to index terms one edit away.
    pub fuzzy: bool,
}

/// A parsed query: clauses (each counts towards coverage), bonus terms (add to the score only),
/// and CJK runs of three or more characters (whose index words add to the score).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Terms that each count as one matched clause.
    pub clauses: Vec<QueryTerm>,
    /// Whole compound tokens.
    pub bonus: Vec<QueryTerm>,
    /// CJK runs of three or more characters, looked up for index words.
    pub runs: Vec<String>,
    /// Strings to highlight in titles and snippets.
    pub marks: Vec<String>,
    /// The query's words, stock phrases and lone characters left out: CJK pieces and whole
    /// ASCII tokens. A page whose title has them all ranks first.
    pub words: Vec<String>,
}

/// Parses a query exactly as `search.js` does, with no stock phrases.
pub fn parse_query(text: &str) -> Query {
    parse_query_with(text, &[])
}

/// A piece of a query: a segment, or a stock phrase cut out of a CJK run.
enum Piece<'a> {
    Cjk(&'a str),
    Ascii(&'a str),
    Stock(&'a str),
}

/// Cuts the stock phrases out of a CJK run: at each position the longest phrase that starts
/// there, left to right.
fn cut_stock<'a>(run: &'a str, stock: &'a [String], out: &mut Vec<Piece<'a>>) {
    let (mut start, mut i) = (0, 0);
    while let Some(c) = run[i..].chars().next() {
        let found = stock
            .iter()
            .filter(|p| !p.is_empty() && run[i..].starts_with(p.as_str()))
            .fold(None::<&String>, |best, p| match best {
                Some(b) if b.chars().count() >= p.chars().count() => Some(b),
                _ => Some(p),
            });
        match found {
            Some(p) => {
                if start < i {
                    out.push(Piece::Cjk(&run[start..i]));
                }
                out.push(Piece::Stock(p));
                i += p.len();
                start = i;
            }
            None => i += c.len_utf8(),
        }
    }
    if start < run.len() {
        out.push(Piece::Cjk(&run[start..]));
    }
}

/// Parses a query exactly as `search.js` does: CJK runs are cut at the `stock` phrases
/// ([`super::words::Words::stock`]), whose bigrams then only add to the score. A query made of
/// stock phrases alone is parsed without cutting.
pub fn parse_query_with(text: &str, stock: &[String]) -> Query {
    let segments = segments(text);
    let mut pieces = Vec::new();
    for segment in &segments {
        match segment {
            Segment::Cjk(run) => cut_stock(run, stock, &mut pieces),
            Segment::Ascii(token) => pieces.push(Piece::Ascii(token)),
        }
    }
    // The last ASCII token is still being typed unless the query ends with a separator.
    let open = text
        .chars()
        .last()
        .map(normalize)
        .is_some_and(|c| is_word(c) || is_connector(c));
    let mut q = Query::default();
    let n = pieces.len();
    let push = |list: &mut Vec<QueryTerm>, t: QueryTerm| {
        if !list.iter().any(|x| x.term == t.term) {
            list.push(t);
        } else if let Some(x) = list.iter_mut().find(|x| x.term == t.term) {
            x.prefix |= t.prefix;
        }
    };
    let plain = |term: String| QueryTerm {
        term,
        prefix: false,
        fuzzy: false,
    };
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == n;
        match *piece {
            Piece::Stock(phrase) => {
                for term in bigrams(phrase) {
                    push(&mut q.bonus, plain(term));
                }
            }
            Piece::Cjk(run) => {
                let single = run.chars().nth(1).is_none();
                if single && n > 1 {
                    // A lone character between other terms (和, 的, 与) only adds to the score.
                    push(&mut q.bonus, plain(run.to_string()));
                } else {
                    q.words.push(run.to_string());
                }
                for term in bigrams(run).into_iter().filter(|_| !single || n == 1) {
                    push(
                        &mut q.clauses,
                        QueryTerm {
                            term,
                            prefix: single,
                            fuzzy: false,
                        },
                    );
                }
                if run.chars().nth(2).is_some() && !q.runs.iter().any(|r| r == run) {
                    q.runs.push(run.to_string());
                }
                if !q.marks.iter().any(|m| m == run) {
                    q.marks.push(run.to_string());
                }
            }
            Piece::Ascii(token) => {
                q.words.push(token.to_string());
                let ps = parts(token);
                let k = ps.len();
                for (j, part) in ps.into_iter().enumerate() {
                    let len = part.len();
                    push(
                        &mut q.clauses,
                        QueryTerm {
                            prefix: last && open && j + 1 == k && len >= 2,
                            fuzzy: len >= 4,
                            term: part.clone(),
                        },
                    );
                    if !q.marks.contains(&part) {
                        q.marks.push(part);
                    }
                }
                if is_compound(token) {
                    push(
                        &mut q.bonus,
                        QueryTerm {
                            term: token.to_string(),
                            prefix: last && open,
                            fuzzy: false,
                        },
                    );
                }
            }
        }
    }
    if q.clauses.is_empty() && !stock.is_empty() {
        return parse_query(text);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &Query) -> Vec<&str> {
        q.clauses.iter().map(|t| t.term.as_str()).collect()
    }

    #[test]
    fn mixed_text_keeps_english_terms_whole() {
        assert_eq!(terms(&parse_query("Rust 所有权")), ["rust", "所有", "有权"]);
        assert_eq!(terms(&parse_query("HashMap扩容")), ["hashmap", "扩容"]);
        assert_eq!(terms(&parse_query("TCP 粘包")), ["tcp", "粘包"]);
        assert_eq!(terms(&parse_query("TCP粘包")), ["tcp", "粘包"]);
    }

    #[test]
    fn last_ascii_part_is_a_prefix_while_typing() {
        let q = parse_query("epol");
        assert!(q.clauses[0].prefix);
        assert!(!parse_query("epol ").clauses[0].prefix);
        let q = parse_query("TCP ep");
        assert!(!q.clauses[0].prefix && q.clauses[1].prefix);
    }
}
