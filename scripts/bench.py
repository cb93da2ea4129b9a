#!/usr/bin/env python3
"""Benchmark and accuracy check on the shared corpus (../shared/bench/gen_corpus.py).

Prints, for report.md (~30 KB), big.md (~5 MB) and the 2,000 reports: the median wall time
of `reportlint check` over several runs, throughput, peak memory, and the ratio to a plain
scan of the same bytes by `rg` (or `grep` when rg is not installed) measured in the same
run; then recall and extra findings against the manifest of planted defects.

Usage: python3 scripts/bench.py [--corpus DIR] [--runs N] [--files N]
Builds the release binary first. Numbers are medians; the machine is shared and noisy.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "reportlint")
KIND_TO_CODE = {
    "row_total": "sum-mismatch",
    "grand_total": "sum-mismatch",
    "ragged_row": "table-shape",
    "section_missing": "missing-section",
    "section_order": "section-order",
}


def timed(command, runs):
    """Median seconds and peak RSS (KiB, from /usr/bin/time when available) of a command."""
    seconds = []
    peak = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    if os.path.exists("/usr/bin/time"):
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines = result.stderr.strip().splitlines()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else None
    return statistics.median(seconds), peak


def scanner():
    if shutil.which("rg"):
        return lambda paths: ["rg", "-c", "总计", *paths]
    return lambda paths: ["grep", "-c", "总计", *paths]


def accuracy(corpus, files):
    manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))
    paths = [os.path.join(corpus, name) for name in files]
    output = subprocess.run([BINARY, "check", "--format", "json", *paths], capture_output=True, text=True).stdout
    found = {entry["path"][len(corpus) + 1:]: entry["diagnostics"] for entry in json.loads(output)["files"]}
    hits = misses = extras = 0
    for name in files:
        diagnostics = found.get(name, [])
        used = set()
        for defect in manifest["files"][name]["defects"]:
            code = KIND_TO_CODE[defect["kind"]]
            match = next((index for index, diagnostic in enumerate(diagnostics)
                          if index not in used and diagnostic["code"] == code
                          and (defect.get("line") is None or diagnostic["range"]["start"]["line"] == defect["line"])), None)
            if match is None:
                misses += 1
                print(f"  missed: {name} {defect}")
            else:
                hits += 1
                used.add(match)
        extras += len(diagnostics) - len(used)
    return hits, misses, extras


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "target", "bench-corpus"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    generator = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
    if not os.path.exists(os.path.join(args.corpus, "manifest.json")):
        subprocess.run([sys.executable, generator, "--out", args.corpus, "--files", str(args.files)], check=True)
    scan = scanner()
    reports = sorted(os.listdir(os.path.join(args.corpus, "reports")))
    cases = [
        ("report.md", [os.path.join(args.corpus, "report.md")]),
        ("big.md", [os.path.join(args.corpus, "big.md")]),
        (f"reports/ ({len(reports)} files)", [os.path.join(args.corpus, "reports")]),
    ]
    print(f"{'input':<24} {'MB':>7} {'reportlint s':>13} {'MB/s':>8} {'peak MB':>8} {scan([])[0] + ' s':>8} {'ratio':>7}")
    for label, paths in cases:
        size = sum(os.path.getsize(os.path.join(folder, name)) for path in paths
                   for folder, _, names in (os.walk(path) if os.path.isdir(path) else [(os.path.dirname(path), None, [os.path.basename(path)])])
                   for name in names)
        seconds, peak = timed([BINARY, "check", "--format", "json", *paths], args.runs)
        scan_paths = [os.path.join(paths[0], name) for name in reports] if os.path.isdir(paths[0]) else paths
        scan_seconds, _ = timed(scan(scan_paths), args.runs)
        peak_text = f"{peak / 1024:.1f}" if peak else "?"
        print(f"{label:<24} {size / 1e6:>7.2f} {seconds:>13.3f} {size / 1e6 / seconds:>8.1f} {peak_text:>8} {scan_seconds:>8.3f} {seconds / scan_seconds:>7.1f}")
    names = ["report.md", "big.md"] + [f"reports/{name}" for name in reports]
    hits, misses, extras = accuracy(args.corpus, names)
    print(f"planted defects found: {hits} of {hits + misses}; other findings: {extras}")


if __name__ == "__main__":
    main()
