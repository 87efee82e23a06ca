// One kernel family, kernels/[<simulator>/]<family>.cu, compiled for the interpreter.
// native/build-interpreter.sh compiles this file once per family with
//   INTERP_FAMILY          the family's name, e.g. elementwise
//   INTERP_FAMILY_SOURCE   the .cu file (included unchanged)
//   INTERP_FAMILY_DEFS     generated: the family's `extern __shared__` arrays, each defined at the
//                          device's opt-in size (under INTERP_DEFINE_ARRAYS) and listed
//   INTERP_FAMILY_TABLE    generated: one INTERP_KERNEL(name) per extern "C" __global__ function
// The source goes into a namespace of its own, so that helpers of the same name in two families
// (templates included) stay distinct; extern "C" keeps the kernels' own names.
#include "kernel_shim.h"
#include "kernel_registry.h"

#define INTERP_STR2(x) #x
#define INTERP_STR(x) INTERP_STR2(x)
#define INTERP_CAT2(a, b) a##b
#define INTERP_CAT(a, b) INTERP_CAT2(a, b)
#define INTERP_NS INTERP_CAT(family_, INTERP_FAMILY)

namespace INTERP_NS {
#include INTERP_FAMILY_SOURCE
#define INTERP_DEFINE_ARRAYS
#define INTERP_DYNAMIC_SHARED(name, capacity) \
    static unsigned char* INTERP_CAT(address_of_, name)() { return reinterpret_cast<unsigned char*>(name); }
#include INTERP_FAMILY_DEFS
#undef INTERP_DYNAMIC_SHARED
#undef INTERP_DEFINE_ARRAYS
}  // namespace INTERP_NS

namespace {
#define INTERP_KERNEL(name) interp::entry<&INTERP_NS::name>(#name, INTERP_STR(INTERP_FAMILY)),
const interp::KernelEntry kernels[] = {
#include INTERP_FAMILY_TABLE
    interp::KernelEntry{nullptr, nullptr, 0, nullptr, nullptr, nullptr}};
#undef INTERP_KERNEL
#define INTERP_DYNAMIC_SHARED(name, capacity) \
    interp::DynamicShared{INTERP_STR(INTERP_FAMILY), &INTERP_NS::INTERP_CAT(address_of_, name), capacity},
const interp::DynamicShared dynamic_shared[] = {
#include INTERP_FAMILY_DEFS
    interp::DynamicShared{nullptr, nullptr, 0}};
#undef INTERP_DYNAMIC_SHARED
}  // namespace

// Called by kernel_library.cpp's generated list.
void INTERP_CAT(register_family_, INTERP_FAMILY)(void (*add)(const interp::KernelEntry*, const interp::DynamicShared*)) {
    for (const interp::KernelEntry* k = kernels; k->name; k++) add(k, nullptr);
    for (const interp::DynamicShared* d = dynamic_shared; d->family; d++) add(nullptr, d);
}
