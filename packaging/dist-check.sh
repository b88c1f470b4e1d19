#!/usr/bin/env bash
# Checks the release pipeline (dist, configured in dist-workspace.toml) on this Linux machine:
#
#   packaging/dist-check.sh
#
# 1. installs dist (cargo-dist) at the version dist-workspace.toml pins, if it is missing;
# 2. `dist plan`: the configuration is valid and .github/workflows/release.yml is up to date with
#    it (after changing [package] fields or dist-workspace.toml, run `dist generate` and commit
#    what it writes); wix/main.wxs is edited by hand (allow-dirty in dist-workspace.toml);
# 3. `dist build` of the Linux archive, as the release workflow does (profile `dist`), and checks
#    its .sha256;
# 4. unpacks the .tar.xz into a fresh folder and runs packaging/smoke-test.sh on the faro in it.
# Windows and macOS downloads (and the .deb through packaging/dist-deb.sh) are only built by the
# release workflow on GitHub. Prints the archive's path and size.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
  echo "dist-check: FAILED: $*" >&2
  exit 1
}

target=x86_64-unknown-linux-gnu
version=$(sed -n 's/^cargo-dist-version = "\(.*\)"$/\1/p' dist-workspace.toml)
[ -n "$version" ] || fail "no cargo-dist-version in dist-workspace.toml"

# 1. dist itself; ~/.cargo/bin is kept between CI runs, so this compiles (~10 minutes) only once.
if [ "$(dist --version 2>/dev/null)" != "cargo-dist $version" ]; then
  echo "dist-check: installing cargo-dist $version"
  cargo install cargo-dist --locked --version "$version" || fail "could not install cargo-dist $version"
fi

# 2. The plan: every target's downloads, and generated files in step with the configuration.
dist plan || fail "dist plan failed (its messages are above)"

# 3. The Linux archive. Cargo builds in CARGO_TARGET_DIR, but dist writes its archives into the
# repository's target/distrib/ whatever CARGO_TARGET_DIR is; ask dist where.
archive=$(dist manifest --artifacts=local --target "$target" --output-format=json |
  grep -o "\"[^\"]*/faro-$target\.tar\.xz\"" | head -n 1 | tr -d '"') || true
[ -n "$archive" ] || fail "dist manifest names no faro-$target.tar.xz"
rm -f "$archive" "$archive.sha256"
dist build --artifacts=local --target "$target" || fail "dist build failed (its messages are above)"
[ -f "$archive" ] || fail "dist build wrote no $archive; $(dirname "$archive") has: $(ls "$(dirname "$archive")")"
(cd "$(dirname "$archive")" && sha256sum --check --quiet "$(basename "$archive").sha256") ||
  fail "$archive does not match its .sha256"
echo "ok: $archive ($(stat -c %s "$archive") bytes), checksum matches"

# 4. Unpacked where nothing else is, and tried as a user would run it.
unpacked=$(mktemp -d)
tar -xJf "$archive" -C "$unpacked"
faro="$unpacked/faro-$target/faro"
[ -x "$faro" ] || fail "the archive has no faro-$target/faro; it has: $(tar -tJf "$archive")"
SMOKE_OUT=${SMOKE_OUT:-$PWD/target/packaging/smoke-dist} packaging/smoke-test.sh "$faro"
echo "dist-check: passed ($archive)"
