#!/usr/bin/env bash
# The benchmark suite, in one command (docs/benchmarks.md): builds uebpf in
# release mode (-O3, CMAKE_BUILD_TYPE=Release) and runs bench_suite, which
# prints ns per run of every suite program in the interpreter, the JIT, the
# same C compiled natively by clang-19 -O2 and (as root) the kernel's JIT,
# with the ratios, their geometric means and the JIT's compile time.
#
# usage: bench/run.sh [bench_suite options]
#   --reps N      repetitions per measurement, the median is printed (7)
#   --min-ms MS   length of one repetition (20)
#   --only NAME   one program;  --no-kernel  skip the kernel column
# The build goes to $UEBPF_BENCH_BUILD (default: build-release in the repo).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${UEBPF_BENCH_BUILD:-$root/build-release}

# -Werror stays with the test builds (scripts/test.sh): gcc -O3 warns about
# things -O2 does not, and a benchmark run should not fail on a warning.
mkdir -p "$build"
log=$build/bench-build.log
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUEBPF_WERROR=ON \
	-DBUILD_TESTING=OFF && cmake --build "$build" -j2 --target bench_suite; } >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "bench/run.sh: the build failed; full log in $log" >&2
	exit 1
fi

if [ "$(id -u)" != 0 ]; then
	echo "note: not root, so the kernel column stays empty (BPF_PROG_LOAD needs root)" >&2
fi
exec "$build/bench/bench_suite" --dir "$build/bench/suite" "$@"
