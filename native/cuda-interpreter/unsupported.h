// The answer of every driver entry the interpreter does not implement (the generated stubs).
#pragma once
#include <cuda.h>

namespace interp {
CUresult unsupported(const char* entry);
}
