#!/usr/bin/env bash
# Builds faro.exe for Windows and tries it under Wine, as a Windows user would get it:
#
#   packaging/windows-check.sh
#
# 1. cross-builds faro.exe for x86_64-pc-windows-gnu with mingw-w64 (the dev profile: this checks
#    that the Windows program works, not how fast it is; the release .exe is built by MSVC on
#    GitHub, see docs/releasing.md);
# 2. makes a fresh Wine prefix in a temporary folder and builds into its system32 a test-only
#    bcryptprimitives.dll (packaging/windows/process-prng.c): Rust's standard library imports
#    ProcessPrng from it and Wine 8 lacks it. The DLL is never shipped;
# 3. in a fresh Wine prefix: `faro.exe --version`, `faro.exe validate --bundled` (exit 0), a pack
#    built and verified by faro.exe (exit 0), the same pack with one byte changed (refused, exit 1),
#    and `faro.exe records merge` of two laptops' files with the xAPI in batches and the laptops
#    list;
# 4. under a virtual X display (Xvfb, xdotool, xwd, ImageMagick), with no WGPU_BACKEND or
#    FARO_RENDERER set, so the app picks its renderer itself: the window paints (more than 16
#    colours, in the screenshots too), a learner name typed plus Enter opens the library, and the
#    app reports the library with every
#    bundled module (`view library, N modules`, FARO_FRAME_REPORT=1: the app's own view of what it
#    shows, not a reading of the pixels; Wine has no accessibility bridge to read the labels);
#    the learner is saved under %APPDATA% (no faro-data folder beside the exe);
# 5. the same with `--portable`: the learner is saved in faro-data beside faro.exe;
# 6. the MSI: built with wixl (msitools) from wix/main.wxs (through packaging/windows/wixl-source.py,
#    which says what wixl cannot build), per machine (ALLUSERS=1), installed with `msiexec /i … /qn`:
#    faro.exe under Program Files and a Start-menu shortcut (Wine puts it in the installing user's
#    Start menu, Windows in all users'); the installed faro.exe opens its window; an
#    upgrade to a newer version replaces it (one installed product); `msiexec /x` removes the
#    program and the shortcut, and the learner saved under %APPDATA% is still there.
# Prints the screenshots' folder and the renderer the app remembered. Needs Debian; as root it
# installs what it needs (gcc-mingw-w64-x86-64, wine, wixl, the rustup target). Honours
# CARGO_TARGET_DIR. WINDOWS_CHECK_OUT names the folder for screenshots and logs (default: new).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
target=x86_64-pc-windows-gnu

fail() {
  echo "windows-check: FAILED: $*" >&2
  exit 1
}
step() { echo "windows-check: $(date +%H:%M:%S) $*"; }

# Tools. As root on Debian (CI), install what is missing; otherwise say what to install.
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null || missing+=(wine)
dpkg -s wine64 >/dev/null 2>&1 || missing+=(wine64)
command -v wixl >/dev/null || missing+=(wixl)
command -v msiinfo >/dev/null || missing+=(msitools)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    fail "missing tools; install the Debian packages: ${missing[*]}"
  fi
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target" ||
  fail "could not install the Rust standard library for $target (rustup target add $target)"

for tool in Xvfb xdotool xwd convert; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run ../shared/tools/ui-probe-setup as root"
done
out=${WINDOWS_CHECK_OUT:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# 1. The program.
step "cross-building faro.exe (dev profile, $target)"
cargo build --quiet --target "$target" --bin faro || fail "cargo build --target $target failed"
target_dir=${CARGO_TARGET_DIR:-$repo/target}
exe_built="$target_dir/$target/debug/faro.exe"
[ -f "$exe_built" ] || fail "no $exe_built after the build"

# 2. A folder like an unzipped download, plus the test-only DLL; a Wine prefix of its own.
work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko: Faro needs neither, and Wine would otherwise offer to download them.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset WGPU_BACKEND FARO_RENDERER FARO_DATA_DIR FARO_MODULES_DIR
cleanup() {
  # Wine's server for this prefix only (it stops by itself a few seconds after the last program).
  WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
  cd / && rm -rf "$work"
}
trap cleanup EXIT
app="$work/Faro"
mkdir -p "$app"
cp "$exe_built" "$app/faro.exe"
step "starting a fresh Wine prefix"
DISPLAY='' wine wineboot --init >"$out/wineboot.log" 2>&1 || fail "wineboot failed: $(tail -n 5 "$out/wineboot.log")"
wineserver -w
# In this throwaway prefix's system32, so faro.exe finds it wherever it is installed, and the MSI
# (which does not contain it) is checked as it ships.
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$repo/packaging/windows/process-prng.c" -ladvapi32 ||
  fail "could not build the test-only bcryptprimitives.dll with mingw-w64"

# Runs faro.exe from the app folder; prints its output and returns its exit status.
faro() { (cd "$app" && wine ./faro.exe "$@"); }

# 3. The command line: exit codes as documented (0 sound, 1 refused).
version=$(faro --version 2>&1) || fail "'faro.exe --version' exited with $?: $version"
[[ "$version" =~ ^faro\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "'faro.exe --version' printed '$version'"
step "ok: --version: $version"
status=0
validate_out=$(faro validate --bundled 2>&1) || status=$?
[ "$status" -eq 0 ] || fail "'faro.exe validate --bundled' exited with $status: $validate_out"
step "ok: validate --bundled exits 0: $(tail -n 1 <<<"$validate_out")"
cp -r "$repo/modules/01-what-is-trafficking" "$app/module"
faro pack keygen --out keys >"$out/keygen.log" 2>&1 || fail "'faro.exe pack keygen' failed: $(cat "$out/keygen.log")"
faro pack build module --key keys/faro-publisher.key --out check.faropack >"$out/build.log" 2>&1 ||
  fail "'faro.exe pack build' failed: $(cat "$out/build.log")"
status=0
faro pack verify check.faropack >"$out/verify.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "'faro.exe pack verify' of a sound pack exited with $status: $(cat "$out/verify.log")"
# One byte changed in the middle of the pack: the signature or a hash no longer matches.
size=$(stat -c %s "$app/check.faropack")
cp "$app/check.faropack" "$app/changed.faropack"
byte=$(od -An -tu1 -j $((size / 2)) -N1 "$app/changed.faropack" | tr -d ' ')
printf "\\$(printf '%03o' $(((byte + 1) % 256)))" |
  dd of="$app/changed.faropack" bs=1 seek=$((size / 2)) conv=notrunc status=none
cmp -s "$app/check.faropack" "$app/changed.faropack" && fail "could not change a byte of the pack"
status=0
faro pack verify changed.faropack >"$out/verify-changed.log" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "'faro.exe pack verify' of a changed pack exited with $status, expected 1: $(cat "$out/verify-changed.log")"
step "ok: pack verify: a sound pack exits 0, the same pack with one byte changed is refused (exit 1): $(tail -n 1 "$out/verify-changed.log")"
# The coordinator's merge (issue 25): two laptops' records files, the xAPI in batches of two
# statements (each batch file synced and renamed on a thread of its own, as on Windows), the
# laptops list and the matrix. The module the records name is given by FARO_MODULES_DIR, a
# Windows path.
cp "$repo/tests/fixtures/records/records-laptop-a.json" "$repo/tests/fixtures/records/records-laptop-b.json" "$app/"
mkdir -p "$app/records-modules"
cp -r "$repo/tests/fixtures/good/minimal" "$app/records-modules/"
status=0
(cd "$app" && FARO_MODULES_DIR="$(winepath -w "$app/records-modules")" WINEDEBUG=-all wine ./faro.exe records merge \
  records-laptop-a.json records-laptop-b.json --out roster.csv --as-of 2026-03-01 --homepage https://training.example.org \
  --xapi statements.json --batch 2 --devices devices.csv --matrix matrix.csv) >"$out/merge.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "'faro.exe records merge' exited with $status: $(cat "$out/merge.log")"
batches=$(find "$app" -maxdepth 1 -name 'statements-*.json' | wc -l)
[ "$batches" -ge 2 ] || fail "'faro.exe records merge --batch 2' wrote $batches batch file(s): $(cat "$out/merge.log")"
[ "$(grep -c ',3989c23de5125481b6a586efa7c55653a0d322ac21eb3af1132dface4c13ced1,' "$app/devices.csv")" -eq 1 ] ||
  fail "devices.csv does not list laptop A once: $(cat "$app/devices.csv")"
step "ok: records merge: $batches xAPI batch files, the laptops list and the matrix: $(grep -m1 'statement(s)' "$out/merge.log")"

expected_modules=$(find "$repo/modules" -mindepth 2 -maxdepth 2 -name module.ron | wc -l)
# Opens the app under its own virtual X display. With EXPECT `library`, types a learner name and
# Enter and expects the library with every module; with `any`, expects the app to report a screen. NAME is
# for the files. Not ../shared/tools/ui-probe: that follows the first window it sees, and a
# renderer that fails (DX12 under Wine) shows a window that closes again before the next renderer
# opens the one that paints; this looks for the window afresh until one is painted.
open_app() {
  local name=$1 expect=$2
  shift 2
  local report="$out/$name-frame-report.log" display=91
  while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
  # Wine's desktop process keeps the display of the program that started it: a fresh Wine
  # session for each window, on its own display.
  wineserver -k 2>/dev/null || true
  wineserver -w
  Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  local started
  started=$(date +%s%N)
  (cd "$app" && DISPLAY=":$display" FARO_FRAME_REPORT=1 exec wine ./faro.exe "$@" >"$report" 2>&1) &
  local pid=$!
  local win="" colours=0 deadline=$(($(date +%s) + 180))
  while [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
    win=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^Faro' 2>/dev/null | tail -n 1 || true)
    if [ -n "$win" ] && DISPLAY=":$display" xwd -silent -id "$win" >"$work/shot.xwd" 2>/dev/null; then
      colours=$(convert "xwd:$work/shot.xwd" -format '%k' info: 2>/dev/null || echo 0)
      [ "$colours" -gt 16 ] && break
    fi
    sleep 0.5
  done
  local first_ms=$((($(date +%s%N) - started) / 1000000))
  stop_app() { kill "$pid" 2>/dev/null; wineserver -k 2>/dev/null; kill "$xvfb" 2>/dev/null; wait "$pid" "$xvfb" 2>/dev/null || true; }
  if [ "$colours" -le 16 ]; then
    stop_app
    fail "faro.exe ${*:-(no arguments)} painted no window within 180 s (last window: ${win:-none}, $colours colours); its output:
$(grep -v '^frame-ms' "$report" | tail -n 20)"
  fi
  sleep 2
  DISPLAY=":$display" xwd -silent -id "$win" | convert xwd:- "$out/$name-start.png"
  local shots=("$out/$name-start.png")
  if [ "$expect" = library ]; then
    DISPLAY=":$display" xdotool windowfocus --sync "$win" 2>/dev/null || true
    for key in w i n Return; do DISPLAY=":$display" xdotool key --window "$win" "$key"; sleep 0.3; done
    sleep 2
    DISPLAY=":$display" xwd -silent -id "$win" | convert xwd:- "$out/$name-library.png"
    shots+=("$out/$name-library.png")
  fi
  stop_app
  # Any screen will do when the learner is already known (the installed program opens on the
  # library of the learner saved by the first run).
  local view="view "
  [ "$expect" = library ] && view="view library, $expected_modules modules"
  grep -q "^$view" "$report" ||
    fail "faro.exe ${*:-(no arguments)} never reported '$view'; its views:
$(grep '^view' "$report" | tail -n 10)
(screenshots: ${shots[*]})"
  for shot in "${shots[@]}"; do
    colours=$(convert "$shot" -format '%k' info: 2>/dev/null || echo 0)
    [ "$colours" -gt 16 ] || fail "$shot has only $colours colours: the window did not paint"
  done
  step "ok: faro.exe ${*:-(no arguments)} in $app painted its window (after $first_ms ms) and reported '$(grep '^view' "$report" | tail -n 1 | cut -d';' -f1)'"
}

# 4. Installed-style: data under %APPDATA%.
step "opening the app (no renderer variable set)"
open_app appdata library
appdata=$(find "$WINEPREFIX/drive_c/users" -maxdepth 5 -type d -path '*/AppData/Roaming/Faro' -print -quit)
[ -n "$appdata" ] || fail "no Faro folder under %APPDATA% in $WINEPREFIX/drive_c/users"
data="$appdata/faro/data"
[ -f "$data/profiles.ron" ] && grep -q '"win"' "$data/profiles.ron" ||
  fail "the learner 'win' was not saved in $data/profiles.ron: $(ls -A "$data" 2>&1)"
[ ! -e "$app/faro-data" ] || fail "faro-data was created beside faro.exe without --portable"
renderer=$(cat "$data/renderer.txt" 2>/dev/null || echo "none remembered")
step "ok: the learner is saved under %APPDATA% (${data#"$WINEPREFIX/drive_c/"}); renderer that worked: $renderer"
[ ! -f "$data/renderer.log" ] || step "renderers that failed first: $(tail -n +2 "$data/renderer.log" | cut -c1-160 | tr '\n' ';')"

# 5. Portable: data beside the exe.
open_app portable library --portable
[ -f "$app/faro-data/profiles.ron" ] && grep -q '"win"' "$app/faro-data/profiles.ron" ||
  fail "--portable did not save the learner in faro-data beside faro.exe: $(ls -A "$app" 2>&1)"
step "ok: --portable saves in faro-data beside faro.exe"

# 6. The installer, as the release builds it (but with wixl): install, run, upgrade, uninstall.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
build_msi() { # VERSION FILE
  local stage="$work/msi-$1"
  mkdir -p "$stage/wix" "$stage/bin"
  cp "$exe_built" "$stage/bin/faro.exe"
  cp wix/faro.ico "$stage/wix/"
  python3 packaging/windows/wixl-source.py wix/main.wxs >"$stage/faro.wxs" || fail "wixl-source.py failed"
  (cd "$stage" && wixl -a x64 -D "Version=$1" -D CargoTargetBinDir=bin -o "$2" faro.wxs) >"$out/wixl-$1.log" 2>&1 ||
    fail "wixl could not build the MSI: $(grep -v '^$' "$out/wixl-$1.log" | tail -n 5)"
}
msi="$work/faro-$version.msi"
build_msi "$version" "$msi"
cp "$msi" "$out/"
step "built $(basename "$msi") with wixl ($(du -h "$msi" | cut -f1))"
wine msiexec /i "$(winepath -w "$msi")" /qn >"$out/msiexec-install.log" 2>&1 ||
  fail "msiexec /i exited with $?: $(tail -n 5 "$out/msiexec-install.log")"
wineserver -w
installed_dir="$WINEPREFIX/drive_c/Program Files/faro/bin"
[ -f "$installed_dir/faro.exe" ] || fail "the MSI did not install faro.exe in Program Files\faro\bin"
# The MSI is per machine (ALLUSERS=1), so Windows puts the shortcut in the Start menu of all users
# (ProgramData); Wine 8's msiexec puts it in the installing user's (AppData\Roaming): accept both.
[ "$(msiinfo export "$msi" Property | tr -d '\r' | awk '$1 == "ALLUSERS" { print $2 }')" = 1 ] ||
  fail "the MSI does not install per machine (no ALLUSERS=1 in its Property table)"
find_shortcut() {
  find "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs" \
    "$WINEPREFIX/drive_c/users" -ipath '*Start Menu/Programs/Faro.lnk' -print -quit 2>/dev/null
}
shortcut=$(find_shortcut)
[ -n "$shortcut" ] || fail "no Faro.lnk in a Start menu under $WINEPREFIX/drive_c after msiexec /i"
step "ok: msiexec /i installed Program Files\\faro\\bin\\faro.exe and the Start-menu shortcut ${shortcut#"$WINEPREFIX/drive_c/"}"
app="$installed_dir"
open_app installed any
# An upgrade: the same program as a newer version replaces the installed one.
IFS=. read -r major minor patch <<<"${version%%[-+]*}"
newer="$major.$minor.$((patch + 1))"
build_msi "$newer" "$work/faro-$newer.msi"
wine msiexec /i "$(winepath -w "$work/faro-$newer.msi")" /qn >"$out/msiexec-upgrade.log" 2>&1 ||
  fail "msiexec /i of version $newer over $version exited with $?: $(tail -n 5 "$out/msiexec-upgrade.log")"
wineserver -w
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall'
products=$(wine reg query "$uninstall_key" /s 2>/dev/null | tr -d '\r' | grep -c 'DisplayName.*REG_SZ.*faro$' || true)
[ "$products" = 1 ] || fail "after the upgrade to $newer, $products products named faro are installed, expected 1"
wine reg query "$uninstall_key" /s 2>/dev/null | tr -d '\r' | grep -q "DisplayVersion.*REG_SZ.*$newer\$" ||
  fail "after the upgrade, version $newer is not the one installed"
[ -f "$installed_dir/faro.exe" ] || fail "the upgrade removed faro.exe"
step "ok: version $newer upgrades $version in place (one faro in the installed programs)"
wine msiexec /x "$(winepath -w "$work/faro-$newer.msi")" /qn >"$out/msiexec-uninstall.log" 2>&1 ||
  fail "msiexec /x exited with $?: $(tail -n 5 "$out/msiexec-uninstall.log")"
wineserver -w
[ ! -f "$installed_dir/faro.exe" ] || fail "msiexec /x left faro.exe in Program Files"
[ -z "$(find_shortcut)" ] || fail "msiexec /x left the Start-menu shortcut $(find_shortcut)"
grep -q '"win"' "$data/profiles.ron" || fail "uninstalling removed the learners' data under %APPDATA%"
step "ok: msiexec /x removed the program and its shortcut and kept the learners' data under %APPDATA%"

echo "windows-check: all checks passed; screenshots: $out/appdata-library.png, $out/portable-library.png, $out/installed-start.png (logs and the MSI in $out)"
