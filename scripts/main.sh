#!/usr/bin/env bash
# Builds uebpf and runs its main job on the bundled default: the XDP packet
# parser from examples/ (libbpf-style C, compiled by clang-19 during the
# build) is verified, then test-run 100000 times over a bundled
# Ethernet/IPv4/UDP frame in the JIT and in the interpreter, printing the
# verdict, the time per run and the maps it filled. Then the assembly
# examples run, and the eBPF conformance vectors when ../shared is present.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target uebpf uebpf_examples

obj=build/examples/xdp_parser/xdp_parser.bpf.o
packet=examples/packets/ipv4-udp-dns.bin

echo "== uebpf verify $obj"
./build/uebpf verify "$obj"
echo
echo "== uebpf test-run $obj --data-in $packet --repeat 100000 --dump-maps"
./build/uebpf test-run "$obj" --data-in "$packet" --repeat 100000 --dump-maps
echo
echo "== the same in the interpreter"
./build/uebpf test-run "$obj" --data-in "$packet" --repeat 100000 --engine interp

for prog in examples/asm/*.s; do
	echo
	echo "== uebpf run $prog --repeat 1000 --unverified"
	# --unverified: a program the verifier refuses (primes.s is too branchy for it)
	# still runs, with runtime checks; accepted ones run unchecked in the JIT
	./build/uebpf run "$prog" --repeat 1000 --unverified
done
if [ -d ../shared/conformance/tests ]; then
	echo
	echo "== uebpf conformance ../shared/conformance/tests (interpreter, then JIT)"
	./build/uebpf conformance ../shared/conformance/tests
	./build/uebpf conformance --engine jit ../shared/conformance/tests
fi
