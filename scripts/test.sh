#!/usr/bin/env bash
# Builds uebpf twice (release with -Werror, then ASan+UBSan) and runs every
# test in both. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=$(nproc)
run_suite() { # build-dir, extra cmake args...
	local dir=$1; shift
	echo "=== uebpf: configure and build $dir $*"
	cmake -S . -B "$dir" -DUEBPF_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs"
	echo "=== uebpf: tests in $dir"
	# ASAN_OPTIONS: a leak is a bug here too.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 600
}

run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo
run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DUEBPF_SANITIZE=ON
