use leptos::prelude::*;

#[component]
pub fn ExportButtons() -> impl IntoView {
    view! { <span class="export_buttons"></span> }
}
