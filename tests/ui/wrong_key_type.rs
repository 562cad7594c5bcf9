// The heartbeat topic is keyed by `node_id`, a string: reading it as a number
// does not compile.
use generated_example::topics::OnexNodeHeartbeatPublishedV1;
use onex::Topic;

fn shard(p: &<OnexNodeHeartbeatPublishedV1 as Topic>::Payload) -> i64 {
    let key: i64 = OnexNodeHeartbeatPublishedV1::key(p);
    key
}

fn main() {
    let _ = shard;
}
