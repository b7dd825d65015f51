#!/usr/bin/env bash
# Runs a conformance command when the vectors folder exists, else skips.
# usage: run.sh CONFORMANCE_DIR COMMAND [ARGS...]
set -u
dir=$1; shift
if [ ! -d "$dir/tests" ] || [ ! -d "$dir/negative" ]; then
	echo "skip: no conformance vectors at $dir (set -DUEBPF_SHARED_DIR=<folder holding conformance/>)"
	exit 77
fi
exec "$@"
