//! Fuzz target: any byte stream from a client, split into reads anywhere, is framed without a
//! panic; every message handed on is a JSON-RPC 2.0 object and every answer a JSON-RPC error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reportlint::lsp::transport::{Event, FrameReader};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(split).max(1);
    let mut reader = FrameReader::default();
    for piece in bytes.chunks(chunk) {
        reader.push(piece);
        while let Some(event) = reader.next_event() {
            match event {
                Event::Message(value) => {
                    assert_eq!(value["jsonrpc"], "2.0", "{value}");
                    let request = value.get("method").is_some_and(Value::is_string);
                    let response = value.get("result").is_some() || value.get("error").is_some();
                    assert!(request || response, "neither a request nor a response: {value}");
                }
                Event::Malformed(answer) => {
                    let value: Value = serde_json::from_slice(&answer).expect("an answer is JSON");
                    let code = value["error"]["code"].as_i64();
                    assert!(matches!(code, Some(-32700 | -32600)), "{value}");
                }
            }
        }
    }
});
