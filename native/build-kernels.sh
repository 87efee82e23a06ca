#!/usr/bin/env bash
# Compiles every .cu under kernels/ (the engine's in kernels/ itself, each simulator's in its own
# kernels/<simulator>/) into one fatbin per op family with nvcc, named by the .cu's basename:
# sm_80 and sm_90 machine code plus compute_90 PTX (which newer GPUs JIT-compile once).
#   native/build-kernels.sh <fatbin dir> <log dir> [source dir, default kernels]
# The Maven build runs it in generate-resources (fatbins into target/classes/kernels, so they
# are packed into the jar; the ptxas resource report into target/kernels/ptxas.log).
# Without nvcc it says so and succeeds: the CUDA backend then reports "kernels not built".
# Includes resolve beside the .cu, then in the source dir's top (common.cuh, bound_map.cuh).
# A family is rebuilt only when its .cu or a header (anywhere under the source dir or kernels/)
# is newer than its fatbin.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?fatbin dir}
logs=${2:?log dir}
sources=${3:-kernels}
source native/kernel-sources.sh

if ! command -v nvcc >/dev/null 2>&1; then
  echo "kernels not built: nvcc not found on the PATH (the CUDA backend will report this)"
  exit 0
fi
mkdir -p "$out" "$logs"

gencode=(-gencode arch=compute_80,code=sm_80
         -gencode arch=compute_90,code=sm_90
         -gencode arch=compute_90,code=compute_90)
# -no-compress keeps the cubins readable by KernelPresenceTest's ELF reader (and loads faster).
flags=(-fatbin -O3 -std=c++17 -no-compress -Xptxas -v "${gencode[@]}" -I "$sources")

start=$(date +%s)
built=0
kernel_sources "$sources"
for src in "${KERNEL_SOURCES[@]}"; do
  family=$(basename "$src" .cu)
  bin="$out/$family.fatbin"
  if [ -f "$bin" ] && ! [ "$src" -nt "$bin" ] && [ -z "$(find "$sources" kernels -name '*.cuh' -newer "$bin")" ]; then
    continue
  fi
  # ptxas writes its report to stderr; keep it per family, then echo any line that is not
  # part of the report (warnings) so they show in the build output.
  if ! nvcc "${flags[@]}" -o "$bin" "$src" 2> "$logs/$family.ptxas.log"; then
    cat "$logs/$family.ptxas.log" >&2
    rm -f "$bin"
    echo "kernels: nvcc failed on $src" >&2
    exit 1
  fi
  grep -v -e '^ptxas info' -e 'bytes stack frame' -e '^$' "$logs/$family.ptxas.log" >&2 || true
  built=$((built + 1))
done
cat "$logs"/*.ptxas.log > "$logs/ptxas.log" 2>/dev/null || true
echo "kernels: $built of ${#KERNEL_SOURCES[@]} families rebuilt into $out in $(( $(date +%s) - start )) s (report: $logs/ptxas.log)"
