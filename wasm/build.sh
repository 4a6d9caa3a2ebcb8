#!/bin/sh
# Builds the browser distribution of nn into dist/ (or the folder given as
# the first argument): the stripped nn.wasm, Go's wasm_exec.js from the
# installed toolchain, the ES module with its type declarations, and the
# demo page. With NN_BADUK_MODEL naming a model saved by examples/baduk, the
# page's Go board gets it as baduk.nnm.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist}

goroot=$(go env GOROOT)
support=$goroot/lib/wasm/wasm_exec.js
if [ ! -f "$support" ]; then
	support=$goroot/misc/wasm/wasm_exec.js # Go before 1.24
fi
if [ ! -f "$support" ]; then
	echo "build.sh: no wasm_exec.js in $goroot" >&2
	exit 1
fi

mkdir -p "$out"
cd "$root"
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$out/nn.wasm.tmp" ./wasm/cmd/nnwasm
mv "$out/nn.wasm.tmp" "$out/nn.wasm"
cp "$support" "$out/wasm_exec.js"
cp wasm/nn.mjs wasm/kernels.mjs wasm/nn.d.ts "$out/"
cp wasm/web/* "$out/"
if [ -n "${NN_BADUK_MODEL:-}" ]; then
	cp "$NN_BADUK_MODEL" "$out/baduk.nnm"
fi
echo "built $out: nn.wasm $(wc -c <"$out/nn.wasm") bytes, $(gzip -9c "$out/nn.wasm" | wc -c) gzipped"
