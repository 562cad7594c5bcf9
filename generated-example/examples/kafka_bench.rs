//! Rough speed figures on a broker (written to BENCHMARKS.md by hand):
//! publish latency one at a time, publish throughput with many in flight,
//! and a node consumer's handled-and-committed rate; then the typed producer
//! against a raw rdkafka `FutureProducer` (same client settings, same
//! topic, same envelopes serialised the same way), alternating typed, raw,
//! raw, typed so that drift in the broker's speed hits both alike.
//!
//! `cargo run --release -p generated-example --example kafka_bench -- 127.0.0.1:9092 [N [M]]`
//! (N: records per latency run, default 2,000; M: records per all-in-flight
//! round of the typed/raw comparison, default 10 N)

use std::time::{Duration, Instant};

use generated_example::nodes::{self, RegistrationOrchestratorHandlers};
use generated_example::topics;
use onex::kafka::{KafkaBus, TopicSpec};
use onex::{Envelope, Namespace, Topic};
use rdkafka::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

type Announced = topics::OnexNodeIntrospectionPublishedV1;
type Error = Box<dyn std::error::Error + Send + Sync>;

const SAMPLE: &str =
    include_str!("../../contracts/node/ctl/introspection-published/v1/samples/basic.json");

fn event(i: usize, run: &str) -> Result<Envelope<<Announced as Topic>::Payload>, Error> {
    let mut p: <Announced as Topic>::Payload = serde_json::from_str(SAMPLE)?;
    p.node_id = format!("bench-{run}-{i}");
    Ok(Envelope::for_topic::<Announced>("introspection", p))
}

fn pct(sorted: &[Duration], p: usize) -> Duration {
    let i = (sorted.len() * p / 100).min(sorted.len().saturating_sub(1));
    sorted.get(i).copied().unwrap_or_default()
}

struct Count(usize);

impl RegistrationOrchestratorHandlers for Count {
    type Error = String;
    async fn handle_introspection_event(
        &mut self,
        _event: Envelope<<Announced as Topic>::Payload>,
    ) -> Result<(), String> {
        self.0 += 1;
        Ok(())
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let bootstrap = args
        .next()
        .or_else(|| std::env::var("ONEX_KAFKA_BOOTSTRAP").ok())
        .ok_or("usage: kafka_bench HOST:PORT [N]")?;
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(2000);
    // Records per all-in-flight round of the typed/raw comparison.
    let m: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10 * n);
    let run = format!("{}", std::process::id());
    let bus = KafkaBus::kafka(&bootstrap, Namespace::new("bench", "omnibase")?)?;
    bus.transport()
        .create_topics(&[TopicSpec::of::<Announced>(bus.namespace())?], 1)
        .await?;
    // Warm up: metadata, producer id.
    nodes::RegistryEffect
        .publish(&bus, Announced::default(), &event(0, &run)?)
        .await?;

    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let e = event(i, &run)?;
        let t = Instant::now();
        nodes::RegistryEffect
            .publish(&bus, Announced::default(), &e)
            .await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    println!(
        "publish, one at a time: n={n} p50={:?} p95={:?} p99={:?}",
        pct(&lat, 50),
        pct(&lat, 95),
        pct(&lat, 99)
    );

    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let bus = bus.clone();
        let e = event(i, &run)?;
        set.spawn(async move {
            nodes::RegistryEffect
                .publish(&bus, Announced::default(), &e)
                .await
        });
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "publish, all in flight: n={n} {:.0} events/s ({secs:.2} s)",
        n as f64 / secs
    );

    // The orchestrator's group reads everything on the topic (3n + 1 here on
    // a fresh broker): handled and committed one by one.
    let total = 2 * n + 1;
    let mut count = Count(0);
    let mut consumer = bus.consumer(&nodes::RegistrationOrchestrator)?;
    count.handle_next(&mut consumer).await?; // group join
    let t = Instant::now();
    while count.0 < total {
        count.handle_next(&mut consumer).await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "consume, handle + commit each: n={} {:.0} events/s ({secs:.2} s)",
        total - 1,
        (total - 1) as f64 / secs
    );

    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", &bootstrap);
    for (k, v) in onex::kafka::PRODUCER_DEFAULTS {
        cfg.set(*k, *v);
    }
    let raw: FutureProducer = cfg.create()?;
    let topic = bus.namespace().render(Announced::NAME)?;
    raw_send(&raw, &topic, &event(0, &run)?).await?; // warm up
    // Where the typed path's time goes: building the events (both paths do
    // it), then that plus the codec (key, envelope JSON, headers, PII
    // checks), no broker.
    let t = Instant::now();
    for i in 0..m {
        std::hint::black_box(event(i, &run)?);
    }
    println!(
        "build event only: {:.1} us/record over {m}",
        t.elapsed().as_secs_f64() * 1e6 / m as f64
    );
    let t = Instant::now();
    for i in 0..m {
        let e = event(i, &run)?;
        std::hint::black_box(bus.codec().encode::<Announced>(&e)?);
    }
    println!(
        "build event + codec encode: {:.1} us/record over {m}",
        t.elapsed().as_secs_f64() * 1e6 / m as f64
    );
    println!("typed vs raw rdkafka FutureProducer, latency over n={n}, all in flight over m={m}:");
    for (round, typed) in [true, false, false, true].into_iter().enumerate() {
        let (lat, rate) = if typed {
            typed_round(&bus, n, m, &run).await?
        } else {
            raw_round(&raw, &topic, n, m, &run).await?
        };
        println!(
            "  round {} {:<5} one at a time p50={:?} p99={:?} | all in flight {rate:.0} records/s",
            round + 1,
            if typed { "typed" } else { "raw" },
            pct(&lat, 50),
            pct(&lat, 99),
        );
    }
    Ok(())
}

/// What a hand-written producer sends: the envelope as JSON, the key.
async fn raw_send(
    raw: &FutureProducer,
    topic: &str,
    e: &Envelope<<Announced as Topic>::Payload>,
) -> Result<(), Error> {
    let value = serde_json::to_vec(e)?;
    let key = e.payload.node_id.as_bytes();
    raw.send(
        FutureRecord::to(topic).payload(&value[..]).key(key),
        Duration::from_secs(30),
    )
    .await
    .map_err(|(e, _)| e)?;
    Ok(())
}

async fn typed_round(
    bus: &KafkaBus,
    n: usize,
    m: usize,
    run: &str,
) -> Result<(Vec<Duration>, f64), Error> {
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let e = event(i, run)?;
        let t = Instant::now();
        nodes::RegistryEffect
            .publish(bus, Announced::default(), &e)
            .await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..m {
        let bus = bus.clone();
        let e = event(i, run)?;
        set.spawn(async move {
            nodes::RegistryEffect
                .publish(&bus, Announced::default(), &e)
                .await
        });
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    Ok((lat, m as f64 / t.elapsed().as_secs_f64()))
}

async fn raw_round(
    raw: &FutureProducer,
    topic: &str,
    n: usize,
    m: usize,
    run: &str,
) -> Result<(Vec<Duration>, f64), Error> {
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let e = event(i, run)?;
        let t = Instant::now();
        raw_send(raw, topic, &e).await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    let t = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..m {
        let raw = raw.clone();
        let topic = topic.to_owned();
        let e = event(i, run)?;
        set.spawn(async move { raw_send(&raw, &topic, &e).await.map_err(|e| e.to_string()) });
    }
    while let Some(r) = set.join_next().await {
        r??;
    }
    Ok((lat, m as f64 / t.elapsed().as_secs_f64()))
}
