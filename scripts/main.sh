#!/usr/bin/env bash
# Builds uebpf and runs its main job on the bundled default: the example
# programs in examples/asm, each assembled, loaded and run by `uebpf run`,
# then the eBPF conformance vectors when ../shared/conformance is present.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target uebpf

for prog in examples/asm/*.s; do
	echo "== uebpf run $prog --repeat 1000"
	./build/uebpf run "$prog" --repeat 1000
done
if [ -d ../shared/conformance/tests ]; then
	echo "== uebpf conformance ../shared/conformance/tests"
	./build/uebpf conformance ../shared/conformance/tests
fi
