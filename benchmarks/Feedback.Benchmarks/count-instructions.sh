#!/usr/bin/env bash
# Instructions per Track call, counted by callgrind: stable on a loaded shared machine where timings are not.
# (instructions at N calls - instructions at 0 calls) / N, with tiered compilation off so that every method is
# compiled once, fully optimised, at the warm-up call (the difference then holds no JIT work; GC work stays in).
# Usage: benchmarks/Feedback.Benchmarks/count-instructions.sh [N] [TrackCall...]   (needs valgrind)
set -euo pipefail
cd "$(dirname "$0")"
n=${1:-100000}; shift || true
calls=("$@"); [ ${#calls[@]} -gt 0 ] || calls=(TrackTurn TrackReaction TrackReactionWithDisplay TrackEdit TrackFollowUp TrackRegenerate TrackChoice TrackCopy)
dotnet build -c Release -v q --nologo >/dev/null
dll=bin/Release/net10.0/Feedback.Benchmarks.dll
out=$(mktemp -d)
count() { DOTNET_TieredCompilation=0 valgrind --tool=callgrind --callgrind-out-file="$out/cg" dotnet "$dll" instructions "$1" "$2" 2>&1 | sed -n 's/.*Collected : //p'; }
for call in "${calls[@]}"; do
  base=$(count "$call" 0); full=$(count "$call" "$n")
  echo "$call: $(( (full - base) / n )) instructions per call"
done
rm -rf "$out"
