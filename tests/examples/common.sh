# Sourced by tests/examples/test_*.sh, run as
#   bash test_X.sh UEBPF_BINARY EXAMPLES_DIR SOURCE_DIR
# Reuses tests/testrun/common.sh (assertions, packets); adds the helper
# examples' folder and a JSON field check.
# shellcheck source=../testrun/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../testrun/common.sh"
HELPERS=$EXAMPLES/helpers

# need_example NAME: skips (77) when examples/helpers/NAME.bpf.o is missing.
need_example() {
	need_examples
	if [ ! -f "$HELPERS/$1.bpf.o" ]; then
		echo "skip: $HELPERS/$1.bpf.o is not built"
		exit 77
	fi
}

# run_json DESCRIPTION OBJ ARGS...: `uebpf test-run OBJ ARGS... --json`, exit 0.
run_json() {
	local what=$1 obj=$2
	shift 2
	expect_rc 0 "$what" "$UEBPF" test-run "$obj" "$@" --json
}

# Hex of an ASCII string, for packet payloads.
ascii_hex() {
	printf '%s' "$1" | od -A n -t x1 | tr -d ' \n'
}

# zeros N: N zero bytes in hex.
zeros() {
	local i s=""
	for ((i = 0; i < $1; i++)); do s="${s}00"; done
	printf '%s' "$s"
}
