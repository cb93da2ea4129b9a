#!/usr/bin/env python3
"""Latency of the language server, measured over stdio like an editor sees it.

For report.md (~30 KB) and big.md (~5 MB) of the shared corpus (../shared/bench/gen_corpus.py),
and for the real sample fixtures/samples/quangang-2020-tsv.txt, prints medians of:
  open   didOpen -> publishDiagnostics (a whole parse and check)
  edit   didChange of one digit in a table cell -> publishDiagnostics of that version
  burst  200 one-character edits sent at once -> diagnostics of the last version
and, as the reference measured in the same run, `reportlint check` of the same file (a new
process: start, read, parse, check, print). debounceMs is 0 so the figures are the work.

Then, for the real sample repeated to 5 MB and to 20 MB: documentSymbol, foldingRange and a
hover on a total after the document is open, the server's peak RSS, and its RSS 3 s after
didClose against its RSS before didOpen, for three shapes: the sample, heading-dense text and
small tables. Time per MB at 20 MB over that at 5 MB shows whether the cost grows faster than
the text (1.0 is linear, a quadratic cost gives 4); each shape passes at 2.0 or less and
when the RSS after didClose is within 10 MB of the RSS before didOpen.

Usage: python3 scripts/bench_lsp.py [--corpus DIR] [--runs N] [--large-only]
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
        body = self.process.stdout.read(length)
        # When the whole message was in: the client's own decoding is not the server's time.
        self.arrived = time.perf_counter()
        return json.loads(body)

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


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def measure_large(unit, megabytes):
    """Requests over `unit` repeated to `megabytes` MB, and the memory before, at peak and after."""
    text = unit * (megabytes * 1024 * 1024 // len(unit.encode()) + 1)
    uri = "file:///nonexistent-reportlint-bench/large.txt"
    server = Server()
    pid = server.process.pid
    baseline = rss_kib(pid, "VmRSS")
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri, "languageId": "text", "version": 1, "text": text}}})
    server.diagnostics(1)
    # The last total row's first number (a number the hover explains), else the start.
    total = max(text.rfind("总计"), text.rfind("合计"), 0)
    number = next((index for index in range(total, len(text)) if text[index].isdigit()), 0)
    line = text.count("\n", 0, number)
    column = len(text[text.rfind("\n", 0, number) + 1:number].encode())
    timings = {}
    for name, method, params in [
            ("symbols", "textDocument/documentSymbol", {}),
            ("folding", "textDocument/foldingRange", {}),
            ("hover", "textDocument/hover", {"position": {"line": line, "character": column}})]:
        server.next_id += 1
        request = server.next_id
        start = time.perf_counter()
        server.send({"jsonrpc": "2.0", "id": request, "method": method,
                     "params": {"textDocument": {"uri": uri}, **params}})
        server.wait(lambda message: message.get("id") == request)
        timings[name] = time.perf_counter() - start
    peak = rss_kib(pid, "VmHWM")
    server.send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
    server.wait(lambda message: message.get("method") == "textDocument/publishDiagnostics")
    time.sleep(3)
    after = rss_kib(pid, "VmRSS")
    server.stop()
    return len(text.encode()), timings, baseline, peak, after


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-only", action="store_true", help="only the large documents")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    generator = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    if not args.large_only and not os.path.exists(os.path.join(args.corpus, "manifest.json")):
        subprocess.run([sys.executable, generator, "--out", args.corpus, "--files", "200"], check=True)
    files = [] if args.large_only else [
        os.path.join(ROOT, "fixtures", "samples", "quangang-2020-tsv.txt"),
        os.path.join(args.corpus, "report.md"), os.path.join(args.corpus, "big.md")]
    if files:
        print(f"{'file':<28}{'bytes':>10}{'open':>10}{'edit':>10}{'burst':>10}{'check':>10}{'edit/check':>12}")
    for path in files:
        size, opened, edited, burst, check = measure(path, args.runs)
        print(f"{os.path.basename(path):<28}{size:>10}{opened * 1000:>8.1f}ms{edited * 1000:>8.1f}ms"
              f"{burst * 1000:>8.1f}ms{check * 1000:>8.1f}ms{edited / check:>12.2f}")
    shapes = [
        ("sample", open(os.path.join(ROOT, "fixtures", "samples", "quangang-2020-tsv.txt"), encoding="utf-8").read()),
        ("headings", "## 第一节\n\n正文。\n\n### 说明\n\n说明。\n\n"),
        ("small tables", "| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |\n| 合计 | 1 |\n\n"),
    ]
    print(f"\n{'large document':<22}{'bytes':>10}{'symbols':>10}{'folding':>10}{'hover':>10}"
          f"{'RSS before':>12}{'peak':>10}{'after close':>13}")
    failures = 0
    for name, unit in shapes:
        per_megabyte = {}
        for megabytes in (5, 20):
            size, timings, baseline, peak, after = measure_large(unit, megabytes)
            per_megabyte[megabytes] = {request: seconds / megabytes for request, seconds in timings.items()}
            print(f"{name + ' ' + str(megabytes) + ' MB':<22}{size:>10}"
                  + "".join(f"{timings[request] * 1000:>8.1f}ms" for request in ("symbols", "folding", "hover"))
                  + f"{baseline / 1024:>10.1f}MB{peak / 1024:>8.1f}MB{after / 1024:>11.1f}MB")
            returned = after <= baseline + 10 * 1024
            failures += not returned
            print(f"  {'PASS' if returned else 'FAIL'} {name} {megabytes} MB: RSS after close within 10 MB of before open")
        ratios = {request: per_megabyte[20][request] / max(per_megabyte[5][request], 1e-9)
                  for request in ("symbols", "folding", "hover")}
        linear = all(ratio <= 2.0 for ratio in ratios.values())
        failures += not linear
        print(f"  {'PASS' if linear else 'FAIL'} {name}: time per MB, 20 MB over 5 MB (at most 2.0; "
              "a quadratic cost gives 4): " + ", ".join(f"{request} {ratio:.2f}" for request, ratio in ratios.items()))
    print(f"large documents: {failures} targets failed")

if __name__ == "__main__":
    main()
