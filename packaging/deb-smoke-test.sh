#!/usr/bin/env bash
# Builds Faro's Debian package and tries it as a user would get it:
#
#   packaging/deb-smoke-test.sh
#
# 1. installs cargo-deb if missing (kept in ~/.cargo/bin between runs);
# 2. generates the man pages and shell completions into target/packaging/ (from the clap
#    definition, examples/gen_manpage_completions.rs) and runs `cargo deb` (honours
#    CARGO_TARGET_DIR);
# 3. checks the package's contents, its AppStream metainfo (appstreamcli) and desktop entry
#    (desktop-file-validate);
# 4. installs it with dpkg as root (and removes it again unless it was installed before), or else
#    unpacks it into a throwaway root with dpkg-deb -x;
# 5. runs packaging/smoke-test.sh on the installed `faro`.
# Prints the .deb's path and where the screenshots are. Needs Debian or Ubuntu; as root it installs
# the tools it needs with apt-get.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
  echo "deb-smoke-test: FAILED: $*" >&2
  exit 1
}

app_id=io.github.faro_training.Faro
root_user=false
[ "$(id -u)" = 0 ] && root_user=true

# Tools. As root on Debian (CI), install what is missing; otherwise say what to install.
missing=()
command -v appstreamcli >/dev/null || missing+=(appstream)
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if $root_user && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    fail "missing tools; install the Debian packages: ${missing[*]}"
  fi
fi
if ! command -v cargo-deb >/dev/null; then
  echo "deb-smoke-test: installing cargo-deb"
  cargo install cargo-deb --locked --version 3.8.0 || fail "could not install cargo-deb"
fi

# Man pages and completions, generated from the command-line definition. The dev profile is the
# one `cargo test` has already built, so this costs little after the tests.
rm -rf target/packaging/man target/packaging/completions
cargo run --quiet --example gen_manpage_completions -- target/packaging ||
  fail "could not generate the man pages and completions"

# Temporary files, and the package if this script installed it, go again at the end.
deb_log=$(mktemp)
install_log=$(mktemp)
unpacked=$(mktemp -d)
remove_package=false
cleanup() {
  rm -rf "$deb_log" "$install_log" "$unpacked"
  if $remove_package; then
    dpkg -r faro >/dev/null 2>&1 || echo "deb-smoke-test: could not remove the faro package again" >&2
  fi
}
trap cleanup EXIT

# The package. By default cargo-deb builds the release profile. With FARO_DEB_PROFILE=dist it
# packages the binary `dist build` already made (packaging/dist-check.sh, run before this in CI),
# so CI compiles one optimized faro instead of two (each is many minutes on a cold machine). That
# path is checked: the packaged program must be byte for byte the one dist built; if cargo-deb
# cannot package it, or packages anything else, the script falls back to its own release build.
deb_args=()
prebuilt=""
if [ -n "${FARO_DEB_PROFILE:-}" ]; then
  target_dir=${CARGO_TARGET_DIR:-target}
  triple=x86_64-unknown-linux-gnu
  if [ -x "$target_dir/$triple/$FARO_DEB_PROFILE/faro" ]; then
    deb_args=(--no-build --no-strip --profile "$FARO_DEB_PROFILE" --target "$triple")
    prebuilt="$target_dir/$triple/$FARO_DEB_PROFILE/faro"
  elif [ -x "$target_dir/$FARO_DEB_PROFILE/faro" ]; then
    deb_args=(--no-build --no-strip --profile "$FARO_DEB_PROFILE")
    prebuilt="$target_dir/$FARO_DEB_PROFILE/faro"
  else
    echo "deb-smoke-test: FARO_DEB_PROFILE=$FARO_DEB_PROFILE, but no faro was built with that profile in $target_dir; building the release profile instead"
  fi
fi
deb=""
if [ -n "$prebuilt" ]; then
  echo "deb-smoke-test: packaging $prebuilt (${deb_args[*]})"
  if cargo deb "${deb_args[@]}" >"$deb_log"; then
    deb=$(tail -n 1 "$deb_log")
    check=$(mktemp -d)
    if [ -f "$deb" ] && dpkg-deb -x "$deb" "$check" && cmp -s "$check/usr/bin/faro" "$prebuilt"; then
      echo "ok: the package holds the program dist built"
    else
      echo "deb-smoke-test: the package does not hold $prebuilt; building the release profile instead"
      deb=""
    fi
    rm -rf "$check"
  else
    echo "deb-smoke-test: cargo deb could not package $prebuilt ($(tail -n 3 "$deb_log")); building the release profile instead"
  fi
fi
if [ -z "$deb" ]; then
  # cargo-deb prints the path of the .deb as the last line of its standard output.
  if ! cargo deb >"$deb_log"; then
    fail "cargo deb failed (its messages are above); its output: $(cat "$deb_log")"
  fi
  deb=$(tail -n 1 "$deb_log")
fi
[ -f "$deb" ] || fail "cargo deb did not print the path of a .deb; its output: $(cat "$deb_log")"
echo "deb-smoke-test: built $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'

# What is inside, and whether the desktop files validate.
dpkg-deb -x "$deb" "$unpacked"
for path in usr/bin/faro \
  "usr/share/applications/$app_id.desktop" \
  "usr/share/metainfo/$app_id.metainfo.xml" \
  usr/share/man/man1/faro.1.gz \
  usr/share/bash-completion/completions/faro \
  usr/share/zsh/vendor-completions/_faro \
  usr/share/fish/vendor_completions.d/faro.fish \
  usr/share/doc/faro/copyright; do
  [ -e "$unpacked/$path" ] || fail "the package has no /$path; it has:
$(dpkg-deb -c "$deb")"
done
for size in 16 32 48 64 128 256; do
  icon="usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  [ -e "$unpacked/$icon" ] || fail "the package has no /$icon"
done
gzip -cd "$unpacked/usr/share/man/man1/faro.1.gz" | grep -q '^\.TH faro 1' ||
  fail "/usr/share/man/man1/faro.1.gz is not a man page for faro"
bash -n "$unpacked/usr/share/bash-completion/completions/faro" ||
  fail "the bash completion script has syntax errors"
echo "ok: the package has the binary, desktop entry, metainfo, icons, man pages and completions"
appstreamcli validate --no-net "$unpacked/usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "appstreamcli found problems in the packaged metainfo (above)"
desktop-file-validate "$unpacked/usr/share/applications/$app_id.desktop" ||
  fail "desktop-file-validate found problems in the packaged desktop entry (above)"
echo "ok: metainfo and desktop entry validate"

# Install it for real as root, else use the unpacked copy. A faro package that was installed
# before is upgraded and left installed; one this script installed is removed again at the end.
installed() { dpkg-query -W -f='${Status}' faro 2>/dev/null | grep -q "install ok installed"; }
if $root_user && command -v apt-get >/dev/null; then
  installed || remove_package=true
  # dpkg -i leaves the package unconfigured when a dependency is missing; apt-get -f brings it.
  dpkg -i "$deb" >"$install_log" 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -f >>"$install_log" 2>&1 ||
    fail "could not install $deb with dpkg -i nor fix its dependencies with apt-get install -f:
$(tail -n 20 "$install_log")"
  installed || fail "dpkg -i $deb did not leave faro installed and configured"
  faro=/usr/bin/faro
  echo "ok: installed with dpkg -i"
else
  faro="$unpacked/usr/bin/faro"
  echo "deb-smoke-test: not root, so testing the unpacked copy $faro"
fi

SMOKE_OUT=${SMOKE_OUT:-$PWD/target/packaging/smoke-deb} bash packaging/smoke-test.sh "$faro"
echo "deb-smoke-test: passed ($deb)"
