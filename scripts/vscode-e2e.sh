#!/usr/bin/env bash
# End-to-end test of the reportlint VS Code extension in real VS Code: code-server (VS Code
# in a browser) with the extension installed, driven through headless Chromium by
# playwright-core (scripts/vscode-e2e/e2e.mjs). It opens a report whose total is wrong and
# checks the Problems panel, the squiggle, the hover's arithmetic and the quick fix.
#
#   scripts/vscode-e2e.sh [--screenshot PATH] [--package]
#
#   --screenshot PATH  where to write the screenshot showing squiggle, hover and Problems
#                      panel together (default: target/vscode-e2e/screenshot.png; the README's
#                      picture is docs/vscode-squiggle-hover.png)
#   --package          build the extension with scripts/vscode-package.sh even when
#                      target/vscode/reportlint.vsix exists
#
# Installs what it needs when missing: Debian packages (chromium; ripgrep for quick open; the
# fonts fonts-wqy-microhei and, for 𠀀 and other CJK Extension B characters, fonts-hanazono;
# g++, make, python3, libkrb5-dev and pkg-config to build code-server's native modules; with
# sudo when not root), code-server from the npm registry into a cache folder, and the npm
# dependencies of scripts/vscode-e2e (`npm ci`); a second run reuses them. Everything runs on
# 127.0.0.1; code-server and every process it started (the extension host, `reportlint lsp`)
# are stopped at the end, also when the run fails or is interrupted.
#
# Environment:
#   REPORTLINT_BIN       the server binary the extension starts (reportlint.path, set in the
#                        profile's Machine/settings.json: the remote settings, where
#                        code-server reads machine-overridable settings);
#                        when unset, `cargo build --quiet` builds target/debug/reportlint
#   VSIX                 the extension package to install; when unset,
#                        target/vscode/reportlint.vsix, built by scripts/vscode-package.sh
#                        when missing
#   CODE_SERVER_VERSION  default 4.99.3 (the newest release that runs on Node 20)
#   CODE_SERVER_HOME     cache folder for code-server installs, one subfolder per version
#                        (default: target/code-server)
#   CHROMIUM             the browser to drive (default: /usr/bin/chromium)
#   E2E_TIMEOUT_MS       how long to wait for the diagnostic to appear (default: 60000)
#   E2E_QUICKFIX=0       leave out the quick-fix check
#   E2E_KEEP=1           keep the temporary workspace, profile and logs (printed at the end)
#
# Ends with a line `vscode-e2e: N passed, M failed` and exits non-zero when any check failed
# or the run could not be set up.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2e_pkg="$repo/scripts/vscode-e2e"
screenshot="$repo/target/vscode-e2e/screenshot.png"
force_package=0

while [ $# -gt 0 ]; do
    case "$1" in
        --screenshot)
            [ $# -ge 2 ] || { echo "vscode-e2e: --screenshot needs a path" >&2; exit 2; }
            screenshot="$2"; shift 2 ;;
        --screenshot=*) screenshot="${1#*=}"; shift ;;
        --package) force_package=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "vscode-e2e: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$screenshot" in /*) ;; *) screenshot="$PWD/$screenshot" ;; esac

cs_version="${CODE_SERVER_VERSION:-4.99.3}"
cs_home="${CODE_SERVER_HOME:-$repo/target/code-server}"
case "$cs_home" in /*) ;; *) cs_home="$PWD/$cs_home" ;; esac
cs_dir="$cs_home/$cs_version"
cs_pkg="$cs_dir/node_modules/code-server"
cs_entry="$cs_pkg/out/node/entry.js"
chromium="${CHROMIUM:-/usr/bin/chromium}"

say() { echo "vscode-e2e: $*" >&2; }

# The summary is the last line of every run. Should a command fail before it (set -e), the
# teardown prints it, counting that failure.
passed=0
failed=0
reported=0
summary() {
    echo "vscode-e2e: $passed passed, $failed failed"
    reported=1
}
setup_failed() {
    say "$*"
    failed=$((failed + 1))
    summary
    exit 1
}

# Set below, once they exist; the teardown stops and removes only what was made.
work=""
cs_pid=""
e2e_pid=""
run_id="reportlint-vscode-e2e-$$-$RANDOM"

server_pids() {
    # Every process started under this run's code-server carries the marker in its
    # environment (the extension host and the servers it starts inherit it).
    grep -lxzsF "REPORTLINT_E2E_RUN=$run_id" /proc/[0-9]*/environ 2>/dev/null \
        | sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$" || true
}

stop_code_server() {
    [ -n "$cs_pid" ] || return 0
    kill -TERM -- "-$cs_pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 -- "-$cs_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$cs_pid" 2>/dev/null || true
    cs_pid=""
    # Give processes that left the group (their parent is gone) a moment to exit by themselves.
    for _ in $(seq 30); do
        [ -n "$(server_pids)" ] || break
        sleep 0.1
    done
}

teardown() {
    local status=$? pids
    # The browser test, when the run was stopped while it ran (its browser goes with it).
    if [ -n "$e2e_pid" ]; then
        kill -TERM "$e2e_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$e2e_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$e2e_pid" 2>/dev/null || true
        e2e_pid=""
    fi
    stop_code_server
    pids="$(server_pids)"
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
    fi
    if [ -n "$work" ]; then
        if [ "${E2E_KEEP:-0}" = 1 ]; then
            say "kept $work"
        else
            rm -rf "$work"
        fi
    fi
    if [ "$reported" -eq 0 ]; then
        say "stopped before the end (status $status)"
        failed=$((failed + 1))
        summary
    fi
}
trap teardown EXIT
# Stopped from outside: exit, which runs the teardown (bash does not always run it by itself
# when a signal ends the script).
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# --- Debian packages ---------------------------------------------------------------------
need_debs=()
want_debs=(chromium ripgrep fonts-wqy-microhei fonts-hanazono)
[ -f "$cs_dir/.installed" ] || want_debs+=(g++ make python3 libkrb5-dev pkg-config)
for deb in "${want_debs[@]}"; do
    if [ "$deb" = chromium ] && [ -n "${CHROMIUM:-}" ]; then continue; fi
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'ok installed' || need_debs+=("$deb")
done
if [ ${#need_debs[@]} -gt 0 ]; then
    say "installing Debian packages: ${need_debs[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || setup_failed "not root and no sudo: install ${need_debs[*]}"
        sudo=(sudo)
    fi
    # Through env: sudo would drop DEBIAN_FRONTEND from the environment.
    "${sudo[@]}" apt-get update -qq || setup_failed "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${need_debs[@]}" >/dev/null \
        || setup_failed "could not install ${need_debs[*]}"
fi
[ -x "$chromium" ] || setup_failed "no browser at $chromium"

# --- code-server -------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 20 ] || setup_failed "code-server needs Node 20 or later (node: $(node --version 2>&1 || true))"
if [ ! -f "$cs_dir/.installed" ]; then
    say "installing code-server $cs_version into $cs_dir"
    rm -rf "$cs_dir"
    mkdir -p "$cs_dir"
    # Not `( ... ) || handler`: in a command whose status is tested, set -e is off even inside
    # the subshell, and a failed step would go unnoticed.
    set +e
    (
        set -euo pipefail
        # node-gyp must not fetch Node's headers from the internet to build the native
        # modules: use the installed ones (Debian's nodejs has them in /usr/include/node).
        if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
            export npm_config_nodedir=/usr
        fi
        cd "$cs_dir"
        # A package.json of its own, so that npm installs here and not in a folder above.
        printf '{ "private": true }\n' >package.json
        # Its install scripts would fetch things; run the needed steps by hand instead.
        npm install --silent --no-save --ignore-scripts "code-server@$cs_version"
        cd "$cs_pkg/lib/vscode"
        npm install --silent --omit=dev --ignore-scripts
        # @vscode/ripgrep downloads rg in its postinstall: use Debian's.
        mkdir -p node_modules/@vscode/ripgrep/bin
        ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
        npm_config_yes=true npm rebuild --silent
        ln -sfn node_modules node_modules.asar
        (cd bin/remote-cli && ln -sf code-linux.sh code-server)
        (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
        (cd extensions && npm install --silent --omit=dev)
        cd "$cs_dir"
        npm_config_yes=true npm rebuild --silent argon2
    ) >"$cs_home/install-$cs_version.log" 2>&1
    install_status=$?
    set -e
    if [ "$install_status" -ne 0 ]; then
        tail -n 30 "$cs_home/install-$cs_version.log" >&2
        setup_failed "code-server install failed (log: $cs_home/install-$cs_version.log)"
    fi
    touch "$cs_dir/.installed"
fi
[ -f "$cs_entry" ] || setup_failed "no code-server at $cs_entry"

# --- the test's own npm dependencies -----------------------------------------------------
# `npm ci` again whenever package-lock.json changed since the last one.
stamp="$e2e_pkg/node_modules/.vscode-e2e-lock"
if ! cmp -s "$e2e_pkg/package-lock.json" "$stamp"; then
    say "installing the test's npm dependencies"
    (cd "$e2e_pkg" && npm ci --silent) || setup_failed "npm ci failed in $e2e_pkg"
    cp "$e2e_pkg/package-lock.json" "$stamp"
fi

# --- the server binary and the extension -------------------------------------------------
if [ -z "${REPORTLINT_BIN:-}" ]; then
    (cd "$repo" && cargo build --quiet) || setup_failed "cargo build failed"
    target_dir="${CARGO_TARGET_DIR:-target}"
    # cargo takes a relative CARGO_TARGET_DIR from where it ran: the repository.
    case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
    REPORTLINT_BIN="$target_dir/debug/reportlint"
fi
case "$REPORTLINT_BIN" in /*) ;; *) REPORTLINT_BIN="$PWD/$REPORTLINT_BIN" ;; esac
[ -x "$REPORTLINT_BIN" ] || setup_failed "no server binary at $REPORTLINT_BIN"

if [ -n "${VSIX:-}" ]; then
    vsix="$VSIX"
    case "$vsix" in /*) ;; *) vsix="$PWD/$vsix" ;; esac
else
    vsix="$repo/target/vscode/reportlint.vsix"
    if [ "$force_package" -eq 1 ] || [ ! -f "$vsix" ]; then
        [ -f "$repo/scripts/vscode-package.sh" ] || setup_failed "no $vsix and no scripts/vscode-package.sh to build it"
        say "packaging the extension (scripts/vscode-package.sh)"
        mkdir -p "$repo/target/vscode-e2e"
        (cd "$repo" && bash scripts/vscode-package.sh) >"$repo/target/vscode-e2e/package.log" 2>&1 || {
            tail -n 30 "$repo/target/vscode-e2e/package.log" >&2
            setup_failed "scripts/vscode-package.sh failed (log: target/vscode-e2e/package.log)"
        }
    fi
fi
[ -f "$vsix" ] || setup_failed "no extension package at $vsix"

# --- a fresh workspace and profile -------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/reportlint-vscode-e2e.XXXXXX")"
folder="$work/workspace"
data="$work/user-data"
exts="$work/extensions"
mkdir -p "$folder" "$data/User" "$data/Machine" "$exts"

cat >"$folder/report.md" <<'EOF'
# 𠀀 报告 😀

| 项目 | 金额 |
|---|---|
| 甲 | 12 |
| 乙 | 30 |
| 合计 | 43 |
EOF

# reportlint.path is machine-overridable: in code-server, as in any remote window, its place is
# the remote settings (Machine/settings.json); from User/settings.json, the local user
# settings, a change does not reach the extension.
node - "$data" "$REPORTLINT_BIN" <<'JS'
const fs = require("fs");
const path = require("path");
const [data, bin] = process.argv.slice(2);
const write = (file, settings) =>
  fs.writeFileSync(path.join(data, file), JSON.stringify(settings, null, 2) + "\n");
write("Machine/settings.json", { "reportlint.path": bin });
write("User/settings.json", {
  "reportlint.trace.server": "off",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "git.enabled": false,
  "chat.commandCenter.enabled": false,
  "editor.minimap.enabled": false,
  "editor.fontSize": 16,
  "editor.hover.delay": 300,
  "editor.hover.above": false,
  "window.commandCenter": false,
});
JS

cs_log="$work/code-server.log"
node "$cs_entry" --user-data-dir "$data" --extensions-dir "$exts" \
    --install-extension "$vsix" >"$work/install-extension.log" 2>&1 || {
    cat "$work/install-extension.log" >&2
    setup_failed "installing $vsix into code-server failed"
}

port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
cat >"$work/code-server.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF

# setsid: code-server and all it starts form one process group, stopped as one.
REPORTLINT_E2E_RUN="$run_id" setsid node "$cs_entry" --config "$work/code-server.yaml" \
    --user-data-dir "$data" --extensions-dir "$exts" \
    --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override \
    "$folder" >"$cs_log" 2>&1 </dev/null &
cs_pid=$!

url="http://127.0.0.1:$port"
answers() {
    node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1))' "$url/healthz"
}
for _ in $(seq 150); do
    answers && break
    kill -0 "$cs_pid" 2>/dev/null || { cat "$cs_log" >&2; setup_failed "code-server exited"; }
    sleep 0.2
done
answers || { cat "$cs_log" >&2; setup_failed "code-server did not answer on $url"; }

mkdir -p "$(dirname "$screenshot")" "$repo/target/vscode-e2e"
rm -f "$repo/target/vscode-e2e"/failure-*.png
status=0
# In the background, so that the teardown can stop it should this script be stopped.
E2E_URL="$url" E2E_FOLDER="$folder" E2E_FILE=report.md E2E_RESULTS="$work/results" \
    E2E_ARTIFACTS="$repo/target/vscode-e2e" \
    SCREENSHOT="$screenshot" CHROMIUM="$chromium" node "$e2e_pkg/e2e.mjs" </dev/null &
e2e_pid=$!
wait "$e2e_pid" || status=$?
e2e_pid=""

passed=0
failed=0
if [ -f "$work/results" ]; then
    read -r passed failed <"$work/results"
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    say "e2e.mjs exited with status $status"
    failed=$((failed + 1))
fi

# The extension must have started the server from reportlint.path under this code-server.
lsp_running=0
for pid in $(server_pids); do
    cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)"
    case "$cmd" in "$REPORTLINT_BIN lsp"*) lsp_running=$((lsp_running + 1)) ;; esac
done
if [ "$lsp_running" -gt 0 ]; then
    echo "ok   - the extension started $REPORTLINT_BIN lsp ($lsp_running process)"
    passed=$((passed + 1))
else
    echo "FAIL - no '$REPORTLINT_BIN lsp' process under code-server"
    failed=$((failed + 1))
fi

if [ "$failed" -ne 0 ]; then
    say "code-server log (tail):"
    tail -n 40 "$cs_log" >&2 || true
    for f in "$data"/logs/*/exthost*/remoteexthost.log "$data"/logs/*/exthost*/output_logging_*/*eportlint*; do
        [ -f "$f" ] || continue
        say "$f (tail):"
        tail -n 40 "$f" >&2
    done
fi

# Stop everything now, then make sure no process of this run, the server included, is left.
stop_code_server
left="$(server_pids)"
if [ -z "$left" ]; then
    echo "ok   - no process of this run (code-server, extension host, reportlint lsp) left after teardown"
    passed=$((passed + 1))
else
    echo "FAIL - processes of this run left after teardown:"
    # shellcheck disable=SC2086
    ps -o pid,args -p "$(echo $left | tr ' ' ',')" || true
    failed=$((failed + 1))
fi

summary
[ "$failed" -eq 0 ]
