#!/usr/bin/env bash
# Runs every fuzz target in fuzz/fuzz_targets (or those named) for SECONDS each with
# cargo-fuzz (libFuzzer) on the nightly toolchain, seeded with the fixtures. A crash stops
# the run with the target's name and the input that crashed (kept in fuzz/artifacts/); turn
# it into a regression fixture. Prints `fuzz: N targets passed, M failed`.
#   scripts/fuzz.sh SECONDS [TARGET ...]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET ...]}
shift
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for file in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$file" .rs)"); done
fi
passed=0
failed=0
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    if [ "$target" = lsp_framing ]; then
        # Seeds: framed client messages, one good and a few broken, behind a chunk-size byte.
        for body in '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}' \
            '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.md","text":"# x"}}}' \
            '{"jsonrpc":"1.0","id":1' '[1]'; do
            printf '\x07Content-Length: %d\r\n\r\n%s' "${#body}" "$body" >"$corpus/seed-$(printf %s "$body" | cksum | cut -d' ' -f1)"
        done
    else
        # Seeds: every fixture (reports in every layout, encodings, rules' bad and good cases).
        find fixtures -type f \( -name '*.md' -o -name '*.txt' \) -size -64k -exec cp -n {} "$corpus/" \; 2>/dev/null
    fi
    echo "== fuzz $target for ${seconds}s"
    log=$(mktemp)
    if cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 \
        -rss_limit_mb=4096 -timeout=30 2>&1 | tee "$log" | grep -E '^#[0-9]+ +(DONE|pulse)|SUMMARY|panicked|ERROR'; then :; fi
    if grep -q "Done [0-9]* runs" "$log" && ! grep -qE "SUMMARY|panicked|deadly signal" "$log"; then
        runs=$(grep -o "Done [0-9]* runs" "$log" | tail -1)
        coverage=$(grep -oE "cov: [0-9]+" "$log" | tail -1)
        echo "fuzz $target: $runs, $coverage, no crash"
        passed=$((passed + 1))
    else
        echo "fuzz $target: FAILED (see fuzz/artifacts/$target and the log above)"
        failed=$((failed + 1))
    fi
    rm -f "$log"
done
echo "fuzz: $passed targets passed, $failed failed"
[ "$failed" -eq 0 ]
