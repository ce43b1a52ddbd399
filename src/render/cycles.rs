//! Include, import and macro cycles among the templates, found before Tera renders (Tera
//! follows them without a depth limit, so a cycle would overflow the stack and abort).

use crate::error::{Diagnostic, Errors, Result};
use std::path::Path;

/// A reference from one template to another, or from a macro to a macro.
struct Edge {
    from: String,
    to: String,
    line: usize,
}

/// Tera follows `include`, `extends` and macro calls without a depth limit, so a cycle among
/// them overflows the stack and aborts the process. They are found here, before rendering, by
/// reading the tags: a template that includes, extends or imports itself (directly or through
/// others), or a macro that calls itself (likewise). Recursive macros are refused even when
/// they would end: the generator cannot tell the two apart, and no template of a site needs one.
pub(super) fn check_cycles(sources: &[(String, String)]) -> Result<()> {
    let mut template_edges = Vec::new();
    let mut macro_edges = Vec::new();
    for (name, text) in sources {
        let mut imports: Vec<(String, String)> = Vec::new();
        let mut current_macro: Option<String> = None;
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            // The line in order: the text before each tag (where macro calls are), then the tag.
            for (before, tag) in tags(line) {
                if let Some(from) = &current_macro {
                    for (namespace, called) in macro_calls(before) {
                        let file = if namespace == "self" {
                            Some(name.clone())
                        } else {
                            imports
                                .iter()
                                .find(|(alias, _)| *alias == namespace)
                                .map(|(_, file)| file.clone())
                        };
                        if let Some(file) = file {
                            macro_edges.push((
                                name.clone(),
                                Edge {
                                    from: from.clone(),
                                    to: format!("{file}::{called}"),
                                    line: line_no,
                                },
                            ));
                        }
                    }
                }
                let Some(tag) = tag else { continue };
                let mut words = tag.split_whitespace();
                match words.next() {
                    Some("include") | Some("extends") => {
                        for target in quoted(tag) {
                            template_edges.push(Edge {
                                from: name.clone(),
                                to: target,
                                line: line_no,
                            });
                        }
                    }
                    Some("import") => {
                        let targets = quoted(tag);
                        if let (Some(target), Some(alias)) =
                            (targets.first(), tag.rsplit(" as ").next())
                        {
                            imports.push((alias.trim().to_string(), target.clone()));
                            template_edges.push(Edge {
                                from: name.clone(),
                                to: target.clone(),
                                line: line_no,
                            });
                        }
                    }
                    Some("macro") => {
                        let rest = tag["macro".len()..].trim_start();
                        let id = rest.split('(').next().unwrap_or("").trim();
                        current_macro = Some(format!("{name}::{id}"));
                    }
                    Some("endmacro") => current_macro = None,
                    _ => {}
                }
            }
        }
    }
    let mut errors = Errors::default();
    let template_edges: Vec<(String, Edge)> = template_edges
        .into_iter()
        .map(|e| (e.from.clone(), e))
        .collect();
    for (what, edges) in [("template", &template_edges), ("macro", &macro_edges)] {
        if let Some((file, edge, path)) = find_cycle(edges) {
            errors.push(
                Diagnostic::in_file(
                    Path::new("templates").join(file),
                    format!("{what} cycle: {}", path.join(" → ")),
                )
                .line(edge.line)
                .hint(if what == "macro" {
                    "a macro may not call itself, directly or through other macros: rendering it would never end"
                } else {
                    "a template may not include, import or extend itself, directly or through others"
                }),
            );
        }
    }
    errors.into_result(())
}

/// The first cycle in the graph (in source order): the file and edge that closes it, and the
/// nodes along it.
fn find_cycle(edges: &[(String, Edge)]) -> Option<(&str, &Edge, Vec<String>)> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut out: BTreeMap<&str, Vec<&(String, Edge)>> = BTreeMap::new();
    for e in edges {
        out.entry(e.1.from.as_str()).or_default().push(e);
    }
    // Iterative depth-first search from every node, keeping the path of edges.
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in out.keys().copied().collect::<Vec<_>>() {
        if done.contains(start) {
            continue;
        }
        let mut path: Vec<&(String, Edge)> = Vec::new();
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some((node, next)) = stack.pop() {
            let children = out.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if next < children.len() {
                stack.push((node, next + 1));
                let edge = children[next];
                let to = edge.1.to.as_str();
                if let Some(pos) = stack.iter().position(|(n, _)| *n == to) {
                    let mut nodes: Vec<String> =
                        stack[pos..].iter().map(|(n, _)| n.to_string()).collect();
                    nodes.push(to.to_string());
                    return Some((edge.0.as_str(), &edge.1, nodes));
                }
                if !done.contains(to) {
                    path.push(edge);
                    stack.push((to, 0));
                }
            } else {
                done.insert(node);
                path.pop();
            }
        }
    }
    None
}

/// A line cut at its `{% … %}` tags: the text before each tag and the tag's inside (without
/// whitespace-control dashes); the last piece is the text after the last tag, with no tag.
fn tags(line: &str) -> Vec<(&str, Option<&str>)> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("%}") else { break };
        found.push((&rest[..start], Some(after[..end].trim_matches('-').trim())));
        rest = &after[end + 2..];
    }
    found.push((rest, None));
    found
}

/// The string literals of a tag: `include "a.html"` or `include ["a.html", "b.html"]`.
fn quoted(tag: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = tag.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' || c == '`' {
            if let Some(len) = tag[i + 1..].find(c) {
                found.push(tag[i + 1..i + 1 + len].to_string());
                for _ in 0..=len {
                    chars.next();
                }
            }
        }
    }
    found
}

/// `namespace::name(` calls on a line.
fn macro_calls(line: &str) -> Vec<(String, String)> {
    let mut calls = Vec::new();
    for (i, _) in line.match_indices("::") {
        let before = &line[..i];
        let namespace: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &line[i + 2..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !namespace.is_empty() && !name.is_empty() && after[name.len()..].starts_with('(') {
            calls.push((namespace, name));
        }
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn include_cycles_are_found_with_their_line() {
        let e = check_cycles(&sources(&[
            ("a.html", "x\n{% include \"b.html\" %}"),
            ("b.html", "{%- include \"a.html\" -%}"),
        ]))
        .unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.0[0].message.contains("a.html → b.html → a.html"), "{e}");
        assert_eq!(e.0[0].line, Some(1));
        assert!(check_cycles(&sources(&[("a.html", "{% include \"a.html\" %}")])).is_err());
        assert!(check_cycles(&sources(&[
            ("a.html", "{% include \"b.html\" %}{% include \"b.html\" %}"),
            ("b.html", "leaf"),
        ]))
        .is_ok());
    }

    #[test]
    fn recursive_macros_are_found_through_imports() {
        let direct = "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}";
        assert!(check_cycles(&sources(&[("m.html", direct)])).is_err());
        let through = sources(&[
            (
                "m.html",
                "{% import \"n.html\" as n %}\n{% macro f() %}\n{{ n::g() }}\n{% endmacro %}",
            ),
            (
                "n.html",
                "{% import \"m.html\" as m %}{% macro g() %}{{ m::f() }}{% endmacro %}",
            ),
        ]);
        // The import cycle is reported too; either way the build stops before rendering.
        let e = check_cycles(&through).unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("macro cycle")), "{e}");
        let fine = "{% macro f() %}x{% endmacro %}{% macro g() %}{{ self::f() }}{% endmacro %}";
        assert!(check_cycles(&sources(&[("m.html", fine)])).is_ok());
    }
}
