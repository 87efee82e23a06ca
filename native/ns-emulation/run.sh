#!/usr/bin/env bash
# CG iterations per candidate preconditioner of the Navier-Stokes projection, on right-hand sides
# of a real rollout (NsPreconditionerCount.java: the exploration that chose the multigrid):
#   bash native/ns-emulation/run.sh [n] [W] [steps] [name prefix]
# Needs a compiled tree (mvn -q compile). The kernels themselves run on the CPU through the CUDA
# interpreter (docs/cuda.md, "Interpret mode"), in the gpu-tagged tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/ns-emulation
mkdir -p "$work/classes"
[ -d target/classes/dev/reparam/physics/ns ] || { echo "run mvn -q compile first" >&2; exit 2; }
javac -cp target/classes -d "$work/classes" native/ns-emulation/*.java
exec java -cp "target/classes:$work/classes" dev.reparam.physics.ns.NsPreconditionerCount "$@"
