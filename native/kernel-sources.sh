# Sourced by native/build-kernels.sh and native/build-kernel-library.sh: the kernel families
# under a source directory. Engine families sit in kernels/ itself, each simulator's in its own
# folder (kernels/ks/, kernels/ns/, ...); a family is named by its .cu's basename wherever it
# sits, so the fatbins (/kernels/<family>.fatbin) and the interpreter's families stay flat.
#   kernel_sources <dir>   fills KERNEL_SOURCES with every <dir>/**/*.cu, ordered by family name;
#                          fails when two files would make the same family.
kernel_sources() {
  local dir=${1:?kernel dir} listing duplicates
  listing=$(find "$dir" -type f -name '*.cu' | awk '{ f = $0; sub(/.*\//, "", f); sub(/\.cu$/, "", f); print f "\t" $0 }' | LC_ALL=C sort)
  duplicates=$(cut -f1 <<< "$listing" | uniq -d)
  if [ -n "$duplicates" ]; then
    echo "kernels: more than one .cu under $dir makes the family $(echo $duplicates)" >&2
    return 1
  fi
  KERNEL_SOURCES=()
  if [ -n "$listing" ]; then
    mapfile -t KERNEL_SOURCES < <(cut -f2 <<< "$listing")
  fi
}
