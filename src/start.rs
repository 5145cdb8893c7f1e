//! Which source decides what the page shows at start-up, in one order written down here and
//! tested: a saved session, a share link's `#log=`, the fragment's `#sample=`, then `?log=`.
//! `ui::start_up` asks [`sources`] which of them to apply.
//!
//! Each source present is applied in [`ORDER`]; a later one replaces the log an earlier one
//! showed, as following a link should replace what was restored. A share link carries its log, so
//! a `?log=` beside it is not fetched. The fragment's position and stream (`at=`, `stream=`) apply
//! last, to whichever log is shown (for `?log=`, once it arrives).
use crate::location::Location;
use crate::share;

/// A place a log can come from when the page opens.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StartSource {
    /// The session saved in this browser.
    Saved,
    /// A share link: the log itself in the fragment (`#log=…`).
    SharedLink,
    /// A built-in sample named by the fragment (`#sample=store`).
    FragmentSample,
    /// A log fetched from the URL in the query (`?log=…`); it arrives last.
    UrlParameter,
}

/// The order sources are applied in: each later one wins.
pub const ORDER: [StartSource; 4] =
    [StartSource::Saved, StartSource::SharedLink, StartSource::FragmentSample, StartSource::UrlParameter];

/// The sources present in this start, in the order they are applied.
pub fn sources(has_saved: bool, fragment: &str, query_has_log: bool) -> Vec<StartSource> {
    let shared_link = share::log_in_fragment(fragment).is_some();
    let present = |source: &StartSource| match source {
        StartSource::Saved => has_saved,
        StartSource::SharedLink => shared_link,
        StartSource::FragmentSample => Location::parse(&share::without_log(fragment)).sample.is_some(),
        StartSource::UrlParameter => query_has_log && !shared_link,
    };
    ORDER.into_iter().filter(present).collect()
}

/// Whose log the person sees once start-up is done; `None`: the default sample.
pub fn winner(has_saved: bool, fragment: &str, query_has_log: bool) -> Option<StartSource> {
    sources(has_saved, fragment, query_has_log).pop()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use StartSource::*;

    #[test]
    fn nothing_named_shows_the_default_sample() {
        assert_eq!(winner(false, "", false), None);
    }

    #[test]
    fn the_saved_session_comes_back_when_the_url_names_no_log() {
        assert_eq!(winner(true, "#at=2&stream=acc-1", false), Some(Saved));
    }

    #[test]
    fn a_link_someone_followed_replaces_the_saved_session() {
        assert_eq!(winner(true, "#log=abc", false), Some(SharedLink));
        assert_eq!(winner(true, "", true), Some(UrlParameter));
        assert_eq!(winner(true, "#sample=store", false), Some(FragmentSample));
    }

    #[test]
    fn a_fetched_log_arrives_last_and_wins_over_a_sample_named_beside_it() {
        assert_eq!(sources(true, "#sample=store", true), [Saved, FragmentSample, UrlParameter]);
        assert_eq!(winner(true, "#sample=store&at=2", true), Some(UrlParameter));
    }

    #[test]
    fn a_share_link_carries_its_log_so_a_log_parameter_beside_it_is_not_fetched() {
        assert_eq!(sources(false, "#log=abc", true), [SharedLink]);
        assert_eq!(sources(true, "#log=abc&sample=store", true), [Saved, SharedLink, FragmentSample]);
    }

    #[test]
    fn a_position_alone_is_not_a_source() {
        assert_eq!(sources(false, "#at=3", false), []);
        assert_eq!(sources(false, "#/learn/3", false), []);
    }
}
