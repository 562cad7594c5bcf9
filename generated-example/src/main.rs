//! Seed 001's registry flow, on the in-memory bus or on any Kafka-compatible
//! broker: the registry service asks for introspection, the registry effect
//! node answers with its announcement, the registration orchestrator
//! registers the node. The node code is the same on both buses.
//!
//! ```text
//! cargo run -p generated-example                                  # in memory
//! cargo run -p generated-example -- --bootstrap 127.0.0.1:9092    # Kafka, Redpanda, tansu
//! ```

use std::process::ExitCode;
use std::time::Duration;

use generated_example::nodes::{self, RegistrationOrchestratorHandlers};
use generated_example::registry::{RegistryEffectNode, RegistryEffectNodeHandlers};
use generated_example::{payloads, topics};
use onex::kafka::{KafkaBus, TopicSpec};
use onex::{Bus, BusError, Envelope, InMemoryBus, Namespace, Topic, Transport};

type Requested = topics::OnexRegistryIntrospectionRequestedV1;
type Announced = topics::OnexNodeIntrospectionPublishedV1;
type Registered = topics::OnexRegistryNodeRegisteredV1;

const ANNOUNCEMENT: &str =
    include_str!("../../contracts/node/ctl/introspection-published/v1/samples/basic.json");
const REGISTRATION: &str =
    include_str!("../../contracts/registry/evt/node-registered/v1/samples/basic.json");

type Error = Box<dyn std::error::Error + Send + Sync>;

fn usage() -> &'static str {
    "usage: generated-example [--bootstrap HOST:PORT] [--env ENV] [--tenant TENANT]\n\
     Runs seed 001's registry flow on the in-memory bus, or on the Kafka-compatible \
     broker at HOST:PORT (topics are created when missing)."
}

struct Args {
    bootstrap: Option<String>,
    env: String,
    tenant: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        bootstrap: None,
        env: "dev".to_owned(),
        tenant: "omnibase".to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--bootstrap" => args.bootstrap = Some(value("--bootstrap")?),
            "--env" => args.env = value("--env")?,
            "--tenant" => args.tenant = value("--tenant")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

/// The registry effect node with a bus to answer on.
struct Effect<Tr> {
    node: RegistryEffectNode,
    bus: Bus<Tr>,
    node_id: String,
}

impl<Tr: Transport> RegistryEffectNodeHandlers for Effect<Tr> {
    type Error = BusError;

    async fn handle_introspection_request(
        &mut self,
        event: Envelope<<Requested as Topic>::Payload>,
    ) -> Result<(), BusError> {
        println!("effect        handles request {}", event.payload.request_id);
        self.node.requests_seen.push(event.payload.request_id);
        let mut payload: <Announced as Topic>::Payload = serde_json::from_str(ANNOUNCEMENT)
            .map_err(|e| BusError::Codec(onex::CodecError::Json(e.to_string())))?;
        payload.node_id = self.node_id.clone();
        // Correlation and causation come from the request being handled.
        let announcement = Envelope::for_topic::<Announced>("introspection", payload)
            .with_source("node/registry-effect");
        let d = self
            .node
            .publish(&self.bus, Announced::default(), &announcement)
            .await?;
        println!(
            "effect        announced {} on {} [partition {}, offset {}]",
            self.node_id, d.topic, d.partition, d.offset
        );
        Ok(())
    }
}

/// The registration orchestrator.
struct Orchestrator<Tr> {
    bus: Bus<Tr>,
    registered: Vec<String>,
}

impl<Tr: Transport> RegistrationOrchestratorHandlers for Orchestrator<Tr> {
    type Error = BusError;

    async fn handle_introspection_event(
        &mut self,
        event: Envelope<<Announced as Topic>::Payload>,
    ) -> Result<(), BusError> {
        let mut payload: <Registered as Topic>::Payload = serde_json::from_str(REGISTRATION)
            .map_err(|e| BusError::Codec(onex::CodecError::Json(e.to_string())))?;
        payload.node_id = event.payload.node_id.clone();
        let registered = Envelope::for_topic::<Registered>("state_change", payload);
        let d = nodes::RegistrationOrchestrator
            .publish(&self.bus, Registered::default(), &registered)
            .await?;
        println!(
            "orchestrator  registered {} on {} [partition {}, offset {}], correlation {}",
            event.payload.node_id,
            d.topic,
            d.partition,
            d.offset,
            event.correlation_id.as_deref().unwrap_or("-")
        );
        self.registered.push(event.payload.node_id);
        Ok(())
    }
}

async fn flow<Tr: Transport>(bus: Bus<Tr>) -> Result<(), Error> {
    let run = uuid_like();
    let request_id = format!("req-{run}");
    let node_id = format!("postgres-adapter-{run}");
    let request = Envelope::for_topic::<Requested>(
        "onex.registry.introspection.requested",
        payloads::onex_registry_introspection_requested_v1::IntrospectionRequested {
            request_id: request_id.clone(),
            reason: "registry_startup".to_owned(),
            target_node_ids: None,
            target_node_types: None,
        },
    )
    .with_correlation_id(format!("corr-{run}"));
    let d = nodes::RegistryService
        .publish(&bus, Requested::default(), &request)
        .await?;
    println!(
        "registry      requested introspection {request_id} on {} [partition {}, offset {}]",
        d.topic, d.partition, d.offset
    );

    let mut effect = Effect {
        node: RegistryEffectNode::default(),
        bus: bus.clone(),
        node_id: node_id.clone(),
    };
    let mut consumer = bus.consumer(&effect.node)?;
    while !effect.node.requests_seen.contains(&request_id) {
        effect.handle_next(&mut consumer).await?;
    }

    let mut orchestrator = Orchestrator {
        bus: bus.clone(),
        registered: Vec::new(),
    };
    let mut consumer = bus.consumer(&nodes::RegistrationOrchestrator)?;
    while !orchestrator.registered.contains(&node_id) {
        orchestrator.handle_next(&mut consumer).await?;
    }
    println!("done: {node_id} is registered");
    Ok(())
}

/// A short run id (time-based, so runs against one broker never collide).
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}", nanos % 0xffff_ffff_ffff)
}

async fn run(args: Args) -> Result<(), Error> {
    let ns = Namespace::new(args.env, args.tenant)?;
    match args.bootstrap {
        None => {
            println!("bus: in memory");
            flow(InMemoryBus::new(ns)).await
        }
        Some(b) => {
            println!("bus: Kafka at {b}");
            let bus = KafkaBus::kafka(&b, ns)?;
            let specs = vec![
                TopicSpec::of::<Requested>(bus.namespace())?,
                TopicSpec::of::<Announced>(bus.namespace())?,
                TopicSpec::of::<Registered>(bus.namespace())?,
            ];
            bus.transport().create_topics(&specs, 1).await?;
            tokio::time::timeout(Duration::from_secs(120), flow(bus))
                .await
                .map_err(|_| "the flow did not finish within 120 s (is the broker reachable?)")?
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
