//! A crate that consumes the repository's contracts at build time.
#![forbid(unsafe_code)]

include!(concat!(env!("OUT_DIR"), "/topic_names.rs"));

/// The heartbeat topic, checked against the catalog at compile time.
pub const HEARTBEAT: &str = onex::topic_name!("../contracts", "onex.node.heartbeat.published.v1");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_script_lists_the_catalog() {
        assert!(TOPIC_NAMES.len() >= 45);
        assert!(TOPIC_NAMES.contains(&"onex.node.heartbeat.published.v1"));
        assert!(TOPIC_NAMES.contains(&"{env}.omnibase.onex.evt.contract-created.v1"));
    }

    #[test]
    fn topic_name_macro_resolves() {
        let ns = onex::Namespace::new("prod", "omnibase").unwrap();
        assert_eq!(
            ns.render(HEARTBEAT).unwrap(),
            "onex.node.heartbeat.published.v1"
        );
    }
}
