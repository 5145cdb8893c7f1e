use leptos::prelude::*;

#[component]
pub fn DropZone() -> impl IntoView {
    view! { <span class="drop_zone"></span> }
}
