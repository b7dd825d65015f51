# Sourced by tests/testrun/test_*.sh, run as
#   bash test_X.sh UEBPF_BINARY EXAMPLES_DIR SOURCE_DIR
# Reuses the assertions of tests/cli/common.sh; adds the example objects
# and the packets the tests send.
EXAMPLES=${2:-}
set -- "$1" "" "${3:-}"
# shellcheck source=../cli/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cli/common.sh"

need_examples() {
	if [ -z "$EXAMPLES" ] || [ ! -f "$EXAMPLES/xdp_parser/xdp_parser.bpf.o" ]; then
		echo "skip: the example objects are not built (clang-19 missing?)"
		exit 77
	fi
}

# expect_contains TEXT FIXED-STRING DESCRIPTION
expect_contains() {
	if printf '%s\n' "$1" | grep -Fq -- "$2"; then
		echo "ok: $3"
	else
		fail "$3: output lacks '$2'"
		printf '%s\n' "$1" | head -40 | sed 's/^/  | /'
	fi
}

# Packets (hex). Ethernet to 00:..:00 (the loopback address the kernel's
# test runs receive on), IPv4 10.0.0.1 -> 10.0.0.2.
ETH_IP4="000000000000 020000000001 0800"
IP4_UDP="4500001c00010000401100000a0000010a000002"
IP4_TCP="45000028000100004006000001020304 05060708"
UDP53="$ETH_IP4 $IP4_UDP 9c40003500080000"             # 42 bytes
TCP23="$ETH_IP4 $IP4_TCP 9c400017000000000000000050020000 00000000"
TCP80="$ETH_IP4 $IP4_TCP 9c400050000000000000000050020000 00000000"
ARP="ffffffffffff 020000000001 0806 0001080006040001 020000000001 0a000001 000000000000 0a000002"
