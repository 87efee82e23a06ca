// The contract between the interpreter's driver (libcuda.so.1 stand-in) and a library of
// kernels compiled for the host (kernel_family.cpp through kernel_shim.h). The driver hands each
// kernel library one DeviceApi at registration; kernels reach threadIdx, barriers and warp
// intrinsics only through it, so a kernel library has no link-time dependency on the driver.
#pragma once
#include <cstddef>
#include <cstdint>

namespace interp {

struct Index3 { unsigned x, y, z; };

// What every CUDA thread of the running block sees; the scheduler rewrites it at each switch.
// Each kernel library keeps one, at thread_view().
struct ThreadView {
    Index3 threadIdx, blockIdx, blockDim, gridDim;
};

enum BarrierOp { BARRIER_PLAIN = 0, BARRIER_OR = 1, BARRIER_AND = 2, BARRIER_COUNT = 3 };
enum WarpOp { WARP_SYNC = 0, WARP_SHFL_IDX = 1, WARP_SHFL_UP = 2, WARP_SHFL_DOWN = 3, WARP_SHFL_XOR = 4,
              WARP_BALLOT = 5, WARP_ANY = 6, WARP_ALL = 7 };

struct DeviceApi {
    // __syncthreads and its predicate forms: returns the OR / AND / count over the block.
    int (*block_barrier)(int op, int predicate);
    // A warp-synchronous exchange among the lanes of mask: the shuffles return the source lane's
    // 8 bytes, ballot/any/all the combined predicate.
    uint64_t (*warp_exchange)(int op, unsigned mask, uint64_t value, int lane_arg, int width);
    // Stops the launch with a message (an unsupported use of an intrinsic).
    [[noreturn]] void (*fail)(const char* message);
};

// One kernel parameter as the C++ signature declares it.
struct Param {
    unsigned size;          // bytes kernelParams[i] must point to
    unsigned pointee_size;  // element size when the parameter is a pointer, else 0
    const char* type;       // e.g. "const double*"
};

struct KernelEntry {
    const char* name;                  // the extern "C" symbol, as in the fatbin
    void (*invoke)(void* const* args); // runs the kernel body for the current thread
    int param_count;
    const Param* params;
    const char* family;                // kernels/[<simulator>/]<family>.cu
    ThreadView* (*thread_view)();      // the view in the kernel's library
};

// A kernel family's `extern __shared__` array: where it is on the calling thread and how large
// it was made (the device's opt-in limit), so the driver can fill and check it per block.
struct DynamicShared {
    const char* family;
    unsigned char* (*address)();
    size_t capacity;
};

struct KernelLibrary {
    int kernel_count;
    const KernelEntry* kernels;
    int dynamic_shared_count;
    const DynamicShared* dynamic_shared;
};

// Exported by every kernel library: registers `api` and returns the library's kernels.
// Kernels read threadIdx & co. from the library's ThreadView; the driver finds it through
// KernelEntry::thread_view.
typedef const KernelLibrary* (*RegisterFn)(const DeviceApi* api);
constexpr const char* REGISTER_SYMBOL = "reparam_interpreter_kernels";

// The opt-in shared-memory limit the interpreter reports (an H100's 227 KB).
constexpr size_t MAX_SHARED_PER_BLOCK_OPTIN = 232448;

}  // namespace interp
