#!/usr/bin/env bash
# Runs the source of kernels/ks.cu on the CPU against the Java solver for a few sizes and prints
# the relative differences (float64 and float32). Needs g++ (C++20) and compiled test classes:
#   mvn -q -o test-compile && bash native/ks-emulator/run.sh
# FMA contraction is on (-mfma -ffp-contract=fast) where the CPU has FMA, as nvcc contracts too.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/ks-emulator
mkdir -p "$out"
fma=()
grep -qw fma /proc/cpuinfo 2>/dev/null && fma=(-mfma -ffp-contract=fast)
g++ -std=c++20 -O2 "${fma[@]}" -pthread -o "$out/ks_emulate_run" native/ks-emulator/ks_emulate.cpp
cp="target/classes:target/test-classes"
L=100.53096491487338   # 32 pi
# N L dt steps interval problems rows seed blown (the last case is the paper's t = 25: about a minute)
while read -r n l dt steps c count k seed blown; do
  java -cp "$cp" dev.reparam.cuda.ks.KsEmulationData "$out/data.bin" "$n" "$l" "$dt" "$steps" "$c" "$count" "$k" "$seed" "$blown"
  "$out/ks_emulate_run" "$out/data.bin" | grep -v '^ok$'
done <<CASES
4 22 0.25 10 3 3 3 5 -1
8 22 0.25 10 3 3 3 5 -1
64 22 0.25 20 5 5 6 1 2
64 22 0.25 20 1 3 3 3 1
128 $L 0.25 20 5 4 7 2 -1
128 $L 0.25 20 7 4 4 4 -1
512 $L 0.25 8 3 2 2 7 -1
1024 $L 0.05 6 4 2 2 8 -1
128 $L 0.25 100 10 4 4 9 -1
CASES
rm -f "$out/data.bin"
