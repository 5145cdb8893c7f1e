use leptos::prelude::*;

#[component]
pub fn OpenLogFile() -> impl IntoView {
    view! { <span class="open_log_file"></span> }
}
