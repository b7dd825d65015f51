#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds a libFuzzer target (clang-19, ASan+UBSan) in its own build directory
# and runs it for SECONDS (default 60), then prints how many inputs it
# executed. Crashes land in $BUILD_DIR/fuzz-artifacts/.
#   prog_run: raw instructions -> load -> checked interpretation
#   verified_run: raw instructions -> load -> verify -> accepted programs
#             run unchecked (JIT and interpreter) against a checked referee
#   loader:   arbitrary bytes -> ELF/BTF object open + load
#
# usage: tests/fuzz/run-fuzz.sh [SECONDS] [prog_run|verified_run|loader]
# env:   BUILD_DIR (default build-fuzz), JOBS (default 2), CC (default clang-19)
set -eu

seconds=${1:-60}
target=${2:-prog_run}
case $target in
	prog_run|verified_run|loader) ;;
	*) echo "usage: $0 [SECONDS] [prog_run|verified_run|loader]" >&2; exit 2 ;;
esac
src_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${BUILD_DIR:-$src_dir/build-fuzz}
jobs=${JOBS:-2}
cc=${CC:-clang-19}

case $seconds in
	''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
command -v "$cc" >/dev/null 2>&1 || {
	echo "run-fuzz.sh: $cc not found; libFuzzer needs clang (apt-get install clang-19)" >&2
	exit 1
}

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
	CC=$cc cmake -S "$src_dir" -B "$build_dir" -DUEBPF_FUZZ=ON -DUEBPF_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" -j "$jobs" --target "fuzz_$target" fuzz_seed_corpus uebpf_examples

corpus=$build_dir/fuzz-corpus/$target
artifacts=$build_dir/fuzz-artifacts
shared=$(sed -n 's/^UEBPF_SHARED_DIR:PATH=//p' "$build_dir/CMakeCache.txt")
mkdir -p "$artifacts" "$corpus"
if [ "$target" != loader ]; then
	"$build_dir/tests/fuzz_seed_corpus" "$corpus" "${shared:-$src_dir/../shared}/conformance"
else
	# the objects clang-19 built from examples/ are the loader's seeds
	find "$build_dir/examples" -name '*.bpf.o' -exec cp {} "$corpus/" \;
fi

log=$build_dir/fuzz-$target.log
echo "run-fuzz.sh: fuzzing for $seconds s (log: $log)"
status=0
# -rss_limit_mb: ASan's shadow memory counts too; the default 2 GB is fine.
"$build_dir/tests/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$artifacts/" -timeout=10 "$corpus" >"$log" 2>&1 || status=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
echo "run-fuzz.sh: executed ${execs:-?} inputs in $seconds s; last status: $cov"
if [ "$status" -ne 0 ]; then
	echo "run-fuzz.sh: the fuzzer FAILED (exit $status); report and reproducer:" >&2
	grep -E 'ERROR|SUMMARY|runtime error|Test unit written|artifact' "$log" >&2 || tail -n 40 "$log" >&2
	echo "reproduce: $build_dir/tests/fuzz_$target <artifact file>" >&2
	exit 1
fi
echo "run-fuzz.sh: clean"
