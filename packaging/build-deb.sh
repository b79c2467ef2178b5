#!/usr/bin/env bash
# Builds the Debian package: the release binary, then the man page and the bash/zsh/fish
# completions generated from that binary's own CLI definition (never committed copies that could
# drift), then `cargo deb --no-build`. Needs cargo-deb (`cargo install cargo-deb`).
# The package lands in target/debian/ (or $CARGO_TARGET_DIR/debian/).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
# cargo-deb maps `target/release/` in the assets to the real target dir (CARGO_TARGET_DIR).
release="${CARGO_TARGET_DIR:-target}/release"
bin="$release/proone-sync"
out="$release/package-assets"
rm -rf "$out"
mkdir -p "$out"
"$bin" man > "$out/proone-sync.1"
gzip -9n "$out/proone-sync.1"
"$bin" completions bash > "$out/proone-sync.bash"
"$bin" completions zsh > "$out/_proone-sync"
"$bin" completions fish > "$out/proone-sync.fish"
cargo deb --no-build --no-strip
