#!/usr/bin/env bash
# Fetches libchdb.so (embedded ClickHouse) once per machine into a shared cache directory.
# Usage: fetch-libchdb.sh VERSION TARGET_DIR. Idempotent and safe to run concurrently.
set -euo pipefail
version=$1 dir=$2
lib="$dir/libchdb.so"
[ -f "$lib" ] && exit 0
command -v npm >/dev/null || { echo "fetch-libchdb: npm is required to download libchdb (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
[ -f "$lib" ] && exit 0
echo "Downloading embedded ClickHouse (chDB $version, ~178 MB, once per machine) into $dir ..."
tmp=$(mktemp -d "$dir/.download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@chdb/lib-linux-x64-gnu@$version" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" package/libchdb.so
mv "$tmp/package/libchdb.so" "$lib"
echo "libchdb ready: $lib"
