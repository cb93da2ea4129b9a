//! The language server, driven in process over an in-memory pipe by a small JSON-RPC client
//! written here: capabilities, diagnostics, incremental edits with CJK and surrogate pairs,
//! quick fixes, fix-all, hover, configuration, robustness, and a clean exit of the binary.

use reportlint::lint::Rules;
use reportlint::lint::{lint, run_rules, LintOptions};
use reportlint::lsp::serve_with;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

/// How long any one expected message may take.
const WAIT: Duration = Duration::from_secs(20);

type Pending = Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>;

/// A client talking to one in-process server.
struct Client {
    writer: Arc<tokio::sync::Mutex<tokio::io::WriteHalf<tokio::io::DuplexStream>>>,
    pending: Pending,
    next_id: i64,
    /// Notifications and requests from the server, in order.
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Every message taken from `incoming` so far, wanted or not.
    seen: Vec<Value>,
    server: tokio::task::JoinHandle<reportlint::lsp::Ending>,
}

async fn write_message(
    writer: &tokio::sync::Mutex<tokio::io::WriteHalf<tokio::io::DuplexStream>>,
    message: &Value,
) {
    let body = message.to_string();
    let mut writer = writer.lock().await;
    writer
        .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await
        .unwrap();
    writer.flush().await.unwrap();
}

impl Client {
    /// Starts a server and sends `initialize` with these capabilities and options.
    async fn start(capabilities: Value, options: Value) -> (Client, Value) {
        Client::start_checking(run_rules, capabilities, options).await
    }

    /// `start`, with the server checking texts by `check` instead of the engine.
    async fn start_checking(check: Rules, capabilities: Value, options: Value) -> (Client, Value) {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let server = tokio::spawn(serve_with(check, server_read, server_write));
        let (read, write) = tokio::io::split(client_end);
        let writer = Arc::new(tokio::sync::Mutex::new(write));
        let pending: Pending = Arc::default();
        let (sender, incoming) = mpsc::unbounded_channel();
        let reader_pending = pending.clone();
        let reader_writer = writer.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(read);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(value) = line.strip_prefix("Content-Length: ") {
                        length = value.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).await.unwrap();
                let message: Value = serde_json::from_slice(&body).unwrap();
                let is_response = message.get("method").is_none();
                if is_response {
                    let id = message["id"].as_i64().unwrap();
                    if let Some(waiting) = reader_pending.lock().unwrap().remove(&id) {
                        let _ = waiting.send(message);
                    }
                    continue;
                }
                if let Some(id) = message.get("id") {
                    // A request from the server: accept it (registrations, applyEdit).
                    let result = if message["method"] == "workspace/applyEdit" {
                        json!({"applied": true})
                    } else {
                        Value::Null
                    };
                    write_message(
                        &reader_writer,
                        &json!({"jsonrpc": "2.0", "id": id, "result": result}),
                    )
                    .await;
                }
                let _ = sender.send(message);
            }
        });
        let mut client = Client {
            writer,
            pending,
            next_id: 0,
            incoming,
            seen: Vec::new(),
            server,
        };
        let response = client
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                       "initializationOptions": options, "locale": "en"}),
            )
            .await;
        client.notify("initialized", json!({})).await;
        (client, response)
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let (sender, receiver) = oneshot::channel();
        self.pending.lock().unwrap().insert(id, sender);
        write_message(
            &self.writer,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        tokio::time::timeout(WAIT, receiver)
            .await
            .unwrap_or_else(|_| panic!("no answer to {method}"))
            .unwrap()
    }

    async fn notify(&self, method: &str, params: Value) {
        write_message(
            &self.writer,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
        .await;
    }

    /// Waits for a notification or request from the server with this method.
    async fn expect(&mut self, method: &str) -> Value {
        loop {
            let message = tokio::time::timeout(WAIT, self.incoming.recv())
                .await
                .unwrap_or_else(|_| panic!("no {method} arrived"))
                .expect("the server closed the connection");
            self.seen.push(message.clone());
            if message["method"] == method {
                return message["params"].clone();
            }
        }
    }

    /// Waits for the diagnostics of `version`, skipping older ones.
    async fn diagnostics_for(&mut self, version: i64) -> Vec<Value> {
        loop {
            let params = self.expect("textDocument/publishDiagnostics").await;
            if params["version"].as_i64() == Some(version) {
                return params["diagnostics"].as_array().unwrap().clone();
            }
            assert!(
                params["version"].as_i64() < Some(version),
                "diagnostics from the future: {params}"
            );
        }
    }

    async fn did_open(&self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        )
        .await;
    }

    /// The whole answer to a hover request at `position` of the test document.
    async fn hover(&mut self, position: Value) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position}),
        )
        .await
    }

    async fn server_text(&mut self, uri: &str) -> Value {
        self.request("reportlint/documentText", json!({"uri": uri}))
            .await["result"]
            .clone()
    }

    /// `shutdown`, `exit`, and the server task must end.
    async fn stop(mut self) {
        let answer = self.request("shutdown", Value::Null).await;
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null).await;
        let ending = tokio::time::timeout(WAIT, self.server)
            .await
            .expect("the server kept running after exit")
            .unwrap();
        assert_eq!(ending, reportlint::lsp::Ending::Clean);
    }
}

/// A client model of the document: the text, edited in UTF-16 positions like VS Code does.
struct Model {
    text: String,
    version: i64,
}

/// The byte offset of a UTF-16 position (clamped like the server).
fn byte_offset(text: &str, line: usize, character: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(index) => start += index + 1,
            None => return text.len(),
        }
    }
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |index| start + index);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    let mut units = 0;
    for (index, character_here) in text[start..end].char_indices() {
        if units >= character {
            return start + index;
        }
        units += character_here.len_utf16();
    }
    end
}

/// The UTF-16 position of a byte offset.
fn position_of(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
    let line = text[..line_start].matches('\n').count();
    let character: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

fn range_of(text: &str, start: usize, end: usize) -> Value {
    json!({"start": position_of(text, start), "end": position_of(text, end)})
}

impl Model {
    /// A model of a document just opened (version 1).
    fn new(text: impl Into<String>) -> Model {
        Model {
            text: text.into(),
            version: 1,
        }
    }

    /// Applies LSP text edits (sorted or not, non-overlapping) given in UTF-16 positions.
    fn apply_edits(&mut self, edits: &[Value]) {
        let mut resolved: Vec<(usize, usize, String)> = edits
            .iter()
            .map(|edit| {
                let at = |position: &Value| {
                    byte_offset(
                        &self.text,
                        position["line"].as_u64().unwrap() as usize,
                        position["character"].as_u64().unwrap() as usize,
                    )
                };
                (
                    at(&edit["range"]["start"]),
                    at(&edit["range"]["end"]),
                    edit["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        resolved.sort_by_key(|edit| std::cmp::Reverse(edit.0));
        for (start, end, new_text) in resolved {
            self.text.replace_range(start..end, &new_text);
        }
    }

    /// Replaces bytes `start..end` here and tells the server, as one incremental change.
    async fn edit(&mut self, client: &Client, uri: &str, start: usize, end: usize, new_text: &str) {
        let range = range_of(&self.text, start, end);
        self.text.replace_range(start..end, new_text);
        self.version += 1;
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": self.version},
                       "contentChanges": [{"range": range, "text": new_text}]}),
            )
            .await;
    }
}

/// What the engine finds in `text`, as (code, start, end) with UTF-16 positions: the
/// expectation the server's diagnostics are held to.
fn expected(text: &str) -> Vec<(String, Value, Value)> {
    lint(text, &LintOptions::default())
        .diagnostics
        .iter()
        .map(|found| {
            (
                found.code.to_string(),
                position_of(text, found.range.start().into()),
                position_of(text, found.range.end().into()),
            )
        })
        .collect()
}

fn summary(diagnostics: &[Value]) -> Vec<(String, Value, Value)> {
    diagnostics
        .iter()
        .map(|found| {
            (
                found["code"].as_str().unwrap().to_string(),
                found["range"]["start"].clone(),
                found["range"]["end"].clone(),
            )
        })
        .collect()
}

const URI: &str = "file:///nonexistent-reportlint-test/report.md";

/// A generic report whose total is wrong (12 + 30 = 42, written 43), with CJK and an
/// astral character before the table so that UTF-16 and byte columns differ.
const REPORT: &str =
    "# 𠀀 报告 😀\n\n| 项目 | 金额 |\n|---|---|\n| 甲 | 12 |\n| 乙 | 30 |\n| 合计 | 43 |\n";

fn vscode_capabilities() -> Value {
    json!({"general": {"positionEncodings": ["utf-16"]},
           "workspace": {"workspaceEdit": {"documentChanges": true}, "applyEdit": true},
           "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}})
}

async fn open(client: &mut Client, text: &str) -> Vec<Value> {
    client.did_open(URI, 1, text).await;
    client.diagnostics_for(1).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advertises_incremental_sync_and_negotiates_the_encoding() {
    let (client, response) = Client::start(vscode_capabilities(), json!({})).await;
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2);
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.reportlint"])
    );
    assert!(
        capabilities.get("diagnosticProvider").is_none(),
        "push client: {capabilities}"
    );
    client.stop().await;

    let neovim_011 = json!({"general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
                            "textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (client, response) = Client::start(neovim_011, json!({})).await;
    let capabilities = &response["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-8");
    assert_eq!(
        capabilities["diagnosticProvider"]["identifier"],
        "reportlint"
    );
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_what_the_engine_finds_with_version_code_source_and_related_cells() {
    let text = std::fs::read_to_string("fixtures/samples/quangang-2020-tsv.txt").unwrap();
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    let diagnostics = open(&mut client, &text).await;
    assert_eq!(summary(&diagnostics), expected(&text));
    let wrong = diagnostics
        .iter()
        .find(|found| found["code"] == "sum-mismatch")
        .expect("the sample's wrong cell");
    assert_eq!(wrong["source"], "reportlint");
    assert_eq!(wrong["range"]["start"]["line"], 77);
    assert_eq!(wrong["severity"], 1);
    assert!(
        wrong["message"].as_str().unwrap().contains("should be 0"),
        "{wrong}"
    );
    let related = wrong["relatedInformation"].as_array().unwrap();
    assert!(related.len() >= 3, "{related:?}");
    assert!(related.iter().all(|item| item["location"]["uri"] == URI));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_follow_the_client_locale_or_the_lang_option() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"lang": "zh-CN"})).await;
    let diagnostics = open(&mut client, REPORT).await;
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("各项之和为 42"), "{message}");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_with_cjk_and_surrogate_pairs_keep_text_and_ranges_in_step() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": 0})).await;
    let mut model = Model::new(REPORT);
    let first = open(&mut client, &model.text).await;
    assert_eq!(summary(&first), expected(&model.text));
    let edits: [(&str, &str); 6] = [
        // Astral and CJK text in the title moves nothing below it, on other lines.
        ("😀", "😀😀中"),
        // A line above the table: every range moves down one line.
        ("\n\n| 项目", "\n\n𠀀 新段落\n\n| 项目"),
        // Typing inside a cell, next to a surrogate pair.
        ("| 甲 | 12 |", "| 𠀀甲 | 12 |"),
        // The total right: the mismatch goes.
        ("| 合计 | 43 |", "| 合计 | 42 |"),
        // Wrong again, in another part.
        ("| 乙 | 30 |", "| 乙 | 31 |"),
        // A CRLF line end inserted mid-table.
        ("| 乙 | 31 |\n", "| 乙 | 31 |\r\n"),
    ];
    let mut last = Vec::new();
    for (before, after) in edits {
        let start = model
            .text
            .find(before)
            .unwrap_or_else(|| panic!("{before} in {}", model.text));
        // Send only the part that differs, as editors do.
        let common = before
            .chars()
            .zip(after.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        model
            .edit(
                &client,
                URI,
                start + common,
                start + before.len(),
                &after[common..],
            )
            .await;
        let diagnostics = client.diagnostics_for(model.version).await;
        let server = client.server_text(URI).await;
        assert_eq!(server["text"], model.text.as_str());
        assert_eq!(server["version"], model.version);
        assert_eq!(
            summary(&diagnostics),
            expected(&model.text),
            "after {before} -> {after}"
        );
        last = diagnostics;
    }
    let codes: Vec<String> = summary(&last).into_iter().map(|item| item.0).collect();
    assert_eq!(codes, ["sum-mismatch"]);
    client.stop().await;
}

/// A document left alone for longer than the server's idle time gives its rope up and keeps
/// one copy of its text (the last check's); the next edits land in a rope made from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_after_the_document_rested_land_where_they_would_have() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": 0})).await;
    let mut model = Model::new(REPORT);
    open(&mut client, &model.text).await;
    for (before, after) in [
        ("| 合计 | 43 |", "| 合计 | 42 |"),
        ("😀", "😀中"),
        ("| 乙 | 30 |", "| 乙 | 31 |"),
    ] {
        // Past the idle time (0.5 s) after the last check: the document is at rest.
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let at = model.text.find(before).expect("the text to edit");
        model.edit(&client, URI, at, at + before.len(), after).await;
        let diagnostics = client.diagnostics_for(model.version).await;
        assert_eq!(
            summary(&diagnostics),
            expected(&model.text),
            "after {before} -> {after}"
        );
        let server = client.server_text(URI).await;
        assert_eq!(server["text"], model.text.as_str());
    }
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quick_fix_puts_the_right_total_in_and_the_diagnostic_goes() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": 0})).await;
    let mut model = Model::new(REPORT);
    let diagnostics = open(&mut client, &model.text).await;
    let wrong = diagnostics
        .iter()
        .find(|found| found["code"] == "sum-mismatch")
        .unwrap()
        .clone();
    let answer = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": wrong["range"], "context": {"diagnostics": [wrong]}}),
        )
        .await;
    let actions = answer["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|action| action["isPreferred"] == true)
        .expect("a preferred quick fix");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["title"], "Set 金额 to 42");
    let suppress = actions
        .iter()
        .find(|action| action["title"] == "Disable sum-mismatch for this line");
    assert!(suppress.is_some(), "{actions:?}");
    // Beside a safe fix the lightbulb also offers fix-all; on the heading, nothing.
    let kinds = |actions: &[Value]| -> Vec<String> {
        actions
            .iter()
            .map(|action| action["kind"].to_string())
            .collect()
    };
    assert!(kinds(actions).contains(&"\"source.fixAll.reportlint\"".to_string()));
    let heading = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}),
        )
        .await;
    assert_eq!(heading["result"], json!([]), "{heading}");
    let document_edit = &fix["edit"]["documentChanges"][0];
    assert_eq!(document_edit["textDocument"]["version"], 1);
    model.apply_edits(document_edit["edits"].as_array().unwrap());
    assert!(model.text.contains("| 合计 | 42 |"), "{}", model.text);
    // Send the edit as the editor would and see the diagnostic go.
    model.version += 1;
    let edits = document_edit["edits"].as_array().unwrap();
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": model.version},
                   "contentChanges": edits.iter().map(|edit| json!({"range": edit["range"], "text": edit["newText"]})).collect::<Vec<_>>()}),
        )
        .await;
    let after = client.diagnostics_for(model.version).await;
    assert!(after.is_empty(), "{after:?}");
    assert_eq!(client.server_text(URI).await["text"], model.text.as_str());
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suppression_action_silences_the_line() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": 0})).await;
    let mut model = Model::new(REPORT);
    let diagnostics = open(&mut client, &model.text).await;
    let answer = client
        .request("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": diagnostics[0]["range"], "context": {"diagnostics": []}}))
        .await;
    let action = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|action| action["title"] == "Disable sum-mismatch for this line")
        .unwrap()
        .clone();
    let edit = &action["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(
        edit["newText"],
        "<!-- reportlint-disable-next-line sum-mismatch -->\n"
    );
    let start = byte_offset(
        &model.text,
        edit["range"]["start"]["line"].as_u64().unwrap() as usize,
        0,
    );
    model
        .edit(
            &client,
            URI,
            start,
            start,
            edit["newText"].as_str().unwrap(),
        )
        .await;
    let after = client.diagnostics_for(model.version).await;
    assert!(after.is_empty(), "{after:?}\n{}", model.text);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_is_one_minimal_edit_from_the_same_fixer_as_check_fix() {
    let text = std::fs::read_to_string("fixtures/samples/quangang-2020-tsv.txt").unwrap();
    // Break two totals; fix-all must give the sample back byte for byte (as check --fix does).
    let broken = text.replacen(
        "(七) 总计\t51\t2\t0\t0\t0\t0\t53",
        "(七) 总计\t51\t2\t0\t0\t0\t0\t99",
        1,
    );
    assert_ne!(broken, text);
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    let mut model = Model::new(broken.clone());
    open(&mut client, &model.text).await;
    let answer = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": range_of(&model.text, 0, 0),
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    let actions = answer["result"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.reportlint");
    let edits = actions[0]["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    model.apply_edits(edits);
    let fixed =
        reportlint::fix::fix_until_stable(&broken, reportlint::fix::FixMode::SafeOnly, |text| {
            lint(text, &LintOptions::default()).diagnostics
        })
        .unwrap();
    assert_eq!(model.text, fixed.text);
    assert!(model.text.contains("\t53\n"), "the total is back");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_the_arithmetic_of_each_relation_of_a_cell() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    open(&mut client, REPORT).await;
    let total = REPORT.find("43").unwrap() + 1;
    let answer = client.hover(position_of(REPORT, total)).await;
    let hover = answer["result"]["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("✗ 43 ≠ 12 + 30 = 42"), "{hover}");
    let part = REPORT.find("30").unwrap();
    let answer = client.hover(position_of(REPORT, part)).await;
    assert!(answer["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("≠"));
    // Text is not a number of any relation: no hover.
    let answer = client
        .hover(position_of(REPORT, REPORT.find("项目").unwrap()))
        .await;
    assert_eq!(answer["result"], Value::Null);
    // The title tells which profile the report is checked against, and why.
    let answer = client.hover(position_of(REPORT, 0)).await;
    assert_eq!(
        answer["result"]["contents"]["value"],
        "Profile generic: no disclosure-report title, sections or tables"
    );
    assert_eq!(answer["result"]["range"]["start"]["line"], 0);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_the_title_says_why_the_profile_in_the_editor_language() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"lang": "zh-CN"})).await;
    let report = "来源：某区人民政府 发布时间：2024-01-20\n\n某区2023年政府信息公开工作年度报告\n\n一、总体情况\n\n正文。\n";
    open(&mut client, report).await;
    let title = report.find("某区2023").unwrap() + 3;
    let answer = client.hover(position_of(report, title)).await;
    assert_eq!(
        answer["result"]["contents"]["value"],
        "格式 gov-2021：标题年份 2023"
    );
    // The banner line is not the title.
    let answer = client.hover(position_of(report, 0)).await;
    assert_eq!(answer["result"], Value::Null);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inlay_hints_are_opt_in_and_show_the_computed_total() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    open(&mut client, REPORT).await;
    let whole = range_of(REPORT, 0, REPORT.len());
    let answer = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        )
        .await;
    assert_eq!(answer["result"], Value::Null);
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"reportlint": {"inlayHints": true}}}),
        )
        .await;
    let answer = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": URI}, "range": whole}),
        )
        .await;
    let hints = answer["result"].as_array().unwrap();
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert_eq!(hints[0]["label"], "= 42");
    assert_eq!(
        hints[0]["position"],
        position_of(REPORT, REPORT.find("43").unwrap() + 2)
    );
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn symbols_and_folding_follow_the_sections() {
    let text = std::fs::read_to_string("fixtures/samples/yicheng-2020-cell-per-line.txt").unwrap();
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    open(&mut client, &text).await;
    let answer = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let symbols = answer["result"].as_array().unwrap();
    let mut names = Vec::new();
    fn walk(symbols: &[Value], names: &mut Vec<String>) {
        for symbol in symbols {
            names.push(symbol["name"].as_str().unwrap().to_string());
            if let Some(children) = symbol["children"].as_array() {
                walk(children, names);
            }
        }
    }
    walk(symbols, &mut names);
    for section in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "五、存在的主要问题及改进情况",
    ] {
        assert!(
            names.iter().any(|name| name.starts_with(section)),
            "{section} in {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .filter(|name| name.starts_with("table "))
            .count()
            >= 3,
        "{names:?}"
    );
    let answer = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(answer["result"].as_array().unwrap().len() >= 10);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rapid_edits_leave_the_text_consistent() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": 0})).await;
    let mut model = Model::new(REPORT);
    open(&mut client, &model.text).await;
    let pieces = ["1", "中", "𠀀", "\n", "| ", "\t", "😀", "", "合计"];
    let mut seed: u64 = 0x5eed;
    let mut next = move |bound: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % bound as u64) as usize
    };
    for _ in 0..1000 {
        let boundaries: Vec<usize> = model
            .text
            .char_indices()
            .map(|(index, _)| index)
            .chain([model.text.len()])
            .collect();
        let start = boundaries[next(boundaries.len())];
        let end = boundaries[(boundaries.iter().position(|&at| at == start).unwrap() + next(3))
            .min(boundaries.len() - 1)];
        // Never split a CRLF (no CR is inserted, so none exists).
        let piece = pieces[next(pieces.len())];
        model.edit(&client, URI, start, end, piece).await;
    }
    let server = client.server_text(URI).await;
    assert_eq!(server["version"], model.version);
    assert_eq!(server["text"], model.text.as_str());
    let diagnostics = client.diagnostics_for(model.version).await;
    assert_eq!(summary(&diagnostics), expected(&model.text));
    // Only the last edit's check publishes: every earlier one gave up or was superseded,
    // and no check published the same version twice.
    client.server_text(URI).await;
    while let Ok(message) = client.incoming.try_recv() {
        client.seen.push(message);
    }
    let published: Vec<&Value> = client
        .seen
        .iter()
        .filter(|message| message["method"] == "textDocument/publishDiagnostics")
        .collect();
    let last = published
        .iter()
        .filter(|message| message["params"]["version"] == model.version)
        .count();
    assert_eq!(last, 1, "the last version was published {last} times");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_clients_get_diagnostics_on_request_and_none_pushed() {
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (mut client, _) = Client::start(capabilities, json!({})).await;
    client.did_open(URI, 1, REPORT).await;
    let answer = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let report = &answer["result"];
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap();
    assert_eq!(summary(items), expected(REPORT));
    // This client did not say it takes related locations: none are sent.
    assert!(
        items
            .iter()
            .all(|item| item.get("relatedInformation").is_none()),
        "{items:?}"
    );
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": report["resultId"]}),
        )
        .await;
    assert_eq!(again["result"]["kind"], "unchanged");
    // The text did not change but the settings did: the old result is not "unchanged".
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"lang": "zh"}}),
        )
        .await;
    let after = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": report["resultId"]}),
        )
        .await;
    assert_eq!(after["result"]["kind"], "full", "{after}");
    let message = after["result"]["items"][0]["message"].as_str().unwrap();
    assert!(message.contains("各项之和为 42"), "{message}");
    // Nothing was pushed: the only server messages so far are none of publishDiagnostics.
    while let Ok(message) = client.incoming.try_recv() {
        assert_ne!(
            message["method"], "textDocument/publishDiagnostics",
            "{message}"
        );
    }
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_clients_with_lint_on_save_see_the_saved_text_checked() {
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
                              "workspace": {"diagnostics": {"refreshSupport": true}}});
    let (mut client, _) = Client::start(capabilities, json!({"lintOn": "save"})).await;
    let mut model = Model::new(REPORT);
    client.did_open(URI, 1, &model.text).await;
    async fn pull(client: &mut Client, previous: &Value) -> Value {
        let params = json!({"textDocument": {"uri": URI}, "previousResultId": previous});
        client.request("textDocument/diagnostic", params).await["result"].clone()
    }
    let opened = pull(&mut client, &Value::Null).await;
    assert_eq!(opened["items"].as_array().unwrap().len(), 1, "{opened}");
    // Typing the right total is not checked until the document is saved.
    let total = model.text.find("43").unwrap();
    model.edit(&client, URI, total, total + 2, "42").await;
    let typed = pull(&mut client, &opened["resultId"]).await;
    assert_eq!(typed["kind"], "unchanged", "{typed}");
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    // Clients that do not pull on save themselves are asked to.
    client.expect("workspace/diagnostic/refresh").await;
    let saved = pull(&mut client, &opened["resultId"]).await;
    assert_eq!(saved["kind"], "full", "{saved}");
    assert_eq!(saved["items"], json!([]));
    // Back to checking as one types: the current text is checked on the next pull.
    model.edit(&client, URI, total, total + 2, "40").await;
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"lintOn": "type"}}),
        )
        .await;
    let typing = pull(&mut client, &saved["resultId"]).await;
    assert_eq!(typing["items"].as_array().unwrap().len(), 1, "{typing}");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_reportlint_toml_is_applied_without_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let report = folder.path().join("report.md");
    std::fs::write(&report, REPORT).unwrap();
    let uri = format!("file://{}", report.display());
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut client, _) = Client::start(capabilities, json!({})).await;
    let registration = client.expect("client/registerCapability").await;
    assert_eq!(
        registration["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    client.did_open(&uri, 1, REPORT).await;
    let diagnostics = client.diagnostics_for(1).await;
    assert_eq!(diagnostics.len(), 1);
    let config = folder.path().join("reportlint.toml");
    std::fs::write(&config, "[rules]\nsum-mismatch = \"off\"\n").unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("file://{}", config.display()), "type": 1}]}),
        )
        .await;
    let diagnostics = client.diagnostics_for(1).await;
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // A broken configuration is reported once, and checking goes on with the defaults.
    std::fs::write(&config, "[rules]\nsum-mismatch = \"loud\"\n").unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("file://{}", config.display()), "type": 2}]}),
        )
        .await;
    let shown = client.expect("window/showMessage").await;
    assert!(
        shown["message"]
            .as_str()
            .unwrap()
            .contains("reportlint.toml"),
        "{shown}"
    );
    let diagnostics = client.diagnostics_for(1).await;
    assert_eq!(diagnostics.len(), 1);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_answered_and_the_server_carries_on() {
    let (mut client, _) = Client::start(vscode_capabilities(), json!({"debounceMs": "soon"})).await;
    let shown = client.expect("window/showMessage").await;
    assert!(
        shown["message"].as_str().unwrap().contains("debounceMs"),
        "{shown}"
    );
    // An edit before didOpen, and requests about a document nobody opened.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "x"}]}),
        )
        .await;
    let hover = client.hover(json!({"line": 0, "character": 0})).await;
    assert_eq!(hover["result"], Value::Null);
    // Malformed parameters and an unknown method get errors, not a crash.
    let malformed = client
        .request("textDocument/hover", json!({"textDocument": 5}))
        .await;
    assert_eq!(malformed["error"]["code"], -32602);
    let unknown = client.request("reportlint/nothing", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    // Ranges past the end are clamped.
    let mut model = Model::new(REPORT);
    open(&mut client, &model.text).await;
    model.version += 1;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": model.version},
                   "contentChanges": [{"range": {"start": {"line": 99, "character": 0}, "end": {"line": 120, "character": 4}}, "text": "tail\n"}]}),
        )
        .await;
    model.text.push_str("tail\n");
    client.diagnostics_for(model.version).await;
    assert_eq!(client.server_text(URI).await["text"], model.text.as_str());
    client.stop().await;
}

/// The real binary over pipes, for what only a process can show: that it ends.
struct Binary {
    child: std::process::Child,
    input: Option<std::process::ChildStdin>,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Binary {
    fn start(capabilities: Value) -> Binary {
        Binary::start_with(capabilities, json!({}))
    }

    fn start_with(capabilities: Value, options: Value) -> Binary {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reportlint"))
            .arg("lsp")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let input = child.stdin.take();
        let output = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut binary = Binary {
            child,
            input,
            output,
        };
        binary.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"capabilities": capabilities, "initializationOptions": options}}));
        assert_eq!(
            binary.receive()["result"]["serverInfo"]["name"],
            "reportlint"
        );
        binary.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        binary
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.send_bytes(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        use std::io::Write;
        let input = self.input.as_mut().unwrap();
        input.write_all(bytes).unwrap();
        input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        use std::io::{BufRead, Read};
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.output.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            length = line
                .trim()
                .strip_prefix("Content-Length: ")
                .unwrap()
                .parse()
                .unwrap();
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Waits (at most 5 s) for the process to end; it must end well and log no panic.
    fn assert_ends(self, what: &str) {
        self.assert_exits_with(0, what);
    }

    /// Waits (at most 5 s) for the process to end with `code`, logging no panic.
    fn assert_exits_with(mut self, code: i32, what: &str) {
        use std::io::Read;
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > Duration::from_secs(5) {
                self.child.kill().unwrap();
                panic!("the server is still running 5 s after {what}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(code), "{status} after {what}");
        let mut log = String::new();
        let mut stderr = self.child.stderr.take().unwrap();
        stderr.read_to_string(&mut log).unwrap();
        assert!(!log.contains("panicked"), "{log}");
    }
}

#[test]
fn the_binary_exits_at_once_after_shutdown_and_exit() {
    let mut server = Binary::start(json!({}));
    server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": REPORT}}}));
    let published = server.receive();
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    assert_eq!(server.receive()["id"], 2);
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    server.assert_ends("exit");
}

/// A handler waiting for the client's answer (here `initialized`, to its request to watch
/// reportlint.toml files) must not keep the process alive after `exit` or the end of the
/// input: editors would be left with orphaned servers.
#[test]
fn the_binary_exits_while_a_request_to_the_client_is_unanswered() {
    for end in ["exit", "the end of the input"] {
        let mut server = Binary::start(
            json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        );
        assert_eq!(server.receive()["method"], "client/registerCapability");
        if end == "exit" {
            server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
            assert_eq!(server.receive()["id"], 2);
            server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        } else {
            server.input = None;
        }
        server.assert_ends(end);
    }
}

/// One bad message (a broken frame, a body that is not JSON-RPC 2.0) is answered with a
/// JSON-RPC error and the server goes on: the next request is answered, and the session
/// still ends cleanly.
#[test]
fn the_binary_answers_every_malformed_message_and_goes_on() {
    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let invalid_utf8 = b"Content-Length: 4\r\n\r\n\"\xff\xfe\"".to_vec();
    let cases: Vec<(&str, Vec<u8>, i64)> = vec![
        (
            "truncated JSON",
            framed(r#"{"jsonrpc":"2.0","id":1,"#),
            -32700,
        ),
        ("not JSON", framed("hello"), -32700),
        ("invalid UTF-8", invalid_utf8, -32700),
        ("an array", framed("[1,2]"), -32600),
        ("a number", framed("42"), -32600),
        ("null", framed("null"), -32600),
        (
            "jsonrpc 1.0",
            framed(r#"{"jsonrpc":"1.0","id":5,"method":"x"}"#),
            -32600,
        ),
        ("no jsonrpc", framed(r#"{"id":5,"method":"x"}"#), -32600),
        (
            "an object id",
            framed(r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#),
            -32600,
        ),
        (
            "a float id",
            framed(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            -32600,
        ),
        (
            "id 2^64",
            framed(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#),
            -32600,
        ),
        (
            "a numeric method",
            framed(r#"{"jsonrpc":"2.0","id":5,"method":7}"#),
            -32600,
        ),
        (
            "a lone surrogate",
            framed(&format!(
                r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{URI}","version":2}},"contentChanges":[{{"text":"\ud800"}}]}}}}"#
            )),
            -32700,
        ),
        ("100,000 levels of nesting", framed(&deep), -32700),
        (
            "a short Content-Length",
            b"Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}".to_vec(),
            -32700,
        ),
        (
            "a missing Content-Length",
            b"Content-Type: x\r\n\r\n{}".to_vec(),
            -32700,
        ),
        (
            "Content-Length abc",
            b"Content-Length: abc\r\n\r\n".to_vec(),
            -32700,
        ),
        (
            "Content-Length -5",
            b"Content-Length: -5\r\n\r\n".to_vec(),
            -32700,
        ),
        ("bytes before the header", b"hello\r\n".to_vec(), -32700),
    ];
    let mut server = Binary::start(json!({}));
    server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": REPORT}}}));
    assert_eq!(
        server.receive()["method"],
        "textDocument/publishDiagnostics"
    );
    for (id, (what, bytes, code)) in (100..).zip(cases) {
        server.send_bytes(&bytes);
        server.send(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}}),
        );
        let mut errors = Vec::new();
        loop {
            let message = server.receive();
            if message["id"] == id {
                assert!(message.get("result").is_some(), "{what}: {message}");
                break;
            }
            assert!(message.get("error").is_some(), "{what}: {message}");
            errors.push(message["error"]["code"].as_i64().unwrap());
        }
        assert_eq!(errors.first(), Some(&code), "{what}: {errors:?}");
    }
    // A declared length past the end of the message: the body ends at the next header.
    let hover = json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}})
    .to_string();
    server.send_bytes(format!("Content-Length: 5000\r\n\r\n{hover}").as_bytes());
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    assert_eq!(server.receive()["id"], 1);
    assert_eq!(server.receive()["id"], 2);
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    server.assert_ends("shutdown and exit after malformed messages");
}

/// `exit` without `shutdown` ends the process with code 1, as the protocol asks.
#[test]
fn the_binary_exits_with_1_when_exit_comes_without_shutdown() {
    let mut server = Binary::start(json!({}));
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    server.assert_exits_with(1, "exit without shutdown");
}

/// With no debounce every edit is checked at once, on as many threads as the machine has,
/// and checks finish in any order: the publications that reach the client must still come
/// in the order of the versions, or an editor shows an older version's squiggles.
#[test]
fn the_binary_publishes_diagnostics_in_version_order() {
    const EDITS: i32 = 400;
    let mut server = Binary::start_with(json!({}), json!({"debounceMs": 0}));
    server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": URI, "languageId": "markdown", "version": 0, "text": REPORT}}}));
    let total = REPORT.lines().count() - 1;
    for version in 1..=EDITS {
        // Alternate the total between right and wrong, so consecutive results differ.
        let digit = if version % 2 == 0 { "3" } else { "2" };
        server.send(json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": URI, "version": version},
                       "contentChanges": [{"range": {"start": {"line": total, "character": 8},
                                                     "end": {"line": total, "character": 9}},
                                           "text": digit}]}}));
    }
    let mut versions = Vec::new();
    while versions.last() != Some(&EDITS) {
        let message = server.receive();
        if message["method"] == "textDocument/publishDiagnostics" {
            versions.push(message["params"]["version"].as_i64().unwrap() as i32);
        }
    }
    let out_of_order: Vec<_> = versions
        .windows(2)
        .filter(|pair| pair[1] <= pair[0])
        .collect();
    assert!(out_of_order.is_empty(), "{out_of_order:?} in {versions:?}");
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    while server.receive()["id"] != 2 {}
    server.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    server.assert_ends("exit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_options_are_accepted_as_written() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = &readme[readme.find("## In the editor").expect("the editor section")..];
    let start = section.find("```json\n").expect("an options example") + "```json\n".len();
    let options: Value =
        serde_json::from_str(&section[start..start + section[start..].find("```").unwrap()])
            .unwrap();
    let (mut client, _) = Client::start(vscode_capabilities(), options).await;
    open(&mut client, REPORT).await;
    // No complaint about the options arrived before the diagnostics.
    while let Ok(message) = client.incoming.try_recv() {
        client.seen.push(message);
    }
    assert!(!client.seen.is_empty());
    for message in &client.seen {
        assert_ne!(message["method"], "window/showMessage", "{message}");
    }
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_in_the_engine_is_caught_and_the_server_carries_on() {
    let (mut client, _) = Client::start_checking(
        |context, plan| {
            assert!(!context.source.contains('💥'), "rules that fail on purpose");
            run_rules(context, plan)
        },
        vscode_capabilities(),
        json!({"debounceMs": 0}),
    )
    .await;
    let mut model = Model::new(format!("💥{REPORT}"));
    client.did_open(URI, 1, &model.text).await;
    // The failed check answers nothing; the server still answers requests.
    let hover = client.hover(json!({"line": 0, "character": 0})).await;
    assert_eq!(hover["result"], Value::Null);
    model.edit(&client, URI, 0, '💥'.len_utf8(), "").await;
    let diagnostics = client.diagnostics_for(model.version).await;
    assert_eq!(summary(&diagnostics), expected(&model.text));
    for message in &client.seen {
        assert_ne!(
            message["params"]["version"], 1,
            "nothing is published for the version that failed: {message}"
        );
    }
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lint_on_save_checks_on_open_and_save_only_and_close_clears() {
    let (mut client, _) = Client::start(
        vscode_capabilities(),
        json!({"lintOn": "save", "debounceMs": 0}),
    )
    .await;
    let mut model = Model::new(REPORT);
    assert_eq!(open(&mut client, &model.text).await.len(), 1);
    let total = model.text.find("43").unwrap();
    model.edit(&client, URI, total, total + 2, "42").await;
    // The edit is applied but not checked: the text agrees, and nothing was published.
    assert_eq!(client.server_text(URI).await["text"], model.text.as_str());
    while let Ok(message) = client.incoming.try_recv() {
        assert_ne!(
            message["method"], "textDocument/publishDiagnostics",
            "{message}"
        );
    }
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(client.diagnostics_for(model.version).await.is_empty());
    // Had typing been checked, this version would have been published twice.
    client.server_text(URI).await;
    while let Ok(message) = client.incoming.try_recv() {
        assert_ne!(
            message["method"], "textDocument/publishDiagnostics",
            "{message}"
        );
    }
    model.edit(&client, URI, total, total + 2, "40").await;
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(client.diagnostics_for(model.version).await.len(), 1);
    client
        .notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let cleared = client.expect("textDocument/publishDiagnostics").await;
    assert_eq!(cleared["diagnostics"], json!([]));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configuration_excludes_files_and_sets_the_language() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("reportlint.toml"),
        "lang = \"zh\"\nexclude = [\"drafts/**\"]\n",
    )
    .unwrap();
    std::fs::create_dir(folder.path().join("drafts")).unwrap();
    let (mut client, _) = Client::start(vscode_capabilities(), json!({})).await;
    for (version, name) in [(1, "drafts/report.md"), (2, "report.md")] {
        let uri = format!("file://{}/{name}", folder.path().display());
        client.did_open(&uri, version, REPORT).await;
        let diagnostics = client.diagnostics_for(version).await;
        assert_eq!(
            diagnostics.len(),
            if name.starts_with("drafts") { 0 } else { 1 },
            "{name}"
        );
    }
    client.stop().await;
}
