# Sourced by tests/cli/test_*.sh: arguments, a scratch folder, assertions.
# Each assertion prints what it checked and, on failure, what it saw.
set -u
UEBPF=${1:?usage: test_X.sh UEBPF_BINARY SHARED_DIR SOURCE_DIR}
SHARED=${2:-}
SRC=${3:-}
VECTORS=$SHARED/conformance
TMP=$(mktemp -d "${TMPDIR:-/tmp}/uebpf-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run_cmd CMD... : runs it, keeping stdout in $out, stderr in $err, exit in $rc.
run_cmd() {
	out=$("$@" 2>"$TMP/.stderr")
	rc=$?
	err=$(cat "$TMP/.stderr")
}

# expect_rc CODE DESCRIPTION CMD...
expect_rc() {
	local want=$1 what=$2
	shift 2
	run_cmd "$@"
	if [ "$rc" -ne "$want" ]; then
		fail "$what: exit $rc, expected $want (cmd: $*)"
		echo "  stdout: $out"
		echo "  stderr: $err"
		return 1
	fi
	echo "ok: $what"
	return 0
}

# expect_match TEXT REGEX DESCRIPTION
expect_match() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		echo "ok: $3"
	else
		fail "$3: '$1' does not match /$2/"
	fi
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

have_vectors() {
	[ -n "$SHARED" ] && [ -d "$VECTORS/tests" ]
}
