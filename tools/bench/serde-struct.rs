//! `onex::__private::serde_struct!` against serde's derives on the same
//! 30-field struct (strings, integers, options, a list): serde_json decode
//! and encode of one object, ROUNDS times, three times over. Run by
//! `tools/bench/serde-struct.sh`.
use std::hint::black_box;
use std::time::Instant;
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Derived {
    pub field_0: String,
    pub field_1: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_2: Option<String>,
    pub field_3: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_4: Option<i64>,
    pub field_5: Vec<String>,
    pub field_6: String,
    pub field_7: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_8: Option<String>,
    pub field_9: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_10: Option<i64>,
    pub field_11: Vec<String>,
    pub field_12: String,
    pub field_13: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_14: Option<String>,
    pub field_15: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_16: Option<i64>,
    pub field_17: Vec<String>,
    pub field_18: String,
    pub field_19: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_20: Option<String>,
    pub field_21: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_22: Option<i64>,
    pub field_23: Vec<String>,
    pub field_24: String,
    pub field_25: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_26: Option<String>,
    pub field_27: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_28: Option<i64>,
    pub field_29: Vec<String>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Lean {
    pub field_0: String,
    pub field_1: i64,
    pub field_2: Option<String>,
    pub field_3: bool,
    pub field_4: Option<i64>,
    pub field_5: Vec<String>,
    pub field_6: String,
    pub field_7: i64,
    pub field_8: Option<String>,
    pub field_9: bool,
    pub field_10: Option<i64>,
    pub field_11: Vec<String>,
    pub field_12: String,
    pub field_13: i64,
    pub field_14: Option<String>,
    pub field_15: bool,
    pub field_16: Option<i64>,
    pub field_17: Vec<String>,
    pub field_18: String,
    pub field_19: i64,
    pub field_20: Option<String>,
    pub field_21: bool,
    pub field_22: Option<i64>,
    pub field_23: Vec<String>,
    pub field_24: String,
    pub field_25: i64,
    pub field_26: Option<String>,
    pub field_27: bool,
    pub field_28: Option<i64>,
    pub field_29: Vec<String>,
}
onex::__private::serde_struct! { de ser Lean { 0 field_0 = "field_0" plain always, 1 field_1 = "field_1" plain always, 2 field_2 = "field_2" plain if_some, 3 field_3 = "field_3" plain always, 4 field_4 = "field_4" plain if_some, 5 field_5 = "field_5" plain always, 6 field_6 = "field_6" plain always, 7 field_7 = "field_7" plain always, 8 field_8 = "field_8" plain if_some, 9 field_9 = "field_9" plain always, 10 field_10 = "field_10" plain if_some, 11 field_11 = "field_11" plain always, 12 field_12 = "field_12" plain always, 13 field_13 = "field_13" plain always, 14 field_14 = "field_14" plain if_some, 15 field_15 = "field_15" plain always, 16 field_16 = "field_16" plain if_some, 17 field_17 = "field_17" plain always, 18 field_18 = "field_18" plain always, 19 field_19 = "field_19" plain always, 20 field_20 = "field_20" plain if_some, 21 field_21 = "field_21" plain always, 22 field_22 = "field_22" plain if_some, 23 field_23 = "field_23" plain always, 24 field_24 = "field_24" plain always, 25 field_25 = "field_25" plain always, 26 field_26 = "field_26" plain if_some, 27 field_27 = "field_27" plain always, 28 field_28 = "field_28" plain if_some, 29 field_29 = "field_29" plain always } }

fn main() {
    let json = r#"{"field_0":"some text value","field_1":123456,"field_2":"maybe","field_3":true,"field_4":null,"field_5":["a","b"],"field_6":"some text value","field_7":123456,"field_8":"maybe","field_9":true,"field_10":null,"field_11":["a","b"],"field_12":"some text value","field_13":123456,"field_14":"maybe","field_15":true,"field_16":null,"field_17":["a","b"],"field_18":"some text value","field_19":123456,"field_20":"maybe","field_21":true,"field_22":null,"field_23":["a","b"],"field_24":"some text value","field_25":123456,"field_26":"maybe","field_27":true,"field_28":null,"field_29":["a","b"]}"#;
    let rounds: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let a: Derived = serde_json::from_str(json).unwrap();
    let b: Lean = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    for _ in 0..3 {
        let t = Instant::now();
        for _ in 0..rounds { black_box(serde_json::from_str::<Derived>(black_box(json)).unwrap()); }
        let d = t.elapsed() / rounds;
        let t = Instant::now();
        for _ in 0..rounds { black_box(serde_json::from_str::<Lean>(black_box(json)).unwrap()); }
        let l = t.elapsed() / rounds;
        let t = Instant::now();
        for _ in 0..rounds { black_box(serde_json::to_string(black_box(&a)).unwrap()); }
        let ds = t.elapsed() / rounds;
        let t = Instant::now();
        for _ in 0..rounds { black_box(serde_json::to_string(black_box(&b)).unwrap()); }
        let ls = t.elapsed() / rounds;
        println!("decode derive {d:?} macro {l:?} | encode derive {ds:?} macro {ls:?}");
    }
}
