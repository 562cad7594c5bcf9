// A topic literal with a typo, resolved at compile time.
#[allow(unused_imports)]
mod topics {
    pub use generated_example::topics::*;
}

type Heartbeat = onex::topic!("onex.node.heartbeat.publish.v1");

fn main() {}
