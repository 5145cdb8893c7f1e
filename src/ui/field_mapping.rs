//! "Field mapping": where the log's events keep their type, stream, time, id and data, and their
//! correlation and causation ids, guessed by Rewind and changeable by the person, then applied by
//! reading the log again.
use super::open_log_file::{load_decoded_in_slices, read_text_in_slices, Loading, Phase, Request, Task};
use super::state::{Loaded, Loader, LogSource};
use super::url_log::fetch_text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rewind_engine::formats::Mapping;

/// The parts a mapping names, with the select's label and DOM id.
const PARTS: [(&str, &str); 7] = [
    ("Type field", "mapping-type"),
    ("Stream field", "mapping-stream"),
    ("Time field", "mapping-time"),
    ("Id field", "mapping-id"),
    ("Data field", "mapping-data"),
    ("Correlation id field", "mapping-correlation"),
    ("Causation id field", "mapping-causation"),
];

/// Shown once the person has brought a log of their own: what Rewind guessed (or that its own
/// rules read the log), a select per part offering the paths the log's first events have, and
/// "Apply mapping", which reads the log again with the chosen mapping.
#[component]
pub fn FieldMapping() -> impl IntoView {
    let loader = expect_context::<Loader>();
    let loaded = expect_context::<Loaded>();
    let loading = Loading::get();
    let settings = loader.settings;
    // The mapping the shown log was read with, when the shown log is the remembered source.
    let current = Memo::new(move |_| {
        let source = settings.source.with(|s| s.as_ref().map(|s| s.name().to_string()))?;
        loaded.session.with(|s| (s.source() == source).then(|| s.mapping().map(|(m, guessed)| (m.clone(), guessed))))
    });
    // What the selects say: "" is "none".
    let chosen: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    Effect::new(move |_| {
        let mapping = current.get().flatten().map(|(m, _)| m);
        let value = |path: Option<&String>| path.cloned().unwrap_or_default();
        let values = match &mapping {
            Some(m) => [
                m.type_path.clone(),
                value(m.stream.as_ref()),
                value(m.time.as_ref()),
                value(m.id.as_ref()),
                value(m.data.as_ref()),
                value(m.correlation.as_ref()),
                value(m.causation.as_ref()),
            ],
            None => Default::default(),
        };
        for (signal, value) in chosen.iter().zip(values) {
            signal.set(value);
        }
    });
    let described = move || match current.get() {
        Some(Some((mapping, true))) => format!("Rewind guessed where the parts are: {}.", mapping.describe()),
        Some(Some((mapping, false))) => format!("Read with your mapping: {}.", mapping.describe()),
        Some(None) => "Read by Rewind's own rules (type, stream, recorded_at, id, data).".to_string(),
        None => "The last log you brought could not be read: say where its parts are.".to_string(),
    };
    let apply = move |_| {
        let Some(source) = settings.source.get_untracked() else { return };
        let [type_path, stream, time, id, data, correlation, causation] = chosen.map(|s| s.get_untracked());
        let optional = |path: String| (!path.is_empty()).then_some(path);
        let mapping = (!type_path.is_empty()).then(|| Mapping {
            type_path,
            stream: optional(stream),
            time: optional(time),
            id: optional(id),
            data: optional(data),
            correlation: optional(correlation),
            causation: optional(causation),
        });
        reload(loader, loading, source, mapping);
    };
    view! {
        <Show when=move || settings.source.with(Option::is_some)>
            <section class="field-mapping" role="region" aria-label="Field mapping">
                <h2>"Field mapping"</h2>
                <p class="mapping-summary">{described}</p>
                <div class="mapping-fields">
                    {PARTS
                        .iter()
                        .zip(chosen)
                        .map(|((label, id), signal)| {
                            let options = move || {
                                settings
                                    .field_paths
                                    .get()
                                    .into_iter()
                                    .map(|path| view! { <option value=path.clone()>{path.clone()}</option> })
                                    .collect_view()
                            };
                            view! {
                                <div class="field">
                                    <label for=*id>{*label}</label>
                                    <select
                                        id=*id
                                        prop:value=move || signal.get()
                                        on:change=move |ev| signal.set(event_target_value(&ev))
                                    >
                                        <option value="">
                                            {if *label == "Type field" { "(Rewind's own rules)" } else { "(none)" }}
                                        </option>
                                        {options}
                                    </select>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
                <button type="button" on:click=apply>"Apply mapping"</button>
            </section>
        </Show>
    }
}

/// Reads `source` again and loads it with `mapping` (`None`: Rewind's own rules and its guess).
fn reload(loader: Loader, loading: Loading, source: LogSource, mapping: Option<Mapping>) {
    let name = source.name().to_string();
    let id = loading.begin(Some(Task { what: name.clone(), phase: Phase::Fetching }));
    let request = Request { name: name.clone(), source: None, mapping };
    spawn_local(async move {
        let text = match &source {
            LogSource::Blob { blob, .. } => {
                let blob = gloo_file::Blob::from(blob.clone());
                read_text_in_slices(&blob, |_| {}, || loading.is_current(id)).await
            }
            LogSource::Url { url, .. } => fetch_text(url, loading, id).await,
        };
        match text {
            Ok(Some(text)) => {
                load_decoded_in_slices(loader, loading, id, &request, text).await;
            }
            Ok(None) => {}
            Err(why) => {
                loading.finish(id);
                loader.loaded.load_error.set(Some(format!("Could not read {name} again: {why}")));
            }
        }
    });
}
