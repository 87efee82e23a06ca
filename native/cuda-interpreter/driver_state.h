// The interpreter driver's internal state, shared by its parts: memory.cpp (device memory and
// its checks), scheduler.cpp (running a launch), fatbin.cpp (what a module's image declares),
// streams.cpp (streams, events, capture and graphs), driver_api.cpp (the cu* entry points)
// and jni_bridge.cpp (what Java asks of the interpreter itself).
#pragma once
#include "interpreter_abi.h"

#include <cuda.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace interp {

// Every entry point holds this lock: the interpreter runs one call at a time, in call order.
std::mutex& driver_lock();

// ---- errors -------------------------------------------------------------------------------
// Records a failure's explanation (read by Java through jni_bridge, and printed to stderr when
// REPARAM_INTERPRET_VERBOSE is set) and returns `code`.
CUresult fail(CUresult code, const std::string& message);
std::string last_error();
void clear_last_error();

// The start of every cu* entry: one call at a time, and a failure's explanation is the one of
// this call (a stale one from an earlier call would be attached to the wrong failure).
#define LOCKED                                                      \
    std::lock_guard<std::mutex> interp_guard(::interp::driver_lock()); \
    ::interp::clear_last_error()

// ---- device memory (memory.cpp) --------------------------------------------------------------
struct Allocation {
    uint64_t id;
    uintptr_t base;       // what cuMemAlloc returned
    size_t size;          // bytes requested
    uintptr_t map_start;  // the mapping: [data pages][guard page], data ending at the guard
    size_t map_size;
    bool live;
};
CUresult allocate(size_t bytes, CUdeviceptr* out);
CUresult release(CUdeviceptr p);
// The live allocation holding [p, p + bytes), or null with *why set.
const Allocation* find_range(uintptr_t p, size_t bytes, std::string* why);
// Any allocation (live or freed, still known) whose mapping holds address a.
const Allocation* find_mapping(uintptr_t a);
std::string describe(const Allocation& a);
size_t bytes_in_use();
size_t device_capacity();

// ---- kernels and modules ----------------------------------------------------------------------
struct FatbinEntry {          // one .entry of the image's PTX
    std::string name;
    std::vector<unsigned> param_sizes;
    unsigned max_threads;     // .maxntid product, 0 when the kernel has no __launch_bounds__
    unsigned static_shared;   // bytes of .shared declared in its body
    bool synchronizes;        // its body has a barrier or warp-synchronous instruction
};
// Parses a fatbin (or bare PTX) image; false with *why on anything else.
bool read_fatbin(const void* image, std::vector<FatbinEntry>* entries, std::string* why);

struct Module;
struct Function {
    Module* module;
    const KernelEntry* host;  // the host build of the kernel
    FatbinEntry device;       // what the image says about it
    int max_dynamic_shared;   // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
    const DynamicShared* dynamic_shared;  // the family's extern __shared__ array, if any
};
struct Module {
    std::map<std::string, Function*> functions;
    bool loaded = true;
};
// The registered host kernels, by name (jni_bridge loads kernel libraries into it).
const KernelEntry* host_kernel(const std::string& name);
const DynamicShared* host_dynamic_shared(const std::string& family);
std::string register_library(const std::string& path);
// The DeviceApi every kernel library is registered with (scheduler.cpp).
const DeviceApi* kernel_device_api();

// ---- launches (scheduler.cpp) -------------------------------------------------------------------
struct Launch {
    Function* function;
    unsigned grid[3], block[3];
    unsigned shared_bytes;
    std::vector<uint64_t> storage;   // the parameters' bytes, each in a 16-byte slot (copied
                                     // with the launch, so a graph node owns its parameters)
};
// Copies kernelParams by the kernel's signature and validates the configuration.
CUresult prepare_launch(Function* f, const unsigned grid[3], const unsigned block[3], unsigned shared,
                        void** params, void** extra, Launch* out);
// Runs every block; memory faults and misuse of barriers come back as an error with the report.
CUresult run_launch(const Launch& l);
void set_schedule_seed(uint64_t seed);
uint64_t schedule_seed();
uint64_t launches_run();

// ---- streams, events and graphs (streams.cpp) -------------------------------------------------
struct Node {
    enum Kind { KERNEL, MEMSET, COPY } kind;
    Launch launch;                    // KERNEL
    CUdeviceptr dst = 0, src = 0;     // MEMSET (dst, value), COPY (dst, src)
    unsigned char value = 0;
    size_t bytes = 0;
};
// Runs `node` on `stream` now, or records it when the stream is capturing.
CUresult submit(CUstream stream, Node&& node);
CUresult run_node(const Node& n);
// Synchronous calls (cuMemAlloc, cuMemFree, synchronous copies, context sync) during a
// capture on this thread are refused as the driver refuses them, and spoil the capture.
CUresult check_not_capturing(const char* call, bool implicit_sync);
bool valid_stream(CUstream s);

}  // namespace interp
