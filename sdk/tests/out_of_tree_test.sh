#!/usr/bin/env bash
# Installs the SDK from the build tree into a temporary prefix, builds the example plugin out of
# tree against it with find_package(TidingsSDK), and loads the result through the kernel.
#   out_of_tree_test.sh BUILD_DIR SOURCE_DIR LOADER_TEST_BINARY
set -euo pipefail
build=$1 source=$2 loader=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/sdk/tests/out_of_tree" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
test -f "$work/build/extension-example.so"
TIDINGS_OOT_PLUGIN_DIR="$work/build" "$loader" "a plugin built out of tree against the installed SDK loads"
