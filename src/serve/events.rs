//! The event stream (`/__livereload`, server-sent events) every served page listens on: on
//! connect, the catch-up and the current state; then each build as the builder announces it.

use super::state::{catch_up, reload_data, Message, Shared};
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Where the injected client listens for reload and error messages.
pub(super) const EVENTS_PATH: &str = "/__livereload";

/// The event stream: catch-up and current state first, then every build as it happens.
pub(super) async fn live_events(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state: a build in between is then seen twice, never missed.
    let receiver = shared.events.subscribe();
    let since = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| since(uri.query()?));
    let mut first = Vec::new();
    let seen = {
        let site = shared.site();
        if let Some(data) = since.and_then(|since| catch_up(&site, &shared.instance, &since)) {
            first.push(reload_event(&shared.instance, site.generation, &data));
        }
        match &site.failure {
            Some(text) => first.push(Event::default().event("failed").data(&**text)),
            None if first.is_empty() => first.push(Event::default().comment("ready")),
            None => {}
        }
        site.generation
    };
    let instance = shared.instance.clone();
    let live = futures_util::stream::unfold(
        (receiver, seen, instance),
        |(mut receiver, mut seen, instance)| async move {
            loop {
                let event = match receiver.recv().await {
                    Ok(Message::Reload { generation, data }) => {
                        if generation <= seen {
                            continue;
                        }
                        seen = generation;
                        reload_event(&instance, generation, &data)
                    }
                    Ok(Message::Failed(text)) => Event::default().event("failed").data(&*text),
                    // Too slow a reader: it missed builds, so everything may have changed.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("reload").data(reload_data(None))
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                return Some((Ok(event), (receiver, seen, instance)));
            }
        },
    );
    let stream = futures_util::stream::iter(first.into_iter().map(Ok)).chain(live);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The `since=` parameter of a query string, decoded.
fn since(query: &str) -> Option<String> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))?;
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?;
    Some(value.into_owned())
}

fn reload_event(instance: &str, generation: u64, data: &str) -> Event {
    Event::default()
        .event("reload")
        .id(format!("{instance}.{generation}"))
        .data(data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_since_from_the_query() {
        assert_eq!(super::since("since=ab.3").as_deref(), Some("ab.3"));
        assert_eq!(super::since("x=1&since=a%2Eb.3").as_deref(), Some("a.b.3"));
        assert_eq!(super::since("x=1"), None);
    }
}
