#!/usr/bin/env bash
# Builds the VS Code extension in editors/vscode/ and packages it as target/vscode/reportlint.vsix.
#
# Usage: scripts/vscode-package.sh [--bundle PATH_TO_BINARY] [--target TARGET]
#
#   --bundle PATH   put this reportlint binary into the package as bin/reportlint
#                   (bin/reportlint.exe when PATH ends in .exe), so that the extension runs
#                   without reportlint on PATH. Such a package works only on the binary's
#                   platform: say which with --target.
#   --target T      a vsce platform target (linux-x64, darwin-arm64, win32-x64, ...), for a
#                   package that holds a binary. Without it the package is universal.
#
# Without --bundle the package has no binary (a bin/ left by an earlier run is removed first),
# and the extension runs the program named by the reportlint.path setting or `reportlint` on
# PATH. Needs Node 20 or later and npm; downloads from the npm registry only (npm ci, with the
# versions pinned in editors/vscode/package-lock.json, vsce included).
#
# Examples:
#   scripts/vscode-package.sh
#   cargo build --release && scripts/vscode-package.sh --bundle target/release/reportlint --target linux-x64
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
extension="$root/editors/vscode"
out_dir="$root/target/vscode"
vsix="$out_dir/reportlint.vsix"

bundle=""
target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle)
      [ $# -ge 2 ] || { echo "vscode-package.sh: --bundle needs a path" >&2; exit 2; }
      bundle=$2
      shift 2
      ;;
    --bundle=*)
      bundle=${1#--bundle=}
      shift
      ;;
    --target)
      [ $# -ge 2 ] || { echo "vscode-package.sh: --target needs a value" >&2; exit 2; }
      target=$2
      shift 2
      ;;
    --target=*)
      target=${1#--target=}
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "vscode-package.sh: unknown argument '$1' (see --help)" >&2
      exit 2
      ;;
  esac
done

if [ -n "$bundle" ]; then
  if [ ! -f "$bundle" ]; then
    echo "vscode-package.sh: no such file: $bundle" >&2
    exit 2
  fi
  bundle=$(cd "$(dirname "$bundle")" && pwd)/$(basename "$bundle")
fi

cd "$extension"

echo "==> npm ci"
npm ci --no-audit --no-fund

echo "==> tsc"
rm -rf out
./node_modules/.bin/tsc -p .

echo "==> LICENSE"
cp "$root/LICENSE" LICENSE

rm -rf bin
if [ -n "$bundle" ]; then
  name=reportlint
  case "$bundle" in *.exe) name=reportlint.exe ;; esac
  echo "==> bundling $bundle as bin/$name"
  mkdir bin
  cp "$bundle" "bin/$name"
  chmod 755 "bin/$name"
fi

echo "==> vsce package"
mkdir -p "$out_dir"
rm -f "$vsix"
vsce_args=(package --out "$vsix")
if [ -n "$target" ]; then
  vsce_args+=(--target "$target")
fi
./node_modules/.bin/vsce "${vsce_args[@]}"

echo "$vsix"
