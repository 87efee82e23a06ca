#!/usr/bin/env bash
# Builds the kernels that only tests launch (src/test/kernels/*.cu: deliberately broken ones that
# the interpreter must catch) like the project's: fatbins with nvcc into <test classes>/kernels-test,
# and their host build for the interpreter into <test classes>/interpreter/libreparam-test-kernels.so.
#   native/build-test-kernels.sh <test classes dir> <work dir>
set -euo pipefail
cd "$(dirname "$0")/.."
classes=${1:?test classes dir}
work=${2:?work dir}
if ! command -v nvcc >/dev/null 2>&1 || [ "$(uname -m)" != x86_64 ]; then
  echo "test kernels not built: nvcc not found on the PATH (or not x86-64)"
  exit 0
fi
bash native/build-kernels.sh "$classes/kernels-test" "$work/ptxas" src/test/kernels
bash native/build-kernel-library.sh src/test/kernels "$classes/interpreter/libreparam-test-kernels.so" "$work/library"
