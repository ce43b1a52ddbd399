//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough, task lists, heading ids
//! with anchor links, a nested table of contents, class-based highlighting, the include shortcode
//! and `@/` links to other pages.

pub mod classes;
pub mod highlight;
pub mod include;
mod shortcodes;
pub mod toc;

use crate::content::{Page, Site};
use crate::error::{Diagnostic, Errors, Result};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
pub use toc::TocEntry;

/// What the Markdown stage needs besides the page: where the site is and how to link.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Site root; include paths are relative to it and may not leave it.
    pub root: &'a Path,
    /// The output folder a build replaces (absolute): includes may not read from it.
    pub output: Option<PathBuf>,
    /// Prefix of every site-internal URL (`""` or `/sub`).
    pub base_path: String,
    /// The accessible name of the `#` link next to each heading (`heading_link_label`).
    pub heading_link_label: String,
    /// `@/` link target (`tcp/handshake.md`) → URL path (`/tcp/handshake/`).
    pub urls: &'a BTreeMap<String, String>,
}

/// The text of a page split by role, for search and statistics.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    /// Heading texts, in order.
    pub headings: Vec<String>,
    /// Per heading (same order): where its section starts in `body` (a byte offset) and its
    /// id, so a search result can link to the heading above its snippet.
    pub anchors: Vec<(usize, String)>,
    /// Prose: paragraphs, lists, tables (no code, no headings).
    pub body: String,
    /// Code blocks.
    pub code: String,
}

/// A `#anchor` of an `@/` link, checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// Target page key, e.g. `tcp/handshake.md`.
    pub target: String,
    /// The anchor after `#`.
    pub anchor: String,
    /// Line of the link in the source file.
    pub line: usize,
}

/// One page's rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// The front matter's `answer`, as HTML.
    pub answer_html: Option<String>,
    /// Headings of levels 2 and 3, nested.
    pub toc: Vec<TocEntry>,
    /// Every id on the page (for `@/…#anchor` checks).
    pub ids: BTreeSet<String>,
    /// `@/` links with an anchor.
    pub anchor_refs: Vec<AnchorRef>,
    /// Text by role.
    pub text: PageText,
    /// Files the page includes, as written (relative to the site root), in order: an edit to
    /// one of them rebuilds exactly the pages that include it.
    pub includes: Vec<String>,
}

/// Han ideographs (CJK Unified Ideographs, Extension A, compatibility, supplementary planes):
/// what counts as Chinese text for reading time, prose length and search. Takes a `char` or a
/// code point (the search index decodes its own).
pub fn is_cjk(c: impl Into<u32>) -> bool {
    matches!(c.into(), 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2ffff)
}

/// Whether an explicit heading id is safe in an attribute and a URL fragment as written.
fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Every page's rendered Markdown, by page key.
pub type RenderedSite = BTreeMap<String, Rendered>;

/// Checks every `@/…#anchor` link of the rendered pages against the ids of its target.
pub fn check_anchors(site: &Site, rendered: &RenderedSite) -> Errors {
    let mut errors = Errors::default();
    for page in site.all_pages() {
        let Some(r) = rendered.get(&page.key) else {
            continue;
        };
        for anchor_ref in &r.anchor_refs {
            // A target that did not render has its own error already.
            let Some(target) = rendered.get(&anchor_ref.target) else {
                continue;
            };
            if !target.ids.contains(&anchor_ref.anchor) {
                errors.push(
                    Diagnostic::in_file(
                        &page.source,
                        format!("link to `@/{}#{}`: no such anchor on that page", anchor_ref.target, anchor_ref.anchor),
                    )
                    .line(anchor_ref.line)
                    .hint("use a heading id of the target page; give the heading an explicit id with `## Title {#my-id}`"),
                );
            }
        }
    }
    errors
}

/// Renders one page's body and answer.
pub fn render_page(page: &Page, ctx: &Context<'_>) -> Result<Rendered> {
    let mut rendered = render_markdown(&page.body, page.body_line, &page.source, ctx)?;
    if let Some(answer) = &page.meta.answer {
        let a = render_markdown(answer, 2, &page.source, ctx)?;
        rendered.text.body = format!("{}\n{}", a.text.body, rendered.text.body);
        let shift = a.text.body.len() + 1;
        for (at, _) in &mut rendered.text.anchors {
            *at += shift;
        }
        rendered.anchor_refs.extend(a.anchor_refs);
        rendered.includes.extend(a.includes);
        rendered.answer_html = Some(a.html);
    }
    Ok(rendered)
}

/// Marks where a shortcode's output goes; the private-use character keeps it from matching
/// anything an author writes.
pub(crate) const PLACEHOLDER: &str = "<!--\u{E000}shortcode:";

/// Renders Markdown whose first line is line `first_line` of `source`.
pub fn render_markdown(
    markdown: &str,
    first_line: usize,
    source: &Path,
    ctx: &Context<'_>,
) -> Result<Rendered> {
    let (text, figures, includes) =
        shortcodes::expand_shortcodes(markdown, first_line, source, ctx)?;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| first_line + line_starts.partition_point(|&s| s <= offset) - 1;

    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut errors = Errors::default();
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut ids = toc::Ids::default();
    let mut flat_toc = Vec::new();
    let mut page_text = PageText::default();
    let mut anchor_refs = Vec::new();
    // Open heading: level, explicit id, buffered inner events, plain text.
    let mut heading: Option<(u8, Option<String>, Vec<Event<'_>>, String)> = None;
    // Open fenced or indented code block: info string, code.
    let mut code: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let id = id.map(|i| i.to_string());
                if let Some(bad) = id.as_deref().filter(|i| !is_safe_id(i)) {
                    errors.push(
                        Diagnostic::in_file(source, format!("heading id `{}` has characters an id may not have", bad.escape_debug()))
                            .line(line_of(range.start))
                            .hint("explicit ids are made of letters, digits, `-` and `_`, e.g. `## 为什么 {#why-three}`"),
                    );
                }
                heading = Some((level as u8, id, Vec::new(), String::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, inner, plain)) = heading.take() {
                    let id = ids.unique(&explicit.unwrap_or_else(|| toc::heading_id(&plain)));
                    // Ids are checked above; escaping keeps any attribute safe regardless.
                    let attr = highlight::escape(&id);
                    out.push(Event::Html(format!("<h{level} id=\"{attr}\">").into()));
                    out.extend(inner);
                    out.push(Event::Html(
                        format!("<a class=\"heading-anchor\" href=\"#{attr}\" aria-label=\"{}\">#</a></h{level}>\n", highlight::escape(&ctx.heading_link_label)).into(),
                    ));
                    page_text.headings.push(plain.trim().to_string());
                    page_text.anchors.push((page_text.body.len(), id.clone()));
                    if level <= 3 {
                        flat_toc.push(TocEntry {
                            level,
                            id,
                            title: plain.trim().to_string(),
                            children: vec![],
                        });
                    }
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((info, String::new()));
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, body)) = code.take() {
                    page_text.code.push_str(&body);
                    out.push(Event::Html(code_figure(&info, &body).into()));
                }
                continue;
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&t);
                }
                continue;
            }
            Event::Html(ref h) if h.trim_start().starts_with(PLACEHOLDER) => {
                let n = h.trim()[PLACEHOLDER.len()..]
                    .trim_end_matches("-->")
                    .parse::<usize>();
                match n.ok().and_then(|n| figures.get(n)) {
                    Some((html, code_text)) => {
                        page_text.code.push_str(code_text);
                        Event::Html(html.clone().into())
                    }
                    None => event,
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_link(&dest_url, ctx, &mut anchor_refs, line_of(range.start))
                    .unwrap_or_else(|message| {
                        errors.push(
                            Diagnostic::in_file(source, message)
                                .line(line_of(range.start))
                                .hint("`@/` links name a file under content/, e.g. @/tcp/handshake.md or @/tcp/handshake.md#anchor"),
                        );
                        dest_url.to_string()
                    });
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = prefix_root_relative(&dest_url, &ctx.base_path);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                match heading.as_mut() {
                    Some((.., plain)) => plain.push_str(t),
                    None => page_text.body.push_str(t),
                }
                event
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                if heading.is_none() {
                    page_text.body.push('\n');
                }
                event
            }
            other => other,
        };
        match heading.as_mut() {
            Some((_, _, inner, _)) => inner.push(event),
            None => out.push(event),
        }
    }
    if !errors.is_empty() {
        return Err(errors.sorted());
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Ok(Rendered {
        html,
        answer_html: None,
        toc: toc::nest(flat_toc),
        ids: ids.into_set(),
        includes,
        anchor_refs,
        text: page_text,
    })
}

/// Rewrites `@/page.md#anchor` to the page's URL and root-relative links to include the base path.
fn resolve_link(
    dest: &CowStr<'_>,
    ctx: &Context<'_>,
    anchors: &mut Vec<AnchorRef>,
    line: usize,
) -> std::result::Result<String, String> {
    let Some(target) = dest.strip_prefix("@/") else {
        return Ok(prefix_root_relative(dest, &ctx.base_path));
    };
    let (key, anchor) = match target.split_once('#') {
        Some((k, a)) => (k, Some(a)),
        None => (target, None),
    };
    let path = ctx.urls.get(key).ok_or_else(|| {
        format!("link to `@/{key}`: no such page (content/{key} does not exist or is a draft)")
    })?;
    let mut url = format!("{}{}", ctx.base_path, path);
    if let Some(anchor) = anchor {
        anchors.push(AnchorRef {
            target: key.to_string(),
            anchor: anchor.to_string(),
            line,
        });
        url.push('#');
        url.push_str(anchor);
    }
    Ok(url)
}

fn prefix_root_relative(dest: &str, base_path: &str) -> String {
    if dest.starts_with('/') && !dest.starts_with("//") {
        format!("{base_path}{dest}")
    } else {
        dest.to_string()
    }
}

/// HTML for a fenced code block. Blocks marked as illustrations (`text`, or an info string with
/// the word `illustration`) say so in `data-code`, so tests can tell them from untested code.
fn code_figure(info: &str, code: &str) -> String {
    let mut words = info.split_whitespace();
    let lang = words.next().unwrap_or("").trim_start_matches('{');
    let illustration = lang == "text"
        || lang.is_empty()
        || info
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "illustration");
    let kind = if illustration {
        "illustration"
    } else {
        "inline"
    };
    figure(kind, lang, None, code)
}

/// What the caption of an included code block shows: the file it comes from and, when the page
/// gives one, the command a reader runs to see it work.
pub(crate) struct Caption<'a> {
    pub file: &'a str,
    pub run: Option<&'a str>,
}

/// The one HTML shape of every code block: a figure, an optional caption, highlighted code.
pub(crate) fn figure(kind: &str, lang: &str, caption: Option<Caption>, code: &str) -> String {
    let lang_attr = highlight::escape(lang);
    let (src, caption) = match caption {
        None => (String::new(), String::new()),
        Some(Caption { file, run }) => {
            let file = highlight::escape(file);
            // The command is its own <code> so a reader can select and copy exactly it.
            let run = run
                .map(|r| format!(" <code class=\"run\">{}</code>", highlight::escape(r)))
                .unwrap_or_default();
            (
                format!(" data-src=\"{file}\""),
                format!("<figcaption><span class=\"src\">{file}</span>{run}</figcaption>"),
            )
        }
    };
    format!(
        "<figure class=\"code\" data-code=\"{kind}\" data-lang=\"{lang_attr}\"{src}>{caption}<pre class=\"hl-code\"><code>{}</code></pre></figure>\n",
        highlight::highlight(code, lang)
    )
}
