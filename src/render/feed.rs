//! The files that list pages for machines: the sitemap (with each page's last change) and the
//! Atom feed of the questions changed last. Both depend only on the sources and their git
//! history, so they are the same for every build of a commit.

use crate::config::Config;
use crate::content::{Page, Site};
use crate::history::{History, Updated};
use crate::markdown::highlight::escape;
use crate::markdown::RenderedSite;

/// Where the feed is written, relative to the output root.
pub const ATOM_PATH: &str = "atom.xml";

/// How many questions the feed lists.
pub const ATOM_ENTRIES: usize = 20;

/// When `page` last changed, from its source and the files it includes.
fn updated<'a>(page: &Page, rendered: &RenderedSite, history: &'a History) -> Option<&'a Updated> {
    let includes = rendered.get(&page.key).map_or(&[][..], |r| &r.includes);
    history.page(&page.source, includes)
}

/// `sitemap.xml`: every page, with `lastmod` when its last change is known.
pub(super) fn sitemap(
    config: &Config,
    site: &Site,
    rendered: &RenderedSite,
    history: &History,
) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for page in site.all_pages() {
        let loc = escape(&format!("{}{}", config.absolute_base(), page.path));
        match updated(page, rendered, history) {
            Some(u) => xml.push_str(&format!(
                "  <url><loc>{loc}</loc><lastmod>{}</lastmod></url>\n",
                u.datetime
            )),
            None => xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n")),
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `atom.xml`: the [`ATOM_ENTRIES`] questions changed last (ties by source key), or `None`
/// when the build has no history to date them by.
pub(super) fn atom(
    config: &Config,
    site: &Site,
    rendered: &RenderedSite,
    history: &History,
) -> Option<String> {
    let latest = history.latest()?;
    let mut dated: Vec<(&Updated, &Page)> = site
        .pages
        .iter()
        .filter_map(|p| Some((updated(p, rendered, history)?, p)))
        .collect();
    dated.sort_by(|(a, p), (b, q)| b.cmp(a).then_with(|| p.key.cmp(&q.key)));
    dated.truncate(ATOM_ENTRIES);
    let base = config.absolute_base();
    let feed_updated = dated.first().map_or(latest, |(u, _)| u);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let home = escape(&format!("{base}/"));
    for line in [
        format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            escape(&config.language)
        ),
        format!("  <title>{}</title>", escape(&config.title)),
        format!("  <subtitle>{}</subtitle>", escape(&config.description)),
        format!("  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>"),
        format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/{ATOM_PATH}\"/>",
            escape(&base)
        ),
        format!("  <id>{home}</id>"),
        format!("  <updated>{}</updated>", feed_updated.datetime),
        format!("  <author><name>{}</name></author>", escape(&config.author)),
    ] {
        xml.push_str(&line);
        xml.push('\n');
    }
    for (u, page) in dated {
        let url = escape(&format!("{base}{}", page.path));
        for line in [
            "  <entry>".to_string(),
            format!("    <title>{}</title>", escape(&page.meta.title)),
            format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>"),
            format!("    <id>{url}</id>"),
            format!("    <updated>{}</updated>", u.datetime),
            format!("    <summary>{}</summary>", escape(&page.meta.description)),
            "  </entry>".to_string(),
        ] {
            xml.push_str(&line);
            xml.push('\n');
        }
    }
    xml.push_str("</feed>\n");
    Some(xml)
}
