#!/usr/bin/env bash
# Profiles one configuration of the benchmark with Linux perf and splits its CPU time by who spends it.
#
#   tests/Ergate.Benchmarks/tools/profile.sh CONFIG [WORKLOAD] [SECONDS]
#   e.g. tests/Ergate.Benchmarks/tools/profile.sh silo-memory 10000x5 8
#
# Needs `perf` (Debian: linux-perf) and a Release build of the benchmark. It starts the configuration's child process
# with perf maps on (so JIT-compiled frames have names), waits for its warm-up to finish, samples every thread for
# SECONDS while timed runs go on, and prints: the share of samples per thread kind, per module family (Ergate, Orleans,
# System.Text.Json, other .NET libraries, the runtime's native code, the JIT, SQLite, libc, the kernel), and the 25
# busiest functions. The raw data stays in $OUT (default: a temporary folder) for `perf report -i`.
set -euo pipefail
config=${1:?usage: profile.sh CONFIG [WORKLOAD] [SECONDS]}
workload=${2:-10000x5}
seconds=${3:-8}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
dll=$repo/tests/Ergate.Benchmarks/bin/Release/net10.0/Ergate.Benchmarks.dll
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
command -v perf > /dev/null || { echo "profile.sh: perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }
[ -f "$dll" ] || { echo "profile.sh: build the benchmark first: dotnet build -c Release tests/Ergate.Benchmarks" >&2; exit 2; }

# Enough timed runs to outlast the sampling: a run of 50,000 steps takes 0.1-2 s here.
# W^X off: with it the JIT-compiled code runs from a second mapping that perf cannot name.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$dll" --child --config "$config" --workloads "$workload" --runs 40 --latency-samples 10 > "$out/child.out" 2>&1 &
child=$!
trap 'kill $child 2> /dev/null || true' EXIT
until grep -aq "warm-up" "$out/child.out" 2> /dev/null; do
  kill -0 $child 2> /dev/null || { cat "$out/child.out" >&2; exit 1; }
  sleep 0.2
done
sleep 0.5
echo "profile.sh: sampling $config ($workload) for $seconds s; data in $out" >&2
perf record -F 2999 -g -p $child -o "$out/perf.data" -- sleep "$seconds" > /dev/null 2>&1
kill $child 2> /dev/null || true
grep -aE "steps/s in" "$out/child.out" | head -5

echo; echo "== CPU samples by thread"
perf report -i "$out/perf.data" --no-children --sort comm -g none -q 2> /dev/null | awk 'NF && $1 + 0 >= 0.5'

echo; echo "== CPU samples by module family"
perf report -i "$out/perf.data" --no-children --sort dso,sym -g none -q 2> /dev/null | awk '
  function family(dso, sym,   m) {
    if (dso ~ /kallsyms/) return "kernel (scheduling, system calls, file writes)"
    if (dso ~ /sqlite/) return "SQLite (native)"
    if (dso ~ /clrjit/) return "JIT compiler"
    if (dso ~ /coreclr/) return "runtime native code (GC, casts, thread pool waits)"
    if (dso ~ /^libc|ld-linux/) return "libc (memset: GC clearing memory, memmove, malloc)"
    if (match(sym, /\[[A-Za-z0-9_.]+\] [^ ]*::/)) {
      m = substr(sym, RSTART + 1, RLENGTH); sub(/\].*/, "", m)
      if (m ~ /^Ergate/) return "Ergate (" m ")"
      if (m ~ /^Orleans/) return "Orleans"
      if (m ~ /^System.Text.Json/) return "System.Text.Json"
      if (m ~ /^Microsoft.Data.Sqlite|^SQLitePCL/) return "Microsoft.Data.Sqlite"
      return ".NET libraries (tasks, threading, collections)"
    }
    if (sym ~ /stub|JIT_/) return "runtime stubs (write barriers, casts)"
    return "other (unresolved)"
  }
  { p = $1; sub(/%/, "", p); dso = $2; $1 = ""; $2 = ""; t[family(dso, $0)] += p }
  END { for (f in t) printf "%7.2f%%  %s\n", t[f], f }' | sort -rn

echo; echo "== busiest functions (self time)"
perf report -i "$out/perf.data" --no-children --sort sym -g none -q 2> /dev/null | head -25 | sed -E 's/\[OptimizedTier1\]//; s/(.{160}).*/\1/'
