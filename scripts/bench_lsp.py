#!/usr/bin/env python3
"""Latency of the language server, measured over stdio like an editor sees it.

For report.md (~30 KB) and big.md (~5 MB) of the shared corpus (../shared/bench/gen_corpus.py),
and for the real sample fixtures/samples/quangang-2020-tsv.txt, prints medians of:
  open   didOpen -> publishDiagnostics (a whole parse and check)
  edit   didChange of one digit in a table cell -> publishDiagnostics of that version
  burst  200 one-character edits sent at once -> diagnostics of the last version
and, as the reference measured in the same run, `reportlint check` of the same file (a new
process: start, read, parse, check, print). debounceMs is 0 so the figures are the work.

Usage: python3 scripts/bench_lsp.py [--corpus DIR] [--runs N]
Builds the release binary first. The machine is shared and noisy: read the ratios.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "reportlint")


class Server:
    def __init__(self):
        self.process = subprocess.Popen([BINARY, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"capabilities": {"general": {"positionEncodings": ["utf-8"]}},
                              "initializationOptions": {"debounceMs": 0}}})
        self.wait(lambda message: message.get("id") == 0)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self):
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed stdout")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def wait(self, accept):
        while True:
            message = self.receive()
            if accept(message):
                return message

    def diagnostics(self, version):
        return self.wait(lambda message: message.get("method") == "textDocument/publishDiagnostics"
                         and message["params"].get("version") == version)

    def stop(self):
        self.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
        self.wait(lambda message: message.get("id") == 99)
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=10)


def position(text, offset):
    """UTF-8 position of a character offset."""
    before = text[:offset]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return {"line": line, "character": len(before[start:].encode())}


def measure(path, runs):
    text = open(path, encoding="utf-8").read()
    uri = "file://" + os.path.abspath(path) + ".bench"
    # One digit near the middle of the text, inside a table.
    middle = len(text) // 2
    digit = next(index for index in range(middle, len(text)) if text[index].isdigit() and "\t" in text[text.rfind("\n", 0, index):index] or text[index].isdigit() and "|" in text[text.rfind("\n", 0, index):index])
    opens, edits, bursts = [], [], []
    for _ in range(runs):
        server = Server()
        start = time.perf_counter()
        server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                     "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
        server.diagnostics(1)
        opens.append(time.perf_counter() - start)
        version = 1
        for replacement in ["7", text[digit]] * 3:
            version += 1
            at = position(text, digit)
            start = time.perf_counter()
            server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                         "params": {"textDocument": {"uri": uri, "version": version},
                                    "contentChanges": [{"range": {"start": at, "end": {"line": at["line"], "character": at["character"] + 1}}, "text": replacement}]}})
            server.diagnostics(version)
            edits.append(time.perf_counter() - start)
        start = time.perf_counter()
        at = position(text, digit)
        for step in range(200):
            version += 1
            typed = {"line": at["line"], "character": at["character"] + step}
            server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                         "params": {"textDocument": {"uri": uri, "version": version},
                                    "contentChanges": [{"range": {"start": typed, "end": typed}, "text": "1"}]}})
        server.diagnostics(version)
        bursts.append(time.perf_counter() - start)
        server.stop()
    checks = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([BINARY, "check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        checks.append(time.perf_counter() - start)
    return len(text.encode()), statistics.median(opens), statistics.median(edits), statistics.median(bursts), statistics.median(checks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    generator = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    if not os.path.exists(os.path.join(args.corpus, "manifest.json")):
        subprocess.run([sys.executable, generator, "--out", args.corpus, "--files", "200"], check=True)
    files = [os.path.join(ROOT, "fixtures", "samples", "quangang-2020-tsv.txt"),
             os.path.join(args.corpus, "report.md"), os.path.join(args.corpus, "big.md")]
    print(f"{'file':<28}{'bytes':>10}{'open':>10}{'edit':>10}{'burst':>10}{'check':>10}{'edit/check':>12}")
    for path in files:
        size, opened, edited, burst, check = measure(path, args.runs)
        print(f"{os.path.basename(path):<28}{size:>10}{opened * 1000:>8.1f}ms{edited * 1000:>8.1f}ms"
              f"{burst * 1000:>8.1f}ms{check * 1000:>8.1f}ms{edited / check:>12.2f}")


if __name__ == "__main__":
    main()
