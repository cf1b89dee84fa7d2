#!/bin/sh
# native/cross-build.sh OUT_DIR JDK_HOME CFLAGS: cross-compiles the C layer for
# linux-aarch64 with Debian's gcc-aarch64-linux-gnu into OUT_DIR/libpthread4j.so,
# with the flags of the native build (CFLAGS, from native/pom.xml) and JDK_HOME's
# jni.h. mvn runs it when /usr/bin/aarch64-linux-gnu-gcc exists (native/README.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1 jdk=$2 cflags=$3
mkdir -p "$out"
# shellcheck disable=SC2086 # CFLAGS is a list of words
aarch64-linux-gnu-gcc $cflags -I"$here/../include" -I"$jdk/include" -I"$jdk/include/linux" \
    -shared -o "$out/libpthread4j.so" "$here"/*.c -lpthread
echo "pthread4j: built $out/libpthread4j.so (linux-aarch64)"
