#!/usr/bin/env bash
# Runs the Navier-Stokes CUDA kernels on the CPU (cuda_emu.h: blocks of coroutine threads with real
# barriers and warp shuffles) against the Java CPU reference; no GPU involved (docs/ns.md, CUDA).
#   bash native/ns-emulation/run.sh [quick|step|all] [f64|f32] [mg|ssor|jacobi]   # default: all f64 mg (~10 min on 2 cores)
#   bash native/ns-emulation/run.sh count [n] [W] [steps] [name prefix]          # CG iterations per candidate preconditioner
# Needs g++ with C++20 and a compiled tree (mvn -q compile). Work files go to target/ns-emulation.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/ns-emulation
mkdir -p "$work/classes" "$work/data"
[ -d target/classes/dev/reparam/physics/ns ] || { echo "run mvn -q compile first" >&2; exit 2; }
javac -cp target/classes -d "$work/classes" native/ns-emulation/*.java
if [ "${1:-}" = count ]; then
  shift
  exec java -cp "target/classes:$work/classes" dev.reparam.physics.ns.NsPreconditionerCount "$@"
fi
java -cp "target/classes:$work/classes" dev.reparam.physics.ns.NsDump "$work/data"
g++ -std=c++20 -O2 -o "$work/driver" native/ns-emulation/driver.cpp
"$work/driver" "$work/data" "${1:-all}" "${2:-f64}" "${3:-mg}"
