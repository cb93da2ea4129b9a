#!/usr/bin/env bash
# Tests the hooks in .pre-commit-hooks.yaml with the real pre-commit (from PyPI), the way a
# user's repository runs them: `pre-commit try-repo` on this repository's working tree
# (uncommitted changes included), which builds reportlint with `cargo install` exactly as a
# `repos:` entry would.
#
#   scripts/pre-commit-test.sh
#
# Environment:
#   PRE_COMMIT_VENV   the virtualenv holding pre-commit (default: .venv-pre-commit here)
#   PYTHON            the interpreter that creates it (default: python3; Debian needs
#                     python3-venv)
#   CARGO_TARGET_DIR  where pre-commit's `cargo install` builds (default: target/pre-commit,
#                     kept between runs so only reportlint itself is rebuilt)
#
# Ends with `pre-commit: N passed, M failed` and exits non-zero when a check failed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PRE_COMMIT_VENV:-$repo/.venv-pre-commit}"
python="${PYTHON:-python3}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/pre-commit}"

if [ ! -x "$venv/bin/pre-commit" ]; then
    "$python" -m venv "$venv"
    [ -e "$venv/.gitignore" ] || printf '*\n' > "$venv/.gitignore"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit==4.7.0
fi
pre_commit="$venv/bin/pre-commit"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A private cache: the hook environment is built from this checkout, never reused from
# another one.
export PRE_COMMIT_HOME="$work/cache"

# try-repo on a repository with uncommitted changes copies it to a new folder on every call,
# and pre-commit then builds the hook again each time (about a minute each). A committed
# snapshot of the working tree is built once and reused by every call below.
hooks="$work/reportlint"
mkdir -p "$hooks"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
    (cd "$repo" && while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done) |
    tar -C "$repo" --null -T - -cf - | tar -C "$hooks" -xf -
git -C "$hooks" init -q
git -C "$hooks" add -A
git -C "$hooks" -c user.email=test@example.invalid -c user.name=test commit -qm snapshot
project="$work/project"
mkdir -p "$project/drafts"
cd "$project"
git init -q
git config user.email test@example.invalid
git config user.name test

wrong='# 𠀀 报告 😀

| 项目 | 金额 |
|---|---|
| 甲 | 12 |
| 乙 | 30 |
| 合计 | 43 |
'
right="${wrong/合计 | 43/合计 | 42}"
printf '%s' "$wrong" > wrong.md
printf '%s' "$right" > clean.md
printf '%s' "$wrong" > to-fix.md
printf '%s' "$wrong" > notes.txt
printf '%s' "$wrong" > drafts/old.md
printf 'exclude = ["drafts/**"]\n' > reportlint.toml
# A Python file whose comments read like misnumbered headings: not a report, never checked.
printf '# 1. first\n# 3. third\nprint(1)\n' > tool.py
git add -A

# The README's `repos:` entry, pointed at the snapshot (and with the commented-out fix hook
# enabled): built once, into this PRE_COMMIT_HOME, and reused by every `pre-commit run`
# (try-repo builds afresh each time).
rev="$(git -C "$hooks" rev-parse HEAD)"
awk '/^### pre-commit/ { section = 1 } section && /^```yaml/ { inside = 1; next }
     inside && /^```/ { exit } inside { print }' "$repo/README.md" |
    sed -e "s|repo: .*|repo: $hooks|" -e "s|rev: .*|rev: $rev|" -e 's|# - id:|- id:|' \
    > .pre-commit-config.yaml
if ! grep -q 'id: reportlint-fix' .pre-commit-config.yaml; then
    echo "pre-commit: no repos: entry with both hooks under the README's \"### pre-commit\""
    cat .pre-commit-config.yaml
    echo "pre-commit: 0 passed, 1 failed"
    exit 1
fi
git add -A

passed=0
failed=0
log="$work/log"
# check NAME EXPECTED_STATUS GREP_PATTERN PRE-COMMIT-ARGUMENTS...: runs pre-commit and
# expects its exit status (0 or non-zero) and a line of output matching GREP_PATTERN.
check() {
    local name="$1" expect="$2" pattern="$3"
    shift 3
    local status=0 started=$SECONDS
    "$pre_commit" "$@" --verbose >"$log" 2>&1 || status=$?
    local ok=1
    if [ "$expect" = 0 ] && [ "$status" -ne 0 ]; then ok=0; fi
    if [ "$expect" != 0 ] && [ "$status" -eq 0 ]; then ok=0; fi
    if ! grep -qE -- "$pattern" "$log"; then ok=0; fi
    if [ "$ok" = 1 ]; then
        passed=$((passed + 1))
        echo "ok: $name ($((SECONDS - started)) s)"
    else
        failed=$((failed + 1))
        echo "FAILED: $name (exit $status, expected $([ "$expect" = 0 ] && echo 0 || echo non-zero), output should match /$pattern/):"
        sed 's/^/    /' "$log"
    fi
}
# same_file NAME FILE EXPECTED_TEXT
same_file() {
    if cmp -s "$2" <(printf '%s' "$3"); then
        passed=$((passed + 1))
        echo "ok: $1"
    else
        failed=$((failed + 1))
        echo "FAILED: $1; the file holds:"
        sed 's/^/    /' "$2"
    fi
}

# try-repo, as the hooks' own documentation suggests for trying them (each call builds
# reportlint with cargo install: a release build).
check "try-repo: the check hook fails on a wrong total" 1 \
    'wrong\.md:7:[0-9]+: error\[sum-mismatch\]' try-repo "$hooks" reportlint --files wrong.md
check "try-repo: the check hook passes a clean report" 0 'reportlint\.+Passed' \
    try-repo "$hooks" reportlint --files clean.md
check "try-repo: the fix hook rewrites the total and fails because it changed a file" 1 \
    'files were modified by this hook' try-repo "$hooks" reportlint-fix --files to-fix.md
same_file "try-repo: the fixed file is the clean report, byte for byte" to-fix.md "$right"

# The repos: entry of a user's configuration.
printf '%s' "$wrong" > to-fix.md
check "run: the check hook fails on a wrong total" 1 \
    'to-fix\.md:7:[0-9]+: error\[sum-mismatch\]' run reportlint --files to-fix.md
check "run: plain-text reports are checked too" 1 \
    'notes\.txt:7:[0-9]+: error\[sum-mismatch\]' run reportlint --files notes.txt
check "run: a file reportlint.toml excludes passes although pre-commit names it" 0 \
    'reportlint\.+Passed' run reportlint --files drafts/old.md
check "run: source files are not handed to reportlint" 0 \
    'reportlint\.+\(no files to check\)Skipped' run reportlint --files tool.py
check "run: the fix hook rewrites the total" 1 'files were modified by this hook' \
    run reportlint-fix --files to-fix.md
same_file "run: the fixed file is the clean report, byte for byte" to-fix.md "$right"
check "run: after the fix the check hook passes" 0 'reportlint\.+Passed' \
    run reportlint --files to-fix.md

echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
