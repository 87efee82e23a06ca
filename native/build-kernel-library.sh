#!/usr/bin/env bash
# Compiles every .cu under <dir> (kernels/*.cu and each simulator's kernels/<simulator>/*.cu) into
# one host library for the CUDA interpreter (docs/cuda.md, "Interpret mode"): each family (named by
# its .cu's basename) from its source, unchanged, through cuda-interpreter/kernel_shim.h.
#   native/build-kernel-library.sh <kernel dir> <library file> <work dir>
# The kernel names (extern "C" __global__ functions) and `extern __shared__` arrays are read from
# the preprocessed source, so the registration table never drifts from kernels/.
# Includes resolve beside the .cu, then in <dir>'s top (common.cuh, bound_map.cuh).
# A family is recompiled only when a .cu or header anywhere under <dir>, the interpreter's
# headers or this script (its flags) changed (conservative: any source newer than the family's
# object rebuilds it).
set -euo pipefail
cd "$(dirname "$0")/.."
src_dir=${1:?kernel dir}
lib=${2:?library file}
work=${3:?work dir}
here=native/cuda-interpreter
source native/kernel-sources.sh
mkdir -p "$work" "$(dirname "$lib")"
# -fno-extern-tls-init: `extern __shared__` arrays (thread_local here) have no dynamic initialiser,
# so no TLS init call is emitted for them (it would be a call through a null weak symbol)
# The __shared__ arrays are reached by plain __tls_get_addr calls, never TLS descriptors
# (-mtls-dialect=gnu2): a descriptor call is assumed to keep every register, but before glibc 2.40
# (sourceware bugs 31372 and 31501; Debian 12 has 2.36) its slow path, taken at a thread's first
# touch of the library's TLS, clobbers SSE registers and saved pointers. The fiber that touched a
# __shared__ array first, in the first launch on a thread, then computed with garbage
# (wave_packet_loss 5 % off in a parity test; InterpreterChecksTest keeps it from coming back).
flags=(-std=c++17 -O2 -fPIC -fvisibility=hidden -ffp-contract=off -fno-strict-aliasing -fno-extern-tls-init
       -mtls-dialect=gnu -w -I "$here" -I "$(realpath "$src_dir")")

objects=()
: > "$work/families.inc.new"
kernel_sources "$src_dir"
for src in "${KERNEL_SOURCES[@]}"; do
  family=$(basename "$src" .cu)
  obj="$work/$family.o"
  objects+=("$obj")
  echo "INTERP_FAMILY_DECLARE($family)" >> "$work/families.inc.new"
  if [ -f "$obj" ] && [ -z "$(find "$src_dir" \( -name '*.cu' -o -name '*.cuh' \) -newer "$obj" 2>/dev/null | head -1)" ] \
     && [ -z "$(find "$here" -maxdepth 1 \( -name '*.h' -o -name 'kernel_family.cpp' \) -newer "$obj" 2>/dev/null | head -1)" ] \
     && [ ! "$0" -nt "$obj" ]; then
    continue
  fi
  # __global__ and __launch_bounds__ are left as they are by the preprocessor (nothing defines
  # them here), so the kernels' names can be read after every macro has expanded.
  flat=$(g++ -E -P -x c++ -std=c++17 -I "$src_dir" "$src" | tr '\n' ' ')
  names=$(grep -oP '__global__\s+void\s+(__launch_bounds__\s*\([^()]*(\([^()]*\))?[^()]*\)\s*)?\K[A-Za-z_][A-Za-z_0-9]*(?=\s*\()' <<< "$flat" | sort -u || true)
  if [ -z "$names" ]; then
    echo "kernel library: no __global__ function found in $src" >&2
    exit 1
  fi
  for n in $names; do echo "INTERP_KERNEL($n)"; done > "$work/$family.table.inc"
  : > "$work/$family.defs.inc"
  # extern __shared__ <type> name[];  ->  defined at the device's opt-in size
  { grep -oP 'extern\s+__shared__\s+\K[^;]*?[A-Za-z_][A-Za-z_0-9]*\s*\[\s*\]' <<< "$flat" || true; } | sort -u | while read -r decl; do
    name=$(grep -oP '[A-Za-z_][A-Za-z_0-9]*(?=\s*\[\s*\]$)' <<< "$decl")
    type=${decl%"$name"*}
    plain=$(sed -E 's/__align__\s*\([^)]*\)//g' <<< "$type")
    printf '#ifdef INTERP_DEFINE_ARRAYS\nthread_local %s %s[interp::MAX_SHARED_PER_BLOCK_OPTIN / sizeof(%s)];\n#endif\nINTERP_DYNAMIC_SHARED(%s, interp::MAX_SHARED_PER_BLOCK_OPTIN)\n' \
      "$type" "$name" "$plain" "$name" >> "$work/$family.defs.inc"
  done
  g++ "${flags[@]}" -DINTERP_FAMILY="$family" -DINTERP_FAMILY_SOURCE="\"$(realpath "$src")\"" \
      -DINTERP_FAMILY_DEFS="\"$(realpath "$work/$family.defs.inc")\"" \
      -DINTERP_FAMILY_TABLE="\"$(realpath "$work/$family.table.inc")\"" \
      -c "$here/kernel_family.cpp" -o "$obj"
done
mv "$work/families.inc.new" "$work/families.inc"
g++ "${flags[@]}" -DINTERP_LIBRARY_FAMILIES="\"$(realpath "$work/families.inc")\"" \
    -c "$here/kernel_library.cpp" -o "$work/kernel_library.o"
g++ -shared -o "$lib.tmp" "${objects[@]}" "$work/kernel_library.o"
mv "$lib.tmp" "$lib"  # a running JVM may have the old one mapped
