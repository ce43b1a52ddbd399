//! Heading ids (stable, unique on the page, Chinese kept) and the nested table of contents.

use serde::Serialize;
use std::collections::BTreeSet;

/// One heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    /// Heading level, 2–6.
    pub level: u8,
    /// The heading's id, the target of `#id`.
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// Deeper headings under this one.
    pub children: Vec<TocEntry>,
}

/// Makes a heading id from its text: lowercase, letters and digits of any script kept
/// (so 三次握手 stays readable), `_` kept, every other run of characters becomes `-`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            id.extend(c.to_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

/// Ids already used on a page; [`Ids::unique`] appends `-1`, `-2`, … to repeats.
#[derive(Debug, Default)]
pub struct Ids {
    used: BTreeSet<String>,
    /// Next suffix to try per wanted id, so many repeats of one heading stay linear.
    next: std::collections::BTreeMap<String, usize>,
}

impl Ids {
    /// Reserves `wanted` or the first free `wanted-N`.
    pub fn unique(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let n = self.next.entry(wanted.to_string()).or_insert(1);
        loop {
            let candidate = format!("{wanted}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// All ids reserved so far.
    pub fn into_set(self) -> BTreeSet<String> {
        self.used
    }
}

/// Nests a flat list of headings by level.
pub fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut root: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut root, entry);
    }
    root
}

fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if entry.level > last.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_chinese_and_are_unique() {
        assert_eq!(heading_id("三次握手的过程"), "三次握手的过程");
        assert_eq!(heading_id("TIME_WAIT 与 2MSL？"), "time_wait-与-2msl");
        assert_eq!(heading_id("？！"), "section");
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-1");
        assert_eq!(ids.unique("a"), "a-2");
    }

    #[test]
    fn nests_by_level() {
        let e = |level, id: &str| TocEntry {
            level,
            id: id.into(),
            title: id.into(),
            children: vec![],
        };
        let toc = nest(vec![
            e(2, "a"),
            e(3, "a1"),
            e(3, "a2"),
            e(2, "b"),
            e(4, "b1"),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "b1");
    }
}
