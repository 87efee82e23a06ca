#!/usr/bin/env bash
# Builds the MPI binding (native/mpi/reparam_mpi.c, JNI over Open MPI) into
#   <classes>/mpi/libreparam-mpi.so        packed into the jar, loaded only under mpirun
#   native/build-mpi.sh <classes dir> <java home>
# Needs mpicc (Debian: libopenmpi-dev); without it it says so and succeeds, and reparam runs on
# one process only. Rebuilt only when the source is newer than what it built.
set -euo pipefail
cd "$(dirname "$0")/.."
classes=${1:?classes dir}
java_home=${2:?java home}
if ! command -v mpicc >/dev/null 2>&1; then
  echo "mpi binding not built: mpicc not found on the PATH (Debian: apt-get install libopenmpi-dev)"
  exit 0
fi
out="$classes/mpi/libreparam-mpi.so"
if [ -f "$out" ] && [ -z "$(find native/mpi native/build-mpi.sh -newer "$out" | head -1)" ]; then
  echo "mpi binding: up to date"
  exit 0
fi
mkdir -p "$classes/mpi"
mpicc -std=c11 -O2 -fPIC -shared -Wall -Wextra -Werror -I "$java_home/include" -I "$java_home/include/linux" \
  -o "$out" native/mpi/reparam_mpi.c -ldl
echo "mpi binding: built $out ($(mpicc --showme:version 2>/dev/null | head -1))"
