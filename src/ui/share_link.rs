use leptos::prelude::*;

#[component]
pub fn ShareLink() -> impl IntoView {
    view! { <span class="share_link"></span> }
}
