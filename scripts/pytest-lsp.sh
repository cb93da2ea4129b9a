#!/usr/bin/env bash
# Tests the built language server (`reportlint lsp`) with a third-party LSP client,
# pytest-lsp from PyPI, impersonating recorded editors (tests/pytest_lsp).
#
#   scripts/pytest-lsp.sh [pytest arguments...]
#
# Environment:
#   REPORTLINT_BIN    the server binary to test; when unset, `cargo build --quiet` builds
#                     target/debug/reportlint and that is tested
#   PYTEST_LSP_VENV   the virtualenv to use or create (default: .venv-lsp in the repository)
#   PYTHON            the interpreter that creates it (default: python3; needs venv/ensurepip,
#                     Debian's python3-venv)
#
# Ends with a line `pytest-lsp: N passed, M failed` and exits non-zero when anything
# failed or errored, or when no test ran (pytest's exit status 5).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests="$repo/tests/pytest_lsp"
venv="${PYTEST_LSP_VENV:-$repo/.venv-lsp}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
# Keep the venv out of `git status` even where .gitignore does not name it.
[ -e "$venv/.gitignore" ] || printf '*\n' > "$venv/.gitignore"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$tests/requirements.txt"

if [ -z "${REPORTLINT_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet)
    REPORTLINT_BIN="${CARGO_TARGET_DIR:-$repo/target}/debug/reportlint"
fi
case "$REPORTLINT_BIN" in
    /*) ;;
    *) REPORTLINT_BIN="$PWD/$REPORTLINT_BIN" ;;
esac
export REPORTLINT_BIN
if [ ! -x "$REPORTLINT_BIN" ]; then
    echo "pytest-lsp: no server binary at $REPORTLINT_BIN" >&2
    echo "pytest-lsp: 0 passed, 1 failed"
    exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

status=0
(
    cd "$tests"
    PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m pytest -q -p no:cacheprovider \
        --junitxml="$work/junit.xml" "$@"
) || status=$?

# Count from the JUnit report: errors (in fixtures, or reported by the client) count as
# failures.
read -r passed failed < <("$venv/bin/python" - "$work/junit.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0)
    raise SystemExit
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests", 0)) for s in suites)
failures = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests - failures - skipped, failures)
PY
)

if [ "$status" -eq 5 ]; then
    echo "pytest-lsp: pytest collected no tests" >&2
    status=1
elif [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
    echo "pytest-lsp: no test passed" >&2
    status=1
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # pytest failed without a failed test (an internal or usage error, an interrupt).
    failed=1
fi
echo "pytest-lsp: $passed passed, $failed failed"
exit "$status"
