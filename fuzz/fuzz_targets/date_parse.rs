//! `Date::parse` on arbitrary UTF-8: never panics, and what it accepts
//! keeps its promises (bounds in order, the text parses again to the same
//! date, a label).

#![no_main]

use annals::date::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(d) = Date::parse(text) else {
        return;
    };
    if let (Some(lo), Some(hi)) = (d.earliest(), d.latest()) {
        assert!(lo <= hi, "{text:?}: earliest {lo} after latest {hi}");
    }
    let again = Date::parse(d.text()).expect("an accepted date parses again");
    assert_eq!(again, d);
    assert_eq!(again.earliest(), d.earliest());
    assert_eq!(again.latest(), d.latest());
    assert_eq!(again.cmp(&d), std::cmp::Ordering::Equal);
    assert!(!d.label().is_empty());
});
