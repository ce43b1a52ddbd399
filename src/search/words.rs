//! The query words both rankers read, from one table (`words.tsv`): stock phrases of a
//! question's form (有什么区别, 为什么), which a query is cut at and which do not count as terms a
//! page must match, and common wrong spellings (沾包 → 粘包), replaced before searching. The
//! index writes them into `meta.json`, so the browser and `mianjing search` use the same table.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The table, as written in the source.
const TABLE: &str = include_str!("words.tsv");

/// Stock phrases and typos: `{"q":[phrase,…],"t":[[wrong,right],…]}` in `meta.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// `q`: phrases of the question's form.
    #[serde(rename = "q")]
    pub stock: Vec<String>,
    /// `t`: `(wrong, right)` pairs, replaced in this order.
    #[serde(rename = "t")]
    pub typos: Vec<(String, String)>,
}

impl Words {
    /// The table built into mianjing.
    pub fn builtin() -> Words {
        // The table is part of the source and a unit test parses it, so this cannot fail in a
        // released build; an empty table would only make search a little less forgiving.
        Words::parse(TABLE).unwrap_or_default()
    }

    /// Parses the table: `stock<TAB>phrase` and `typo<TAB>wrong<TAB>right` lines, `#` comments.
    pub fn parse(text: &str) -> Result<Words, String> {
        let mut words = Words::default();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            match cols.as_slice() {
                ["stock", phrase] if !phrase.is_empty() => words.stock.push(phrase.to_string()),
                ["typo", wrong, right] if !wrong.is_empty() && wrong != right => {
                    words.typos.push((wrong.to_string(), right.to_string()))
                }
                _ => {
                    return Err(format!(
                        "words.tsv line {}: {line:?} is neither `stock<TAB>phrase` nor `typo<TAB>wrong<TAB>right`",
                        n + 1
                    ))
                }
            }
        }
        Ok(words)
    }

    /// `text` with every wrong spelling replaced, in table order.
    pub fn fix_typos<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for (wrong, right) in &self.typos {
            if out.contains(wrong.as_str()) {
                out = Cow::Owned(out.replace(wrong.as_str(), right));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses() {
        let words = Words::parse(TABLE).unwrap();
        assert!(words.stock.iter().any(|p| p == "有什么区别"));
        assert_eq!(words.fix_typos("TCP 沾包"), "TCP 粘包");
        assert_eq!(Words::builtin(), words);
    }

    #[test]
    fn bad_lines_name_their_line() {
        let err = Words::parse("# c\nstock\t为什么\ntypo\t沾包\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
    }
}
