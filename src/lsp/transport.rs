//! The server's own transport in place of tower-lsp's `Server`, which reads through a framed
//! decoder that stops at the first malformed frame (one bad message ended the server) and
//! keeps its buffers at the size of the largest message for the rest of the session. Here
//! every frame is split, checked and either handed to the service or answered with a
//! JSON-RPC error, and reading goes on; `exit` or the end of the input ends the session even
//! while a handler still waits for the client.
//!
//! Invariants: a malformed header, a wrong `Content-Length`, bytes before a header, a body
//! that is not UTF-8 JSON (or nests deeper than serde_json's limit), or a message that is not
//! JSON-RPC 2.0 gets one error response (-32700 parse error, -32600 invalid request; `id`
//! null unless it can be read) and the reader resynchronises on the next `Content-Length`
//! header. Whole frames only are written to the client, from one writer, so the server's
//! messages and these errors never interleave. No message over `MAX_MESSAGE_BYTES` is held.

use futures::{FutureExt, SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_lsp_server::ClientSocket;
use tower_service::Service;

/// The largest message body read; a larger one is answered with an error and skipped.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What the frame reader found next.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A well-formed JSON-RPC 2.0 message, parsed once, to hand on.
    Message(Value),
    /// Something that is not one: the error response to send.
    Malformed(Vec<u8>),
}

/// Splits a byte stream into frames. Pure: bytes are pushed in, events taken out, so the
/// fuzz target and the tests drive it without a runtime.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: Vec<u8>,
    /// Body bytes still to throw away after an oversized `Content-Length`.
    skipping: usize,
    /// How far into the current frame's body a header was already looked for, so a large
    /// body arriving in many reads is searched once, not once per read.
    searched: usize,
    /// How many prefixes of the current frame's body were parsed to see whether they are
    /// whole JSON: bounded, so a body quoting the header many times costs a few parses.
    prefix_parses: u8,
}

/// At most this many prefixes of one body are tried as a message cut short.
const MAX_PREFIX_PARSES: u8 = 4;

/// Above this, a buffer that has been emptied gives its memory back (one large message
/// must not keep its size allocated for the rest of the session).
const KEPT_BUFFER_BYTES: usize = 1 << 20;

const HEADER: &[u8] = b"content-length:";

impl FrameReader {
    pub fn push(&mut self, bytes: &[u8]) {
        let skipped = self.skipping.min(bytes.len());
        self.skipping -= skipped;
        self.buffer.extend_from_slice(&bytes[skipped..]);
    }

    /// Drops the first `end` bytes: a frame (or garbage) is done with.
    fn consume(&mut self, end: usize) {
        self.buffer.drain(..end);
        self.searched = 0;
        self.prefix_parses = 0;
        if self.buffer.capacity() > KEPT_BUFFER_BYTES && self.buffer.len() < KEPT_BUFFER_BYTES / 4 {
            self.buffer.shrink_to(KEPT_BUFFER_BYTES / 4);
        }
    }

    /// The next event, or `None` until more bytes arrive.
    pub fn next_event(&mut self) -> Option<Event> {
        if self.buffer.is_empty() {
            return None;
        }
        // Bytes before a header: answered once, dropped up to the next header.
        if !starts_with_ignore_case(&self.buffer, b"content-") {
            match find_ignore_case(&self.buffer, HEADER) {
                Some(start) => {
                    self.consume(start);
                    return Some(Event::Malformed(parse_error("bytes before a header")));
                }
                None => {
                    // Drop the garbage up to its last line break, or all but a tail that
                    // may be the start of a header split across reads.
                    let keep_from = match self.buffer.iter().rposition(|&byte| byte == b'\n') {
                        Some(newline) => newline + 1,
                        None => self.buffer.len().saturating_sub(HEADER.len()),
                    };
                    if keep_from == 0 {
                        return None;
                    }
                    self.consume(keep_from);
                    return Some(Event::Malformed(parse_error("bytes before a header")));
                }
            }
        }
        let (header_end, body_start) = match find(&self.buffer, b"\r\n\r\n") {
            Some(at) => (at, at + 4),
            None => match find(&self.buffer, b"\n\n") {
                Some(at) => (at, at + 2),
                None => {
                    if self.buffer.len() > 8192 {
                        // A header that never ends: resync after it.
                        let resume = find_ignore_case(&self.buffer[1..], HEADER)
                            .map_or(self.buffer.len(), |at| at + 1);
                        self.consume(resume);
                        return Some(Event::Malformed(parse_error("a header that never ends")));
                    }
                    return None;
                }
            },
        };
        let length = content_length(&self.buffer[..header_end]);
        let Some(length) = length else {
            self.consume(body_start);
            return Some(Event::Malformed(parse_error(
                "a missing or invalid Content-Length",
            )));
        };
        if length > MAX_MESSAGE_BYTES {
            let available = self.buffer.len() - body_start;
            self.skipping = length.saturating_sub(available);
            self.consume(body_start + length.min(available));
            return Some(Event::Malformed(invalid_request(
                Value::Null,
                "a message larger than the server reads",
            )));
        }
        let body_end = body_start + length;
        // A header inside the declared body: the length was wrong; the body ends there.
        // (Only where what comes before it is whole JSON: a message may quote the header.)
        let search_end = body_end.min(self.buffer.len());
        let search_from =
            (body_start + self.searched.saturating_sub(HEADER.len())).max(body_start + 1);
        if search_from < search_end {
            let window = &self.buffer[search_from..search_end];
            let found: Vec<usize> = (0..window.len().saturating_sub(HEADER.len() - 1))
                .filter(|&at| window[at..at + HEADER.len()].eq_ignore_ascii_case(HEADER))
                .map(|at| search_from + at)
                .collect();
            self.searched = search_end - body_start;
            for at in found {
                let body = trim_line_end(&self.buffer[body_start..at]);
                // Only a prefix ending like a JSON object or array can be one; the rest
                // are not parsed.
                if !matches!(body.last(), Some(b'}' | b']'))
                    || self.prefix_parses >= MAX_PREFIX_PARSES
                {
                    continue;
                }
                self.prefix_parses += 1;
                if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
                    let event = check(body);
                    self.consume(at);
                    return Some(event);
                }
            }
        }
        if self.buffer.len() < body_end {
            return None;
        }
        let event = check(&self.buffer[body_start..body_end]);
        self.consume(body_end);
        Some(event)
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `shutdown` then `exit`, or the end of the input.
    Clean,
    /// `exit` without `shutdown` before it.
    ExitWithoutShutdown,
}

/// At most this many requests are handled at once (as tower-lsp's own server does); the
/// next ones wait in a queue of `QUEUED_REQUESTS`, and reading waits when it is full.
const CONCURRENT_REQUESTS: usize = 4;
const QUEUED_REQUESTS: usize = 100;

/// How long answers may still be written after `exit` or the end of the input: a handler
/// waiting for the client must not keep the process alive.
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// Serves `service` to the client until it says `exit` or its input ends. Requests and
/// notifications are handed to the service in the order they came (a handler runs up to
/// its first `await` before the next one starts, so edits apply in order), answers and the
/// service's own messages to the client go out through one writer, and the client's
/// answers to the service's requests go back through `socket`. Every buffer is sized to
/// the message at hand, so one large document does not stay allocated after it is closed.
pub async fn serve<S>(
    mut input: impl AsyncRead + Unpin,
    output: impl AsyncWrite + Unpin + Send + 'static,
    mut service: S,
    socket: ClientSocket,
    (outbox, outgoing): (Outbox, Outgoing),
) -> Ending
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    let Outbox(frames) = outbox;
    let writing = tokio::spawn(write_client(output, outgoing));
    let (mut to_client, mut client_answers) = socket.split();
    let forwarding = {
        let frames = frames.clone();
        tokio::spawn(async move {
            while let Some(request) = to_client.next().await {
                match serde_json::to_vec(&request) {
                    Ok(body) if frames.send(frame(&body)).is_ok() => {}
                    Ok(_) => return,
                    Err(error) => tracing::error!("cannot write a message to the client: {error}"),
                }
            }
        })
    };
    let (mut handlers, queued) = futures::channel::mpsc::channel(QUEUED_REQUESTS);
    let answering = {
        let frames = frames.clone();
        tokio::spawn(queued.buffer_unordered(CONCURRENT_REQUESTS).for_each(
            move |answer: Option<Response>| {
                if let Some(answer) = answer {
                    match serde_json::to_vec(&answer) {
                        Ok(body) => drop(frames.send(frame(&body))),
                        Err(error) => tracing::error!("cannot write an answer: {error}"),
                    }
                }
                std::future::ready(())
            },
        ))
    };
    let mut reader = FrameReader::default();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut shutdown = false;
    let mut ending = Ending::Clean;
    'reading: loop {
        let read = match input.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        reader.push(&chunk[..read]);
        while let Some(event) = reader.next_event() {
            let message = match event {
                Event::Message(message) => message,
                Event::Malformed(answer) => {
                    tracing::warn!(
                        "a malformed message from the client was answered with an error"
                    );
                    let _ = frames.send(frame(&answer));
                    continue;
                }
            };
            // `check` let through only requests (a string `method`) and responses.
            if message.get("method").is_none() {
                match serde_json::from_value::<Response>(message) {
                    Ok(answer) => {
                        if client_answers.send(answer).await.is_err() {
                            break 'reading;
                        }
                    }
                    Err(error) => {
                        let _ =
                            frames.send(frame(&invalid_request(Value::Null, &error.to_string())));
                    }
                }
                continue;
            }
            let request = match serde_json::from_value::<Request>(message) {
                Ok(request) => request,
                Err(error) => {
                    let _ = frames.send(frame(&invalid_request(Value::Null, &error.to_string())));
                    continue;
                }
            };
            let exit = request.method() == "exit";
            shutdown |= request.method() == "shutdown";
            if exit && !shutdown {
                ending = Ending::ExitWithoutShutdown;
            }
            if std::future::poll_fn(|context| service.poll_ready(context))
                .await
                .is_err()
            {
                break 'reading;
            }
            let id = request.id().cloned();
            let method = request.method().to_string();
            let handled = std::panic::AssertUnwindSafe(service.call(request)).catch_unwind();
            let queued = handlers
                .send(async move {
                    match handled.await {
                        Ok(answer) => answer.ok().flatten(),
                        // A handler that panics answers with an internal error; the session
                        // goes on (its other tasks never see the panic).
                        Err(_) => {
                            tracing::error!("handling {method} panicked");
                            id.map(|id| Response::from_error(id, Error::internal_error()))
                        }
                    }
                })
                .await;
            if exit || queued.is_err() {
                break 'reading;
            }
        }
    }
    // Answers already being made still go out, for a moment; then the writer ends.
    drop(handlers);
    let _ = tokio::time::timeout(EXIT_GRACE, answering).await;
    forwarding.abort();
    // The server still holds outboxes (in the service and in checks waiting out a
    // debounce): the writer stops at this empty frame, after everything queued before it.
    let _ = frames.send(Vec::new());
    let _ = tokio::time::timeout(EXIT_GRACE, writing).await;
    ending
}

/// Where the server's own notifications go straight to the writer, serialised from their
/// types in one pass. The client handle first turns every message into a `serde_json::Value`
/// tree (for 4,000 diagnostics, most of an edit's time); `publishDiagnostics` is sent here.
#[derive(Clone)]
pub struct Outbox(mpsc::UnboundedSender<Vec<u8>>);

/// The writer's end of an [`Outbox`].
pub struct Outgoing(mpsc::UnboundedReceiver<Vec<u8>>);

/// A notification as JSON-RPC frames it.
#[derive(serde::Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

impl Outbox {
    /// An outbox and the end the writer reads, for `serve`.
    pub fn new() -> (Outbox, Outgoing) {
        let (frames, outgoing) = mpsc::unbounded_channel();
        (Outbox(frames), Outgoing(outgoing))
    }

    /// Queues a notification after every frame queued before it. Nothing is sent once the
    /// session has ended.
    pub fn notify<P: serde::Serialize>(&self, method: &str, params: &P) {
        let notification = Notification {
            jsonrpc: "2.0",
            method,
            params,
        };
        match serde_json::to_vec(&notification) {
            Ok(body) => drop(self.0.send(frame(&body))),
            Err(error) => tracing::error!("cannot write {method} to the client: {error}"),
        }
    }
}

/// Frames are written in pieces of at most this size: tokio's stdout copies each write into
/// a buffer it keeps (up to 2 MiB), so one 4 MB publication written whole kept 2 MiB
/// allocated for the rest of the session.
const WRITE_PIECE_BYTES: usize = 64 * 1024;

/// Writes whole frames to the client as they come, until an empty one.
async fn write_client(mut output: impl AsyncWrite + Unpin, Outgoing(mut frames): Outgoing) {
    while let Some(frame) = frames.recv().await {
        if frame.is_empty() {
            return;
        }
        for piece in frame.chunks(WRITE_PIECE_BYTES) {
            if output.write_all(piece).await.is_err() {
                return;
            }
        }
        if output.flush().await.is_err() {
            return;
        }
    }
}

/// A body with its `Content-Length` header.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// Checks a body: UTF-8 JSON (serde_json refuses nesting deeper than 128 with an error), an
/// object with `jsonrpc: "2.0"`, a string `method` if any, an integer or string `id` if any.
fn check(body: &[u8]) -> Event {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Event::Malformed(parse_error(&error.to_string())),
    };
    let Value::Object(object) = &value else {
        return Event::Malformed(invalid_request(Value::Null, "not a JSON object"));
    };
    let id = object.get("id");
    let id_valid = match id {
        None | Some(Value::String(_)) => true,
        Some(Value::Number(number)) => number.is_i64(),
        Some(Value::Null) => !object.contains_key("method"),
        Some(_) => false,
    };
    let answer_id = if id_valid {
        id.cloned().unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    if object.get("jsonrpc") != Some(&Value::String("2.0".to_string())) {
        return Event::Malformed(invalid_request(answer_id, "jsonrpc must be \"2.0\""));
    }
    if !id_valid {
        return Event::Malformed(invalid_request(
            answer_id,
            "id must be an integer or a string",
        ));
    }
    match object.get("method") {
        Some(Value::String(_)) => {}
        Some(_) => return Event::Malformed(invalid_request(answer_id, "method must be a string")),
        None if object.contains_key("result") || object.contains_key("error") => {}
        None => {
            return Event::Malformed(invalid_request(
                answer_id,
                "neither a request nor a response",
            ))
        }
    }
    Event::Message(value)
}

fn parse_error(reason: &str) -> Vec<u8> {
    error_response(Value::Null, -32700, &format!("Parse error: {reason}"))
}

fn invalid_request(id: Value, reason: &str) -> Vec<u8> {
    error_response(id, -32600, &format!("Invalid Request: {reason}"))
}

fn error_response(id: Value, code: i64, message: &str) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
        .to_string()
        .into_bytes()
}

/// The value of a `Content-Length` header among `headers`, if there is exactly a valid one.
fn content_length(headers: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(headers).ok()?;
    let mut length = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
                return None;
            }
            length = Some(value.parse().ok()?);
        }
    }
    length
}

fn trim_line_end(body: &[u8]) -> &[u8] {
    let mut end = body.len();
    while end > 0 && matches!(body[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    &body[..end]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
        || prefix[..haystack.len().min(prefix.len())].eq_ignore_ascii_case(haystack)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(bytes: &[u8]) -> Vec<String> {
        let mut reader = FrameReader::default();
        reader.push(bytes);
        std::iter::from_fn(|| reader.next_event())
            .map(|event| match event {
                Event::Message(message) => format!("message {message}"),
                Event::Malformed(answer) => {
                    let value: Value = serde_json::from_slice(&answer).expect("an answer is JSON");
                    format!("error {} {}", value["error"]["code"], value["id"])
                }
            })
            .collect()
    }

    const PING: &str = r#"{"id":1,"jsonrpc":"2.0","method":"shutdown"}"#;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn good_frames_pass_whole_even_split_into_bytes() {
        let text = format!("{}{}", framed(PING), framed(PING));
        assert_eq!(
            events(text.as_bytes()),
            [format!("message {PING}"), format!("message {PING}")]
        );
        let mut reader = FrameReader::default();
        let mut found = Vec::new();
        for byte in text.as_bytes() {
            reader.push(&[*byte]);
            while let Some(event) = reader.next_event() {
                found.push(event);
            }
        }
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|event| matches!(event, Event::Message(_))));
    }

    #[test]
    fn every_malformed_message_is_answered_and_the_next_one_read() {
        let cases: Vec<(String, &str)> = vec![
            (framed(r#"{"jsonrpc":"2.0","id":1,"#), "error -32700 null"),
            (framed("not json"), "error -32700 null"),
            (framed("[1,2]"), "error -32600 null"),
            (framed("7"), "error -32600 null"),
            (framed("null"), "error -32600 null"),
            (
                framed(r#"{"jsonrpc":"1.0","id":3,"method":"x"}"#),
                "error -32600 3",
            ),
            (framed(r#"{"id":3,"method":"x"}"#), "error -32600 3"),
            (
                framed(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#),
                "error -32600 null",
            ),
            (
                framed(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
                "error -32600 null",
            ),
            (
                framed(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#),
                "error -32600 null",
            ),
            (
                framed(r#"{"jsonrpc":"2.0","id":4,"method":7}"#),
                "error -32600 4",
            ),
            (
                framed(r#"{"jsonrpc":"2.0","method":"t","params":{"text":"\ud800"}}"#),
                "error -32700 null",
            ),
            (
                framed(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
                "error -32700 null",
            ),
            (
                "Content-Length: abc\r\n\r\n".to_string(),
                "error -32700 null",
            ),
            (
                "Content-Length: -5\r\n\r\n".to_string(),
                "error -32700 null",
            ),
            ("Content-Type: x\r\n\r\n".to_string(), "error -32700 null"),
            ("garbage before\r\n".to_string(), "error -32700 null"),
            (
                format!("Content-Length: 10\r\n\r\n{PING}"),
                "error -32700 null",
            ),
        ];
        for (bad, expected) in cases {
            let text = format!("{bad}{}", framed(PING));
            let found = events(text.as_bytes());
            assert_eq!(
                found.first().map(String::as_str),
                Some(expected),
                "{bad:?}: {found:?}"
            );
            assert_eq!(
                found.last(),
                Some(&format!("message {PING}")),
                "{bad:?}: {found:?}"
            );
        }
    }

    /// A service whose `boom` request panics, and that answers every other request.
    struct Panicky;

    impl Service<Request> for Panicky {
        type Response = Option<Response>;
        type Error = std::convert::Infallible;
        type Future = futures::future::BoxFuture<'static, Result<Option<Response>, Self::Error>>;

        fn poll_ready(
            &mut self,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Result<(), Self::Error>> {
            std::task::Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: Request) -> Self::Future {
            Box::pin(async move {
                assert_ne!(request.method(), "boom", "a handler that fails on purpose");
                Ok(request
                    .id()
                    .cloned()
                    .map(|id| Response::from_ok(id, json!("ok"))))
            })
        }
    }

    struct Idle;

    impl tower_lsp_server::LanguageServer for Idle {
        async fn initialize(
            &self,
            _: tower_lsp_server::ls_types::InitializeParams,
        ) -> tower_lsp_server::jsonrpc::Result<tower_lsp_server::ls_types::InitializeResult>
        {
            Ok(Default::default())
        }

        async fn shutdown(&self) -> tower_lsp_server::jsonrpc::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_handler_that_panics_is_answered_with_an_internal_error_and_the_session_goes_on() {
        let (_, socket) = tower_lsp_server::LspService::new(|_| Idle);
        let input = format!(
            "{}{}",
            framed(r#"{"jsonrpc":"2.0","id":1,"method":"boom"}"#),
            framed(r#"{"jsonrpc":"2.0","id":2,"method":"fine"}"#)
        );
        let (mut client, server) = tokio::io::duplex(1 << 16);
        let (to_server, mut from_server) = tokio::io::duplex(1 << 16);
        client.write_all(input.as_bytes()).await.unwrap();
        drop(client);
        let ending = serve(server, to_server, Panicky, socket, Outbox::new()).await;
        assert_eq!(ending, Ending::Clean);
        let mut output = Vec::new();
        from_server.read_to_end(&mut output).await.unwrap();
        let mut reader = FrameReader::default();
        reader.push(&output);
        let answers: Vec<Value> = std::iter::from_fn(|| reader.next_event())
            .map(|event| match event {
                Event::Message(message) => message,
                Event::Malformed(answer) => panic!("{}", String::from_utf8_lossy(&answer)),
            })
            .collect();
        let by_id = |id: i64| answers.iter().find(|answer| answer["id"] == id).cloned();
        assert_eq!(by_id(1).unwrap()["error"]["code"], -32603, "{answers:?}");
        assert_eq!(by_id(2).unwrap()["result"], "ok", "{answers:?}");
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_parse_error() {
        let mut bytes = b"Content-Length: 2\r\n\r\n\xff\xfe".to_vec();
        bytes.extend_from_slice(framed(PING).as_bytes());
        assert_eq!(
            events(&bytes),
            ["error -32700 null".to_string(), format!("message {PING}")]
        );
    }

    #[test]
    fn a_length_past_the_next_header_ends_the_body_at_it() {
        let text = format!("Content-Length: 500\r\n\r\n{PING}{}", framed(PING));
        assert_eq!(
            events(text.as_bytes()),
            [format!("message {PING}"), format!("message {PING}")]
        );
    }

    #[test]
    fn a_large_body_in_many_reads_and_a_quoted_header_stay_one_message() {
        let text = "x".repeat(1 << 20);
        // A document about the protocol quotes frames: prefixes that end like JSON.
        let quoted = "}Content-Length: 3 ".repeat(10_000);
        let body = format!(
            r#"{{"jsonrpc":"2.0","method":"t","params":{{"a":"Content-Length: 3","b":"{text}","c":"{quoted}"}}}}"#
        );
        let bytes = format!("{}{}", framed(&body), framed(PING));
        let mut reader = FrameReader::default();
        let mut found = Vec::new();
        for chunk in bytes.as_bytes().chunks(4096) {
            reader.push(chunk);
            while let Some(event) = reader.next_event() {
                found.push(event);
            }
        }
        assert_eq!(
            found,
            [Event::Message(json(&body)), Event::Message(json(PING))]
        );
    }
}
