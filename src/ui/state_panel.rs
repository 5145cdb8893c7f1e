use super::state::AppState;
use leptos::prelude::*;
use serde_json::Value;

/// The state at the cursor, one card per stream, and what the seek cost.
#[component]
pub fn StatePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let seek = Memo::new(move |_| {
        let position = state.cursor.get();
        state.session.with(|s| s.state_at(position))
    });
    let cost = move || {
        let replayed = seek.with(|(_, replayed)| *replayed);
        let interval = state.session.with(|s| s.snapshot_interval());
        let events = if replayed == 1 { "event" } else { "events" };
        format!("This view replayed {replayed} {events} on top of the nearest snapshot (one every {interval} events).")
    };
    view! {
        <section class="state-panel" role="region" aria-label="State">
            <h2>"State"</h2>
            <p class="replay-cost">{cost}</p>
            {move || {
                seek.with(|(value, _)| match value {
                    Value::Object(streams) if !streams.is_empty() => {
                        streams
                            .iter()
                            .map(|(name, stream)| {
                                view! {
                                    <article class="stream">
                                        <h3>{name.clone()}</h3>
                                        {value_view(stream)}
                                    </article>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                    _ => {
                        view! {
                            <p class="empty-state">
                                "No events applied yet: the state is empty. Move the timeline forward."
                            </p>
                        }
                            .into_any()
                    }
                })
            }}
        </section>
    }
}

fn value_view(value: &Value) -> AnyView {
    match value {
        Value::Object(fields) if fields.is_empty() => view! { <span class="empty">"(none)"</span> }.into_any(),
        Value::Object(fields) => view! {
            <dl>
                {fields
                    .iter()
                    .map(|(key, value)| view! { <dt>{key.clone()}</dt><dd>{value_view(value)}</dd> })
                    .collect_view()}
            </dl>
        }
        .into_any(),
        Value::Array(items) if items.is_empty() => view! { <span class="empty">"(none)"</span> }.into_any(),
        Value::Array(items) => view! {
            <ol class="array">{items.iter().map(|item| view! { <li>{value_view(item)}</li> }).collect_view()}</ol>
        }
        .into_any(),
        Value::String(text) => view! { <span class="string">{text.clone()}</span> }.into_any(),
        other => view! { <span class="scalar">{other.to_string()}</span> }.into_any(),
    }
}
