#!/usr/bin/env python3
"""Edit latency of the language server, as an editor feels it.

The built server over stdio, debounceMs 0. For each document: 200 single-character edits at
spread positions, in cycles of six (a digit typed into a total and deleted, a character typed
into prose and deleted, a digit typed into a table row and deleted), each timed from the
`didChange` to the arrival of the whole `publishDiagnostics` message of that version (the
client's own JSON decoding after that is not counted: Python takes 8 ms for big.md's 1 MB
of diagnostics, a cost of the client, not the server); after each edit into a table row, a
hover on the total, timed to its answer. Prints p50 and p99 of both, the server's RSS (at
rest with the document open, one second after the last edit; the peak; after didClose),
and time per MB against document size (the cost curve), with PASS/FAIL against the targets
of the analysed-document issue. Documents: a 30 KB report (the shared corpus's report.md),
1 MB and 20 MB of the real sample repeated, the corpus's 5 MB big.md (thousands of
findings) and a generated 5 MB document of correct tables (no findings).

Usage: python3 scripts/bench_latency.py [--corpus DIR] [--edits N]
Builds the release binary first. The machine is shared and noisy: read medians and ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_lsp import ROOT, Server, position, rss_kib  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def places(text):
    """Character offsets to edit at: digits of total cells, prose, digits of table rows,
    spread over the text (one of each kind per eighth of it, where there is one)."""
    totals, prose, rows = [], [], []
    start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        has_digit = any(character.isdigit() for character in line)
        is_table = "|" in line or "\t" in line
        if is_table and has_digit and ("总计" in line or "合计" in line):
            digit = next(index for index, character in enumerate(line) if character.isdigit())
            totals.append(start + digit)
        elif is_table and has_digit:
            digit = next(index for index, character in enumerate(line) if character.isdigit())
            rows.append(start + digit)
        elif len(stripped) > 20 and not is_table and not stripped.startswith("#"):
            prose.append(start + len(line) // 2)
        start += len(line) + 1

    def spread(found):
        if not found:
            return []
        step = max(1, len(found) // 8)
        return found[::step][:8]

    return spread(totals) or spread(rows), spread(prose), spread(rows) or spread(totals)


WARM_UP = open(os.path.join(ROOT, "fixtures", "samples", "quangang-2020-tsv.txt"), encoding="utf-8").read()


def measure(text, edits):
    """Edit and hover latencies (seconds) and the server's RSS (KiB): before the document
    is opened, at rest with it open after the edits, at peak, and after `didClose`."""
    server = Server()
    # The baseline is a warm server: the engine's tables (labels, script conversion) are
    # built on first use and kept, and are no document's memory.
    warm = "file:///nonexistent-reportlint-bench/warm-up.md"
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": warm, "languageId": "markdown", "version": 1, "text": WARM_UP}}})
    server.diagnostics(1)
    server.send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": warm}}})
    server.wait(lambda message: message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == warm and not message["params"]["diagnostics"])
    baseline = rss_kib(server.process.pid, "VmRSS")
    uri = "file:///nonexistent-reportlint-bench/latency.md"
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                 "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    server.diagnostics(1)
    totals, prose, rows = places(text)
    kinds = [("7", totals), ("字", prose), ("1", rows)]
    version = 1
    edit_times, hover_times = [], []
    step = 0
    while len(edit_times) < edits:
        typed, where = kinds[step % 3]
        if not where:
            step += 1
            continue
        offset = where[(step // 3) % len(where)]
        at = position(text, offset)
        after = {"line": at["line"], "character": at["character"] + len(typed.encode())}
        for change in ({"range": {"start": at, "end": at}, "text": typed},
                       {"range": {"start": at, "end": after}, "text": ""}):
            version += 1
            start = time.perf_counter()
            server.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                         "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
            server.diagnostics(version)
            edit_times.append(server.arrived - start)
            if where is rows and totals:
                server.next_id += 1
                request = server.next_id
                start = time.perf_counter()
                server.send({"jsonrpc": "2.0", "id": request, "method": "textDocument/hover",
                             "params": {"textDocument": {"uri": uri}, "position": position(text, totals[0])}})
                server.wait(lambda message: message.get("id") == request)
                hover_times.append(server.arrived - start)
        step += 1
    # At rest with the document open: the server hands freed memory back once edits pause.
    time.sleep(1.0)
    memory = {"baseline": baseline, "open": rss_kib(server.process.pid, "VmRSS"),
              "peak": rss_kib(server.process.pid, "VmHWM")}
    server.send({"jsonrpc": "2.0", "method": "textDocument/didClose",
                 "params": {"textDocument": {"uri": uri}}})
    server.wait(lambda message: message.get("method") == "textDocument/publishDiagnostics"
                and not message["params"]["diagnostics"])
    time.sleep(0.3)
    memory["closed"] = rss_kib(server.process.pid, "VmRSS")
    server.stop()
    return edit_times, hover_times, memory


def correct_tables(megabytes):
    """Generic Markdown tables whose totals are right: no findings, all the arithmetic."""
    table = ["## 表\n", "| 项目 | 一月 | 二月 | 合计 |", "|---|---:|---:|---:|"]
    for row in range(1, 9):
        table.append(f"| 项目{row} | {row}.25 | {row * 2}.50 | {row * 3}.75 |")
    table.append("| 合计 | 38.00 | 76.00 | 114.00 |\n")
    unit = "\n".join(table) + "\n说明：以上数字为示例。\n\n"
    return unit * (megabytes * 1024 * 1024 // len(unit.encode()) + 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    generator = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    if not os.path.exists(os.path.join(args.corpus, "manifest.json")):
        subprocess.run([sys.executable, generator, "--out", args.corpus, "--files", "200"], check=True)
    sample = open(os.path.join(ROOT, "fixtures", "samples", "quangang-2020-tsv.txt"), encoding="utf-8").read()
    documents = [
        ("report.md 30 KB", open(os.path.join(args.corpus, "report.md"), encoding="utf-8").read(), args.edits),
        ("sample 1 MB", sample * (1024 * 1024 // len(sample.encode()) + 1), args.edits),
        ("big.md 5 MB", open(os.path.join(args.corpus, "big.md"), encoding="utf-8").read(), args.edits),
        ("correct tables 5 MB", correct_tables(5), args.edits),
        # Fewer edits: each costs as much as the document is long until analysis is incremental.
        ("sample 20 MB", sample * (20 * 1024 * 1024 // len(sample.encode()) + 1), max(12, args.edits // 10)),
    ]
    print(f"{'document':<22}{'bytes':>10}{'edits':>7}{'edit p50':>10}{'edit p99':>10}"
          f"{'hover p50':>11}{'hover p99':>11}{'RSS open':>10}{'peak':>7}{'closed':>8}{'p50 ms/MB':>11}")
    figures = {}
    for name, text, edits in documents:
        edit_times, hover_times, memory = measure(text, edits)
        size = len(text.encode())
        p50, p99 = statistics.median(edit_times), percentile(edit_times, 0.99)
        hover50 = statistics.median(hover_times) if hover_times else float("nan")
        hover99 = percentile(hover_times, 0.99) if hover_times else float("nan")
        figures[name] = (size, p50, p99, hover99, memory)
        print(f"{name:<22}{size:>10}{len(edit_times):>7}{p50 * 1000:>8.1f}ms{p99 * 1000:>8.1f}ms"
              f"{hover50 * 1000:>9.2f}ms{hover99 * 1000:>9.2f}ms{memory['open'] / 1024:>8.0f}MB"
              f"{memory['peak'] / 1024:>5.0f}MB{memory['closed'] / 1024:>6.0f}MB"
              f"{p50 * 1000 / (size / 1048576):>11.1f}")
    small = figures["report.md 30 KB"]
    clean = figures["correct tables 5 MB"]
    big = figures["big.md 5 MB"]
    targets = [
        ("edit p99, 30 KB <= 2 ms", small[2] <= 0.002),
        ("edit p99, 5 MB with no findings <= 10 ms", clean[2] <= 0.010),
        ("edit p99, 5 MB with no findings <= 5 x the 30 KB figure", clean[2] <= 5 * small[2]),
        ("edit p99, 5 MB big.md <= 25 ms", big[2] <= 0.025),
        ("hover p99 after an edit, 5 MB <= 2 ms", max(clean[3], big[3]) <= 0.002),
        ("RSS at rest, 5 MB of correct tables open <= 3 x the document + 20 MB",
         clean[4]["open"] * 1024 <= 3 * clean[0] + 20 * 1048576),
        ("RSS at rest, 5 MB big.md open <= 3 x the document + 20 MB",
         big[4]["open"] * 1024 <= 3 * big[0] + 20 * 1048576),
        ("RSS after didClose within 5 MB of the RSS before didOpen, every document",
         all(figure[4]["closed"] - figure[4]["baseline"] <= 5 * 1024 for figure in figures.values())),
    ]
    for what, ok in targets:
        print(f"  {'PASS' if ok else 'FAIL'} {what}")
    print(f"latency: {sum(not ok for _, ok in targets)} of {len(targets)} targets failed")


if __name__ == "__main__":
    main()
