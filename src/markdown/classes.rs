//! The short highlight classes: which scope atoms can matter to the generated themes, the fixed
//! code each gets (see the `highlight` module docs), and the two stylesheets rewritten to them.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::LazyLock;
use syntect::html::{css_for_theme_with_class_style, ClassStyle};
use syntect::parsing::Scope;

/// How syntect names classes in the stylesheets it generates (rewritten to the short codes).
pub(super) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The class of the highlighted `pre`, kept as it is.
pub(super) const CODE_CLASS: &str = "code";

/// Atoms that get the one-letter codes, most frequent in code first.
pub const COMMON: &[&str] = &[
    "punctuation",
    "definition",
    "keyword",
    "operator",
    "storage",
    "type",
    "string",
    "entity",
    "name",
    "function",
    "constant",
    "numeric",
    "comment",
    "support",
    "variable",
    "meta",
    "quoted",
    "begin",
    "end",
    "control",
    "modifier",
    "language",
    "other",
    "parameter",
    "source",
    "class",
];

/// The two generated stylesheets with syntect's long classes, `(light, dark)`.
pub(super) fn long_theme_css() -> (String, String) {
    let themes = two_face::theme::extra();
    let css = |name| {
        css_for_theme_with_class_style(themes.get(name), CLASS_STYLE)
            .expect("the embedded themes produce CSS")
    };
    (
        css(two_face::theme::EmbeddedThemeName::InspiredGithub),
        css(two_face::theme::EmbeddedThemeName::OneHalfDark),
    )
}

/// Calls `f` with each `.hl-` class name (without the prefix) of `css`, in order, and with the
/// byte range of the whole `.hl-name` token.
pub(super) fn for_each_class(css: &str, mut f: impl FnMut(std::ops::Range<usize>, &str)) {
    let bytes = css.as_bytes();
    let mut i = 0;
    while let Some(at) = css[i..].find(".hl-") {
        let start = i + at;
        let name_start = start + 4;
        let mut end = name_start;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b'_'))
        {
            end += 1;
        }
        f(start..end, &css[name_start..end]);
        i = end;
    }
}

/// The short-class table: atom codes and the compounds of both themes.
pub(super) struct Classes {
    /// Atom → its short code.
    pub(super) codes: HashMap<String, String>,
    /// Class sets of the selectors' compound parts (without `code`).
    pub(super) compounds: Vec<Vec<String>>,
    /// The two generated stylesheets with syntect's long classes, `(light, dark)`.
    pub(super) long_css: (String, String),
}

/// The n-th short code (0-based): `A`…`Z`, `Aa`…`Zz`, `Aaa`….
pub(super) fn code_name(n: usize) -> String {
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    if n < 26 {
        return (UPPER[n] as char).to_string();
    }
    let n = n - 26;
    if n < 26 * 26 {
        return format!("{}{}", UPPER[n / 26] as char, LOWER[n % 26] as char);
    }
    let n = n - 26 * 26;
    format!(
        "{}{}{}",
        UPPER[(n / 676) % 26] as char,
        LOWER[(n / 26) % 26] as char,
        LOWER[n % 26] as char
    )
}

pub(super) static CLASSES: LazyLock<Classes> = LazyLock::new(|| {
    let long_css = long_theme_css();
    let mut atoms = BTreeSet::new();
    let mut compounds = BTreeSet::new();
    for css in [&long_css.0, &long_css.1] {
        // A compound is a run of `.hl-x` tokens with nothing between them.
        let mut current: Vec<String> = Vec::new();
        let mut last_end = usize::MAX;
        let mut flush = |current: &mut Vec<String>| {
            current.retain(|a| a != CODE_CLASS);
            if !current.is_empty() {
                let mut set = std::mem::take(current);
                set.sort();
                set.dedup();
                compounds.insert(set);
            }
            current.clear();
        };
        for_each_class(css, |range, name| {
            if range.start != last_end {
                flush(&mut current);
            }
            last_end = range.end;
            if name != CODE_CLASS {
                atoms.insert(name.to_string());
            }
            current.push(name.to_string());
        });
        flush(&mut current);
    }
    let ordered = COMMON
        .iter()
        .map(|a| a.to_string())
        .filter(|a| atoms.contains(a))
        .chain(
            atoms
                .iter()
                .filter(|a| !COMMON.contains(&a.as_str()))
                .cloned(),
        );
    let codes = ordered
        .enumerate()
        .map(|(n, atom)| (atom, code_name(n)))
        .collect();
    Classes {
        codes,
        compounds: compounds.into_iter().collect(),
        long_css,
    }
});

/// The fixed map from scope atom to short class, in code order.
pub fn class_map() -> Vec<(String, String)> {
    let mut map: Vec<_> = CLASSES
        .codes
        .iter()
        .map(|(atom, code)| (atom.clone(), code.clone()))
        .collect();
    map.sort_by_key(|(_, code)| (code.len(), code.clone()));
    map
}

/// The short classes of a span for `scope`, or `None` when no selector can match it.
pub(super) fn classes_for(scope: Scope) -> Option<Rc<str>> {
    thread_local! {
        static CACHE: RefCell<HashMap<Scope, Option<Rc<str>>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        cache
            .borrow_mut()
            .entry(scope)
            .or_insert_with(|| {
                let name = scope.build_string();
                let atoms: Vec<&str> = name.split('.').collect();
                let table = &*CLASSES;
                let keep: BTreeSet<&str> = table
                    .compounds
                    .iter()
                    .filter(|c| c.iter().all(|a| atoms.contains(&a.as_str())))
                    .flat_map(|c| c.iter().map(String::as_str))
                    .collect();
                let mut seen = BTreeSet::new();
                let codes: Vec<&str> = atoms
                    .iter()
                    .filter(|a| keep.contains(*a) && seen.insert(**a))
                    .filter_map(|a| table.codes.get(*a).map(String::as_str))
                    .collect();
                (!codes.is_empty()).then(|| Rc::from(codes.join(" ")))
            })
            .clone()
    })
}

/// Rewrites syntect's `.hl-atom` classes in a stylesheet to the short codes.
pub(super) fn shorten_css(css: &str) -> String {
    let table = &*CLASSES;
    let mut out = String::with_capacity(css.len());
    out.push_str("/* classes: ");
    for (i, (atom, code)) in class_map().iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(code);
        out.push('=');
        out.push_str(atom);
    }
    out.push_str(" */\n");
    let mut at = 0;
    for_each_class(css, |range, name| {
        out.push_str(&css[at..range.start]);
        out.push('.');
        match table.codes.get(name) {
            Some(code) => out.push_str(code),
            None => {
                out.push_str("hl-");
                out.push_str(name);
            }
        }
        at = range.end;
    });
    out.push_str(&css[at..]);
    out
}

/// The two highlight stylesheets: `(light, dark)`.
pub fn theme_css() -> (String, String) {
    let (light, dark) = &CLASSES.long_css;
    (shorten_css(light), shorten_css(dark))
}
