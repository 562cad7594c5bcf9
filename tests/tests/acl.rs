//! Least-privilege ACLs derived from node contracts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onex_tests::repo;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use onex_codegen::export::acl::{Operation, Pattern, Resource, acls, to_kafka_acls, to_rpk};
use onex_codegen::load;
use onex_codegen::model::Direction;

#[test]
fn every_node_gets_exactly_its_contract() {
    let c = load(&repo().join("contracts")).catalog.unwrap();
    let list = acls(&c, Some("prod"), Some("omnibase")).unwrap();
    let ns = onex::Namespace::new("prod", "omnibase").unwrap();
    let all: Vec<String> = c
        .topics
        .iter()
        .map(|t| ns.render(&t.name.to_string()).unwrap())
        .collect();
    let mut prefixes = 0;
    for node in &c.nodes {
        let principal = format!("User:{}", node.name);
        let mine = |op: Operation| -> BTreeSet<String> {
            list.iter()
                .filter(|a| {
                    a.principal == principal && a.resource == Resource::Topic && a.operation == op
                })
                .flat_map(|a| match a.pattern {
                    Pattern::Literal => vec![a.name.clone()],
                    // A prefix grant must cover nothing outside the contract:
                    // it is expanded over every topic of the catalog.
                    Pattern::Prefixed => all
                        .iter()
                        .filter(|n| n.starts_with(&a.name))
                        .cloned()
                        .collect(),
                })
                .collect()
        };
        let expected = |dir: Direction| -> BTreeSet<String> {
            c.edges
                .iter()
                .filter(|e| e.node == node.name && e.direction == dir)
                .map(|e| {
                    ns.render(&c.topic(&e.topic).unwrap().name.to_string())
                        .unwrap()
                })
                .collect()
        };
        assert_eq!(
            mine(Operation::Write),
            expected(Direction::Publishes),
            "{}",
            node.name
        );
        assert_eq!(
            mine(Operation::Read),
            expected(Direction::Subscribes),
            "{}",
            node.name
        );
        let group = list.iter().any(|a| {
            a.principal == principal
                && a.resource == Resource::Group
                && a.name == node.consumer_group
        });
        assert_eq!(group, !node.subscribes.is_empty(), "{}", node.name);
        prefixes += list
            .iter()
            .filter(|a| a.principal == principal && a.pattern == Pattern::Prefixed)
            .count();
    }
    // validator-runner publishes both `validator.evt` topics: one prefix grant
    // per operation, seed 000's namespace wildcard.
    assert!(list.iter().any(|a| a.principal == "User:validator-runner"
        && a.pattern == Pattern::Prefixed
        && a.name == "prod.omnibase.validator.evt."));
    assert!(prefixes > 0);
    let rpk = to_rpk(&list);
    assert!(rpk.contains("rpk acl create --allow-principal 'User:registry-effect' --operation write --topic 'onex.node.heartbeat.published.v1'\n"));
    assert!(rpk.contains("--operation read --group 'database_adapter_consumers'"));
    assert!(to_kafka_acls(&list).contains("kafka-acls --bootstrap-server \"$BOOTSTRAP\" --add --allow-principal 'User:billing-service' --operation Write --topic 'billing.domain.v1'"));
}

#[test]
fn run_time_names_need_an_environment() {
    let c = load(&repo().join("contracts")).catalog.unwrap();
    let err = acls(&c, None, Some("omnibase")).unwrap_err();
    assert!(err.to_string().contains("--env"), "{err}");
    // An unknown tenant or environment is refused, not turned into ACLs.
    let err = acls(&c, Some("prod"), Some("omnibse")).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown tenant; did you mean `omnibase`?"),
        "{err}"
    );
    let err = acls(&c, Some("qa"), Some("omnibase")).unwrap_err();
    assert!(
        err.to_string().contains("`--env qa`: unknown environment"),
        "{err}"
    );
}

#[test]
fn a_node_using_a_whole_namespace_gets_the_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let src = repo().join("tests/corpus/_base");
    for e in walk(&src) {
        let rel = e.strip_prefix(&src).unwrap();
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&e, &to).unwrap();
    }
    std::fs::create_dir_all(tmp.path().join("nodes/archiver")).unwrap();
    std::fs::write(
        tmp.path().join("nodes/archiver/contract.yaml"),
        "meta:\n  name: archiver\n  version: 1.0.0\n  node_type: EFFECT\nevent_channels:\n  subscribes:\n    - topic: \"{env}.omnibase.shop.evt.order-placed.v1\"\n      key: order_id\n      event_type: placed\n    - topic: \"{env}.omnibase.shop.evt.order-shipped.v1\"\n      key: order_id\n      event_type: shipped\n",
    )
    .unwrap();
    let c = load(tmp.path()).catalog.unwrap();
    let list = acls(&c, Some("prod"), Some("omnibase")).unwrap();
    let archiver: Vec<_> = list
        .iter()
        .filter(|a| a.principal == "User:archiver" && a.resource == Resource::Topic)
        .collect();
    assert_eq!(archiver.len(), 2, "{archiver:?}");
    assert!(
        archiver
            .iter()
            .all(|a| a.pattern == Pattern::Prefixed && a.name == "prod.omnibase.shop.evt.")
    );
    // The order service uses one topic of the namespace: literal grants only.
    assert!(
        list.iter()
            .filter(|a| a.principal == "User:order-service")
            .all(|a| a.pattern == Pattern::Literal)
    );
    assert!(
        to_rpk(&list)
            .contains("--topic 'prod.omnibase.shop.evt.' --resource-pattern-type prefixed")
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
