// The entry point of a kernel library: collects the families that build-interpreter.sh
// compiled into it (the generated INTERP_LIBRARY_FAMILIES list) and hands them to the driver.
#include "interpreter_abi.h"

#include <vector>

const interp::DeviceApi* interp_api = nullptr;
interp::ThreadView interp_view;

namespace {
std::vector<interp::KernelEntry> kernels;
std::vector<interp::DynamicShared> dynamic_shared;
interp::KernelLibrary library;

interp::ThreadView* thread_view() { return &interp_view; }

void add(const interp::KernelEntry* k, const interp::DynamicShared* d) {
    if (k) {
        kernels.push_back(*k);
        kernels.back().thread_view = &thread_view;
    }
    if (d) dynamic_shared.push_back(*d);
}
}  // namespace

#define INTERP_FAMILY_DECLARE(f) void register_family_##f(void (*)(const interp::KernelEntry*, const interp::DynamicShared*));
#include INTERP_LIBRARY_FAMILIES
#undef INTERP_FAMILY_DECLARE

extern "C" __attribute__((visibility("default"))) const interp::KernelLibrary* reparam_interpreter_kernels(
        const interp::DeviceApi* api) {
    interp_api = api;
    if (kernels.empty()) {
#define INTERP_FAMILY_DECLARE(f) register_family_##f(add);
#include INTERP_LIBRARY_FAMILIES
#undef INTERP_FAMILY_DECLARE
    }
    library = interp::KernelLibrary{(int)kernels.size(), kernels.data(), (int)dynamic_shared.size(),
                                    dynamic_shared.data()};
    return &library;
}
