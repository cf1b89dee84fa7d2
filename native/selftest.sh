#!/bin/sh
# native/selftest.sh CC LIB OUT [RUNNER...]: builds test/p4j_selftest.c with the
# compiler CC against the C layer LIB into OUT and runs it, through RUNNER when
# given (qemu-aarch64 -L /usr/aarch64-linux-gnu for the aarch64 library). A
# RUNNER that is not installed skips the run, saying why; a failed check fails.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=$1 lib=$2 out=$3
shift 3
if [ $# -gt 0 ] && ! command -v "$1" >/dev/null 2>&1; then
    echo "pthread4j: $1 not found: the self-test of $lib is built but not run (apt-get install qemu-user)"
    run=false
fi
mkdir -p "$(dirname "$out")"
# the library by its absolute path: the test needs no LD_LIBRARY_PATH, under qemu neither
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$here/../include" -o "$out" "$here/test/p4j_selftest.c" \
    "$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")" -lpthread
[ "${run:-true}" = true ] || exit 0
"$@" "$out"
