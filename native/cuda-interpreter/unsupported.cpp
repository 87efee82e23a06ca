#include "unsupported.h"

#include "driver_state.h"

#include <cstdio>

namespace interp {
CUresult unsupported(const char* entry) {
    std::fprintf(stderr, "reparam interpreter: %s is not interpreted (CUDA_ERROR_NOT_SUPPORTED)\n", entry);
    return fail(CUDA_ERROR_NOT_SUPPORTED, std::string(entry) + " is not interpreted");
}
}  // namespace interp
