#!/usr/bin/env python3
"""Throughput and memory of `reportlint check`, against the scan floor and a Markdown linter.

In one run, on the same files, medians of several runs (page cache warm): `reportlint check
--format json` against `rg -j1 -c '|'` and `rg -c '|'` (a scan of the same bytes: the
floor) and against rumdl (`rumdl check --no-cache`, a Markdown linter with ~50 rules). It
prints MB/s, the ratios, and peak RSS (`/usr/bin/time`), for: the 30 KB report and big.md
of the shared corpus (`../shared/bench/gen_corpus.py`) and a generated 5 MB document of
correct tables, on one thread; the corpus's 2,000 reports on both cores; a corpus of real
disclosure reports (the fixtures' samples and layouts, in UTF-8, GBK and CRLF, many times);
and reports with no findings, many times (memory flat in files); and the memory shapes (one huge
table, 10^6 short tables, a 10 MB line, 10^6 columns). Then
every target of the throughput issue with PASS/FAIL, and the recall on the corpus's planted
defects (which must be exact).

Usage: python3 scripts/bench.py [--runs N] [--quick]
Builds the release binary first. rg and rumdl are installed when missing (PyPI). The machine
is shared and noisy: read medians and ratios, never one figure.
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
WORK = os.path.join(ROOT, "target", "bench-throughput")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_latency import correct_tables  # noqa: E402

KIND_TO_CODE = {
    "row_total": "sum-mismatch",
    "grand_total": "sum-mismatch",
    "ragged_row": "table-shape",
    "section_missing": "missing-section",
    "section_order": "section-order",
}


def tool(name, package):
    """The path of a command, installed from PyPI when missing."""
    if not shutil.which(name):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    found = shutil.which(name)
    if not found:
        sys.exit(f"bench.py: {name} is not installed and `pip install {package}` did not provide it")
    return found


def run(command, threads=None):
    """Wall seconds and peak RSS (KiB) of one run; output is discarded."""
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    return seconds, int(lines[-1]) if lines and lines[-1].isdigit() else 0


def timed(command, runs, threads=None):
    """Median seconds and the largest peak RSS (KiB) over `runs` runs, after one warm-up."""
    run(command, threads)
    results = [run(command, threads) for _ in range(runs)]
    return statistics.median(seconds for seconds, _ in results), max(peak for _, peak in results)


def size_of(paths):
    total = 0
    for path in paths:
        if os.path.isdir(path):
            total += sum(os.path.getsize(os.path.join(folder, name))
                         for folder, _, names in os.walk(path) for name in names)
        else:
            total += os.path.getsize(path)
    return total


def write(path, text, encoding="utf-8"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as out:
        out.write(text)


def gov_corpus(folder, copies):
    """Real disclosure reports (tables 二 三 四, every text layout the fixtures hold), each in
    UTF-8, in GBK and with CRLF line ends, `copies` times."""
    if os.path.isdir(folder):
        return folder
    sources = []
    for sub in ("samples", "published", "layouts", "formats"):
        directory = os.path.join(ROOT, "fixtures", sub)
        for name in sorted(os.listdir(directory)):
            if sub == "formats" and not name.startswith("gov-"):
                continue
            path = os.path.join(directory, name)
            try:
                sources.append((name, open(path, encoding="utf-8").read()))
            except UnicodeDecodeError:
                continue
    for copy in range(copies):
        for name, text in sources:
            stem, _ = os.path.splitext(name)
            write(os.path.join(folder, f"{copy:03}-{stem}.utf8.txt"), text)
            write(os.path.join(folder, f"{copy:03}-{stem}.crlf.txt"), text.replace("\n", "\r\n"))
            try:
                text.encode("gbk")
            except UnicodeEncodeError:
                continue
            write(os.path.join(folder, f"{copy:03}-{stem}.gbk.txt"), text, "gbk")
    return folder


def clean_corpus(folder, copies):
    """Reports with no findings (the clean gov fixtures), `copies` times: what most files of
    a CI run are. Memory must not grow with their number."""
    if os.path.isdir(folder):
        return folder
    directory = os.path.join(ROOT, "fixtures", "formats")
    clean = [name for name in sorted(os.listdir(directory)) if name.startswith("gov-2021") and "-clean" in name]
    for copy in range(copies):
        for name in clean:
            write(os.path.join(folder, f"{copy:04}-{name}"), open(os.path.join(directory, name), encoding="utf-8").read())
    return folder


def memory_shapes(folder, quick):
    """The worst shapes for memory, each one file."""
    scale = 10 if quick else 1
    shapes = {
        "one huge table": lambda: "| 项目 | 甲 | 乙 | 合计 |\n|---|---:|---:|---:|\n"
        + "".join(f"| 项{row} | 1 | 2 | 3 |\n" for row in range(600_000 // scale))
        + f"| 合计 | {600_000 // scale} | {1_200_000 // scale} | {1_800_000 // scale} |\n",
        "10^6 short tables": lambda: "| 项 | 数 |\n|---|---:|\n| 甲 | 1 |\n| 合计 | 1 |\n\n" * (1_000_000 // scale),
        "a 10 MB line": lambda: "长" * (10 * 1024 * 1024 // 3 // scale) + "\n",
        "10^6 columns": lambda: "| 项目 | " + " | ".join(["甲"] * (1_000_000 // scale)) + " |\n"
        + "| 一 | " + " | ".join(["1"] * (1_000_000 // scale)) + " |\n"
        + "| 合计 | " + " | ".join(["1"] * (1_000_000 // scale)) + " |\n",
    }
    paths = {}
    for name, make in shapes.items():
        path = os.path.join(folder, name.replace(" ", "-").replace("^", "") + ".md")
        if not os.path.exists(path):
            write(path, make())
        paths[name] = path
    return paths


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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="200 corpus files, memory shapes a tenth of the size (a smoke run)")
    args = parser.parse_args()
    files = 200 if args.quick else 2000
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    rg = tool("rg", "ripgrep")
    rumdl = tool("rumdl", "rumdl")
    corpus = os.path.join(WORK, f"corpus-{files}")
    if not os.path.exists(os.path.join(corpus, "manifest.json")):
        generator = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
        subprocess.run([sys.executable, generator, "--out", corpus, "--files", str(files)], check=True)
    correct = os.path.join(WORK, "correct-tables-5mb.md")
    if not os.path.exists(correct):
        write(correct, correct_tables(5))
    gov = gov_corpus(os.path.join(WORK, "gov"), 2 if args.quick else 10)
    clean_dir = clean_corpus(os.path.join(WORK, "clean-quick" if args.quick else "clean"), 30 if args.quick else 300)
    shapes = memory_shapes(os.path.join(WORK, "shapes-quick" if args.quick else "shapes"), args.quick)
    reports = os.path.join(corpus, "reports")
    cases = [
        # name, paths, reportlint threads, compare with rumdl
        ("report.md 30 KB", [os.path.join(corpus, "report.md")], 1, True),
        ("big.md 5 MB", [os.path.join(corpus, "big.md")], 1, True),
        ("correct tables 5 MB", [correct], 1, True),
        (f"reports/ {files} files", [reports], None, True),
        ("gov corpus", [gov], None, False),
        ("clean reports", [clean_dir], None, False),
    ] + [(name, [path], 1, False) for name, path in shapes.items()]
    print(f"{'input':<22}{'MB':>7}{'s':>8}{'MB/s':>8}{'peak MB':>9}{'rg -j1 s':>10}{'× rg-j1':>9}"
          f"{'rg s':>8}{'× rg':>7}{'rumdl s':>9}{'× rumdl':>9}")
    figures = {}
    for name, paths, threads, with_rumdl in cases:
        size = size_of(paths)
        seconds, peak = timed([BINARY, "check", "--format", "json", *paths], args.runs, threads)
        floor_one, _ = timed([rg, "-j1", "-c", "\\|", *paths], args.runs)
        floor, _ = timed([rg, "-c", "\\|", *paths], args.runs)
        linter = timed([rumdl, "check", "--no-cache", *paths], args.runs)[0] if with_rumdl else None
        figures[name] = {"size": size, "seconds": seconds, "peak": peak * 1024, "rg1": floor_one,
                         "rg": floor, "rumdl": linter}
        # Throughput ratio: reportlint's MB/s over rg's, i.e. rg's time over reportlint's.
        print(f"{name:<22}{size / 1e6:>7.2f}{seconds:>8.3f}{size / 1e6 / seconds:>8.1f}{peak / 1024:>9.1f}"
              f"{floor_one:>10.3f}{floor_one / seconds:>9.3f}{floor:>8.3f}{floor / seconds:>7.3f}"
              + (f"{linter:>9.3f}{linter / seconds:>9.2f}" if linter else ""))
    small, big, clean = figures["report.md 30 KB"], figures["big.md 5 MB"], figures["correct tables 5 MB"]
    many, gov_figure = figures[f"reports/ {files} files"], figures["gov corpus"]
    largest_report = max(os.path.getsize(os.path.join(reports, name)) for name in os.listdir(reports))
    # Time per byte on one thread each, so that the two cores of the folder runs do not hide
    # a cost that grows faster than the text.
    per_byte = {}
    for name, paths in (("big.md", [os.path.join(corpus, "big.md")]), (f"{files} files", [reports]), ("gov corpus", [gov])):
        seconds, _ = timed([BINARY, "check", "--format", "json", *paths], args.runs, 1)
        per_byte[name] = seconds / size_of(paths)
    print("time per byte, one thread: " + ", ".join(f"{name} {ns * 1e9:.1f} ns" for name, ns in per_byte.items()))
    targets = [
        ("big.md, one thread >= 0.25 x rg -j1 throughput", big["rg1"] / big["seconds"] >= 0.25),
        ("5 MB of correct tables, one thread >= 0.25 x rg -j1", clean["rg1"] / clean["seconds"] >= 0.25),
        (f"{files} files, two cores >= 0.25 x rg throughput", many["rg"] / many["seconds"] >= 0.25),
        ("big.md >= 5 x faster than rumdl", big["rumdl"] / big["seconds"] >= 5),
        (f"{files} files >= 5 x faster than rumdl", many["rumdl"] / many["seconds"] >= 5),
        ("30 KB report, whole process <= 1.5 x rg's wall time", small["seconds"] <= 1.5 * small["rg1"]),
        ("time per byte of big.md, the corpus and the gov corpus within 1.5 x",
         max(per_byte.values()) <= 1.5 * min(per_byte.values())),
        (f"{files} files: peak RSS <= 2 x the largest file + 10 MB (flat in files)",
         many["peak"] <= 2 * largest_report + 10 * 1048576),
        ("clean reports: peak RSS <= 2 x the largest file + 10 MB (flat in files)",
         figures["clean reports"]["peak"] <= 2 * max(os.path.getsize(os.path.join(clean_dir, name)) for name in os.listdir(clean_dir))
         + 10 * 1048576),
    ] + [(f"{name}: peak RSS <= 2 x the file + 10 MB", figures[name]["peak"] <= 2 * figures[name]["size"] + 10 * 1048576)
         for name in ["big.md 5 MB", "correct tables 5 MB", *shapes]]
    for what, ok in targets:
        print(f"  {'PASS' if ok else 'FAIL'} {what}")
    print(f"throughput: {sum(not ok for _, ok in targets)} of {len(targets)} targets failed")
    names = ["report.md", "big.md"] + [f"reports/{name}" for name in sorted(os.listdir(reports))]
    hits, misses, extras = accuracy(corpus, names)
    print(f"planted defects found: {hits} of {hits + misses}; other findings: {extras}")
    if misses:
        sys.exit(1)


if __name__ == "__main__":
    main()
