#!/usr/bin/env bash
# Smoke test for any built Faro binary (from the .deb, a cargo-dist archive, or target/release):
#
#   packaging/smoke-test.sh BINARY
#
# From a fresh working folder, with a fresh data folder (FARO_DATA_DIR), it checks that
#   1. `BINARY --version` prints `faro <version>`;
#   2. `BINARY validate --bundled` finds no errors in the modules built into the binary;
#   3. the app opens under a virtual X display (../shared/tools/ui-probe), a learner name typed
#      on the start screen plus Enter opens the library, and the library reports all the bundled
#      modules (`view library, N modules` from FARO_FRAME_REPORT=1).
# Screenshots and logs go to $SMOKE_OUT (default: a new temporary folder), printed at the end.
# Environment: FARO_SMOKE_MODULES (expected module count, default: the folders in the repository's
# modules/, which the binary embeds), SHARED_TOOLS (folder with
# ui-probe, default ../shared/tools beside the repository).
# Exit status: 0 when every check passed, 1 when one failed, 2 on usage errors.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

fail() {
  echo "smoke-test: FAILED: $*" >&2
  exit 1
}

[ $# -eq 1 ] || { echo "usage: packaging/smoke-test.sh BINARY" >&2; exit 2; }
bin=$1
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || fail "$bin is not an executable file"

bundled_in_repo=$(find "$repo/modules" -mindepth 2 -maxdepth 2 -name module.ron | wc -l)
expected_modules=${FARO_SMOKE_MODULES:-$bundled_in_repo}
tools=${SHARED_TOOLS:-$repo/../shared/tools}
out=${SMOKE_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Another working folder, so nothing is found by accident in the repository (modules/, assets/),
# and a data folder of its own, so no learner or setting of this machine is used or changed.
work=$(mktemp -d)
FARO_DATA_DIR=$(mktemp -d)
export FARO_DATA_DIR
trap 'cd / && rm -rf "$work" "$FARO_DATA_DIR"' EXIT
cd "$work"
echo "smoke-test: $bin (working folder $PWD, data folder $FARO_DATA_DIR)"

# 1. The version.
version_out=$("$bin" --version 2>&1) || fail "'faro --version' exited with $?: $version_out"
[[ "$version_out" =~ ^faro\ [0-9]+\.[0-9]+\.[0-9]+ ]] ||
  fail "'faro --version' printed '$version_out', expected 'faro X.Y.Z'"
echo "ok: --version: $version_out"

# 2. The modules built into the binary.
status=0
validate_out=$("$bin" validate --bundled 2>&1) || status=$?
[ "$status" -eq 0 ] || fail "'faro validate --bundled' exited with $status:
$validate_out"
echo "ok: validate --bundled${validate_out:+: $(tail -n 1 <<<"$validate_out")}"

# 3. The window: type a learner name, press Enter, and expect the library with every module.
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v xwd >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    bash "$tools/ui-probe-setup" || fail "$tools/ui-probe-setup could not install the virtual display tools"
  else
    fail "Xvfb, xdotool or xwd is missing: run $tools/ui-probe-setup as root"
  fi
fi
[ -f "$tools/ui-probe" ] || fail "$tools/ui-probe not found (set SHARED_TOOLS to the folder that has it)"
report="$out/frame-report.log"
probe_out="$out/ui-probe.log"
# ui-probe discards the app's output, so the app writes its frame report to a file itself.
# `exec` keeps the process id, which ui-probe uses to find the window.
if ! bash "$tools/ui-probe" --settle 1 --idle 1 --shot "$out/start.png" --keys "s m o k e Return" \
  --shot2 "$out/library.png" -- \
  sh -c 'FARO_FRAME_REPORT=1 exec "$0" > "$1" 2>&1' "$bin" "$report" >"$probe_out" 2>&1; then
  fail "ui-probe could not run the app:
$(cat "$probe_out")
app output (last lines):
$(tail -n 20 "$report" 2>/dev/null)"
fi
echo "ok: window opened: $(tail -n 1 "$probe_out")"
grep -q "^view start" "$report" || fail "the app never reported the start screen; its output:
$(grep -v '^frame-ms' "$report" | tail -n 20)"
if ! grep -q "^view library, $expected_modules modules" "$report"; then
  fail "after typing a name and Enter, no line 'view library, $expected_modules modules' was reported; the app's views:
$(grep '^view' "$report" | tail -n 10)
(screenshots: $out/start.png, $out/library.png)"
fi
echo "ok: the library shows $expected_modules modules: $(grep -m 1 "^view library" "$report")"
echo "smoke-test: all checks passed for $bin (screenshots and logs in $out)"
