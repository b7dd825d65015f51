#!/usr/bin/env bash
# Installs what uebpf needs to build and test, from Debian 12's packages.
# The one place that lists build dependencies; the README and CI call it.
set -euo pipefail

packages=(
	build-essential cmake pkg-config
	clang-19 llvm-19 lld-19 libclang-rt-19-dev   # BPF objects (v4 ISA), libFuzzer
	libelf-dev zlib1g-dev libbpf-dev             # ELF and BTF
	libcmocka-dev                                # unit tests
	libcapstone-dev                              # showing JIT-ed machine code
	libpcap-dev                                  # packets from pcap files and interfaces
	iproute2                                     # network namespaces for hook tests
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
