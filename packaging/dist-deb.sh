#!/usr/bin/env bash
# Builds the Linux .deb for a release, with its checksum:
#
#   packaging/dist-deb.sh
#
# dist cannot make .deb files, so dist-workspace.toml lists this script as an extra artifact: the
# release workflow runs it in its global job (`dist build --artifacts=global`, on Ubuntu) and
# uploads the two files it writes to the GitHub release:
#   target/deb-release/faro-x86_64-unknown-linux-gnu.deb
#   target/deb-release/faro-x86_64-unknown-linux-gnu.deb.sha256   (`sha256sum --check` reads it)
# The package itself is defined by [package.metadata.deb] in Cargo.toml; packaging/deb-smoke-test.sh
# builds it the same way and tests it. Those two paths are fixed (dist-workspace.toml names them),
# whatever CARGO_TARGET_DIR is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The same cargo-deb version as packaging/deb-smoke-test.sh installs.
cargo_deb_version=3.8.0
name=faro-x86_64-unknown-linux-gnu.deb
out_dir=target/deb-release

command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --version "$cargo_deb_version"

# Man pages and completions for the package (see [package.metadata.deb]).
rm -rf target/packaging/man target/packaging/completions
cargo run --quiet --release --example gen_manpage_completions -- target/packaging

rm -rf "$out_dir"
mkdir -p "$out_dir"
cargo deb --output "$out_dir/$name"
(cd "$out_dir" && sha256sum --binary "$name" >"$name.sha256")
echo "dist-deb: built $out_dir/$name and $name.sha256"
