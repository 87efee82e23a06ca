// The CUDA driver entry points the project calls (through JCuda), with the driver's semantics
// and return codes: one device ("reparam interpreter", H100-like attributes), its primary
// context (current per thread, as in CUDA), memory (memory.cpp), modules bound to the host
// build of their kernels, and launches (scheduler.cpp). Streams, events and graphs are in
// streams.cpp; every other entry JCuda can reach is a stub (build-interpreter.sh generates them)
// that answers CUDA_ERROR_NOT_SUPPORTED and names itself on stderr.
#include "driver_state.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

#define API extern "C" __attribute__((visibility("default")))

namespace interp {
namespace {

std::string last;
bool initialised = false;
int primary_references = 0;
bool primary_active = false;
struct Context {} primary;
thread_local CUcontext current_context = nullptr;
std::set<Module*> modules;
std::map<std::string, const KernelEntry*> kernels_by_name;
std::map<std::string, const DynamicShared*> shared_by_family;
bool libraries_loaded = false;

// What the interpreter reports as its device: an H100 SXM's figures.
int attribute(CUdevice_attribute a, bool* known) {
    *known = true;
    switch (a) {
        case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: return 1024;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: return 64;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: return 2147483647;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y: return 65535;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: return 65535;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: return 49152;
        case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY: return 65536;
        case CU_DEVICE_ATTRIBUTE_WARP_SIZE: return 32;
        case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK: return 65536;
        case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: return 1980000;
        case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: return 132;
        case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE: return 2619000;
        case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH: return 5120;
        case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: return 52428800;
        case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR: return 2048;
        case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING: return 1;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: return 9;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: return 0;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: return 233472;
        case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR: return 65536;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: return (int)MAX_SHARED_PER_BLOCK_OPTIN;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR: return 32;
        case CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS: return 1;
        case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT: return 2;
        case CU_DEVICE_ATTRIBUTE_ECC_ENABLED: return 1;
        case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: return 0;
        case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: return 0;
        case CU_DEVICE_ATTRIBUTE_TCC_DRIVER: return 0;
        case CU_DEVICE_ATTRIBUTE_INTEGRATED: return 0;
        case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY: return 1;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_MODE: return CU_COMPUTEMODE_DEFAULT;
        case CU_DEVICE_ATTRIBUTE_KERNEL_EXEC_TIMEOUT: return 0;
        case CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED: return 0;
        default: *known = false; return 0;
    }
}

}  // namespace

std::mutex& driver_lock() {
    static std::mutex m;
    return m;
}

CUresult fail(CUresult code, const std::string& message) {
    last = message;
    static const bool verbose = std::getenv("REPARAM_INTERPRET_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "reparam interpreter: %s\n", message.c_str());
    return code;
}
std::string last_error() { return last; }
void clear_last_error() { last.clear(); }

const KernelEntry* host_kernel(const std::string& name) {
    auto it = kernels_by_name.find(name);
    return it == kernels_by_name.end() ? nullptr : it->second;
}
const DynamicShared* host_dynamic_shared(const std::string& family) {
    auto it = shared_by_family.find(family);
    return it == shared_by_family.end() ? nullptr : it->second;
}

std::string register_library(const std::string& path) {
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) return std::string("cannot load kernel library ") + path + ": " + dlerror();
    RegisterFn reg = reinterpret_cast<RegisterFn>(dlsym(h, REGISTER_SYMBOL));
    if (!reg) return "kernel library " + path + " has no " + REGISTER_SYMBOL;
    const KernelLibrary* lib = reg(kernel_device_api());
    for (int i = 0; i < lib->kernel_count; i++) kernels_by_name[lib->kernels[i].name] = &lib->kernels[i];
    for (int i = 0; i < lib->dynamic_shared_count; i++) shared_by_family[lib->dynamic_shared[i].family] = &lib->dynamic_shared[i];
    libraries_loaded = true;
    return "";
}

// Loads the kernel library named by REPARAM_INTERPRET_KERNELS (a path list) if Java has not.
void load_default_libraries() {
    if (libraries_loaded) return;
    const char* paths = std::getenv("REPARAM_INTERPRET_KERNELS");
    if (!paths) return;
    std::stringstream s(paths);
    std::string p;
    while (std::getline(s, p, ':')) {
        if (p.empty()) continue;
        std::string e = register_library(p);
        if (!e.empty()) std::fprintf(stderr, "reparam interpreter: %s\n", e.c_str());
    }
}

bool context_ok() { return current_context == (CUcontext)&primary && primary_active; }

}  // namespace interp

using namespace interp;

#define NEED_INIT if (!initialised) return fail(CUDA_ERROR_NOT_INITIALIZED, std::string(__func__) + " before cuInit")
#define NEED_CONTEXT NEED_INIT; \
    if (!context_ok()) return fail(CUDA_ERROR_INVALID_CONTEXT, std::string(__func__) + " on a thread with no current context")

// ---- initialisation, device ------------------------------------------------------------------
API CUresult cuInit(unsigned int flags) {
    LOCKED;
    if (flags != 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuInit flags must be 0");
    if (!initialised) {
        // the schedule seed, for reproducing a run's thread order from the command line
        if (const char* seed = std::getenv("REPARAM_INTERPRET_SEED")) set_schedule_seed(std::strtoull(seed, nullptr, 0));
    }
    initialised = true;
    load_default_libraries();
    return CUDA_SUCCESS;
}

API CUresult cuDriverGetVersion(int* v) {
    if (!v) return CUDA_ERROR_INVALID_VALUE;
    *v = 12060;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetCount(int* count) {
    LOCKED;
    NEED_INIT;
    if (!count) return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetCount(null)");
    *count = 1;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGet(CUdevice* d, int ordinal) {
    LOCKED;
    NEED_INIT;
    if (!d) return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGet(null)");
    if (ordinal != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "device " + std::to_string(ordinal) + ": the interpreter has device 0 only");
    *d = 0;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetName(char* name, int len, CUdevice d) {
    LOCKED;
    NEED_INIT;
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "cuDeviceGetName: no device " + std::to_string(d));
    if (!name || len <= 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetName: no room for the name");
    std::snprintf(name, (size_t)len, "%s", "reparam interpreter");
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetAttribute(int* v, CUdevice_attribute a, CUdevice d) {
    LOCKED;
    NEED_INIT;
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "cuDeviceGetAttribute: no device " + std::to_string(d));
    if (!v) return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute(null)");
    bool known;
    *v = attribute(a, &known);
    if (!known && (a <= 0 || a >= CU_DEVICE_ATTRIBUTE_MAX)) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute: no attribute " + std::to_string((int)a));
    }
    return CUDA_SUCCESS;
}

API CUresult cuDeviceTotalMem(size_t* bytes, CUdevice d) {
    LOCKED;
    NEED_INIT;
    if (d != 0 || !bytes) return fail(CUDA_ERROR_INVALID_VALUE, "cuDeviceTotalMem");
    *bytes = device_capacity();
    return CUDA_SUCCESS;
}

// ---- contexts ----------------------------------------------------------------------------------
API CUresult cuDevicePrimaryCtxRetain(CUcontext* c, CUdevice d) {
    LOCKED;
    NEED_INIT;
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "cuDevicePrimaryCtxRetain: no device " + std::to_string(d));
    if (!c) return fail(CUDA_ERROR_INVALID_VALUE, "cuDevicePrimaryCtxRetain(null)");
    primary_references++;
    primary_active = true;
    *c = (CUcontext)&primary;
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxRelease(CUdevice d) {
    LOCKED;
    NEED_INIT;
    if (d != 0) return fail(CUDA_ERROR_INVALID_DEVICE, "cuDevicePrimaryCtxRelease: no device " + std::to_string(d));
    if (primary_references == 0) return fail(CUDA_ERROR_INVALID_CONTEXT, "cuDevicePrimaryCtxRelease without a retain");
    // the context lives on at zero references here (the driver may destroy it): its memory and
    // modules stay valid for a later retain, which is what the driver's documentation allows
    primary_references--;
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxGetState(CUdevice d, unsigned int* flags, int* active) {
    LOCKED;
    NEED_INIT;
    if (d != 0 || !flags || !active) return fail(CUDA_ERROR_INVALID_VALUE, "cuDevicePrimaryCtxGetState");
    *flags = 0;
    *active = primary_references > 0;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSetCurrent(CUcontext c) {
    LOCKED;
    NEED_INIT;
    if (c != nullptr && c != (CUcontext)&primary) return fail(CUDA_ERROR_INVALID_CONTEXT, "cuCtxSetCurrent: not a context of this driver");
    current_context = c;
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetCurrent(CUcontext* c) {
    LOCKED;
    NEED_INIT;
    if (!c) return fail(CUDA_ERROR_INVALID_VALUE, "cuCtxGetCurrent(null)");
    *c = current_context;
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetDevice(CUdevice* d) {
    LOCKED;
    NEED_CONTEXT;
    if (!d) return fail(CUDA_ERROR_INVALID_VALUE, "cuCtxGetDevice(null)");
    *d = 0;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSynchronize() {
    LOCKED;
    NEED_CONTEXT;
    return check_not_capturing("cuCtxSynchronize", true);
}

// ---- memory ------------------------------------------------------------------------------------
API CUresult cuMemAlloc(CUdeviceptr* p, size_t bytes) {
    LOCKED;
    NEED_CONTEXT;
    if (!p) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc(null)");
    CUresult c = check_not_capturing("cuMemAlloc", false);
    if (c != CUDA_SUCCESS) return c;
    return allocate(bytes, p);
}

API CUresult cuMemFree(CUdeviceptr p) {
    LOCKED;
    NEED_CONTEXT;
    CUresult c = check_not_capturing("cuMemFree", true);
    if (c != CUDA_SUCCESS) return c;
    return release(p);
}

API CUresult cuMemGetInfo(size_t* free_bytes, size_t* total) {
    LOCKED;
    NEED_CONTEXT;
    if (!free_bytes || !total) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemGetInfo(null)");
    *total = device_capacity();
    *free_bytes = *total - bytes_in_use();
    return CUDA_SUCCESS;
}

namespace {
CUresult check_device_range(const char* call, const char* which, CUdeviceptr p, size_t bytes) {
    std::string why;
    if (!find_range((uintptr_t)p, bytes, &why)) {
        std::ostringstream m;
        m << call << " of " << bytes << " bytes: the " << which << " range is not device memory: " << why;
        return fail(CUDA_ERROR_INVALID_VALUE, m.str());
    }
    return CUDA_SUCCESS;
}

CUresult copy_host(const char* call, CUdeviceptr device, void* host, size_t bytes, bool to_device) {
    if (bytes == 0) return CUDA_SUCCESS;
    if (!host) return fail(CUDA_ERROR_INVALID_VALUE, std::string(call) + " with a null host pointer");
    CUresult c = check_device_range(call, to_device ? "destination" : "source", device, bytes);
    if (c != CUDA_SUCCESS) return c;
    if (to_device) std::memcpy((void*)device, host, bytes);
    else std::memcpy(host, (const void*)device, bytes);
    return CUDA_SUCCESS;
}
}  // namespace

API CUresult cuMemcpyHtoD(CUdeviceptr dst, const void* src, size_t bytes) {
    LOCKED;
    NEED_CONTEXT;
    CUresult c = check_not_capturing("cuMemcpyHtoD", true);
    if (c != CUDA_SUCCESS) return c;
    return copy_host("cuMemcpyHtoD", dst, const_cast<void*>(src), bytes, true);
}

API CUresult cuMemcpyDtoH(void* dst, CUdeviceptr src, size_t bytes) {
    LOCKED;
    NEED_CONTEXT;
    CUresult c = check_not_capturing("cuMemcpyDtoH", true);
    if (c != CUDA_SUCCESS) return c;
    return copy_host("cuMemcpyDtoH", src, dst, bytes, false);
}

API CUresult cuMemcpyHtoDAsync(CUdeviceptr dst, const void* src, size_t bytes, CUstream s) {
    LOCKED;
    NEED_CONTEXT;
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuMemcpyHtoDAsync on a destroyed or unknown stream");
    CUresult c = check_not_capturing("cuMemcpyHtoDAsync (pageable host memory)", true);
    if (c != CUDA_SUCCESS) return c;
    return copy_host("cuMemcpyHtoDAsync", dst, const_cast<void*>(src), bytes, true);
}

API CUresult cuMemcpyDtoHAsync(void* dst, CUdeviceptr src, size_t bytes, CUstream s) {
    LOCKED;
    NEED_CONTEXT;
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuMemcpyDtoHAsync on a destroyed or unknown stream");
    CUresult c = check_not_capturing("cuMemcpyDtoHAsync (pageable host memory)", true);
    if (c != CUDA_SUCCESS) return c;
    return copy_host("cuMemcpyDtoHAsync", src, dst, bytes, false);
}

API CUresult cuMemcpyDtoD(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
    LOCKED;
    NEED_CONTEXT;
    Node n{Node::COPY, Launch(), dst, src, 0, bytes};
    return submit(nullptr, std::move(n));
}

API CUresult cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream s) {
    LOCKED;
    NEED_CONTEXT;
    Node n{Node::COPY, Launch(), dst, src, 0, bytes};
    return submit(s, std::move(n));
}

API CUresult cuMemsetD8(CUdeviceptr dst, unsigned char v, size_t count) {
    LOCKED;
    NEED_CONTEXT;
    Node n{Node::MEMSET, Launch(), dst, 0, v, count};
    return submit(nullptr, std::move(n));
}

API CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char v, size_t count, CUstream s) {
    LOCKED;
    NEED_CONTEXT;
    Node n{Node::MEMSET, Launch(), dst, 0, v, count};
    return submit(s, std::move(n));
}

namespace interp {
CUresult run_node(const Node& n) {
    switch (n.kind) {
        case Node::KERNEL: return run_launch(n.launch);
        case Node::MEMSET: {
            if (n.bytes == 0) return CUDA_SUCCESS;
            CUresult c = check_device_range("cuMemsetD8", "destination", n.dst, n.bytes);
            if (c != CUDA_SUCCESS) return c;
            std::memset((void*)n.dst, n.value, n.bytes);
            return CUDA_SUCCESS;
        }
        case Node::COPY: {
            if (n.bytes == 0) return CUDA_SUCCESS;
            CUresult c = check_device_range("cuMemcpyDtoD", "source", n.src, n.bytes);
            if (c == CUDA_SUCCESS) c = check_device_range("cuMemcpyDtoD", "destination", n.dst, n.bytes);
            if (c != CUDA_SUCCESS) return c;
            std::memmove((void*)n.dst, (const void*)n.src, n.bytes);
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_UNKNOWN;
}
}  // namespace interp

// ---- modules and functions -----------------------------------------------------------------
API CUresult cuModuleLoadData(CUmodule* m, const void* image) {
    LOCKED;
    NEED_CONTEXT;
    if (!m) return fail(CUDA_ERROR_INVALID_VALUE, "cuModuleLoadData(null)");
    std::vector<FatbinEntry> entries;
    std::string why;
    if (!read_fatbin(image, &entries, &why)) return fail(CUDA_ERROR_INVALID_IMAGE, "cuModuleLoadData: " + why);
    Module* mod = new Module();
    for (const FatbinEntry& e : entries) {
        Function* f = new Function();
        f->module = mod;
        f->host = host_kernel(e.name);
        f->device = e;
        f->max_dynamic_shared = 49152 - (int)e.static_shared;
        f->dynamic_shared = f->host ? host_dynamic_shared(f->host->family) : nullptr;
        mod->functions[e.name] = f;
    }
    modules.insert(mod);
    *m = reinterpret_cast<CUmodule>(mod);
    return CUDA_SUCCESS;
}

API CUresult cuModuleLoadDataEx(CUmodule* m, const void* image, unsigned int, CUjit_option*, void**) {
    return cuModuleLoadData(m, image);
}

API CUresult cuModuleUnload(CUmodule m) {
    LOCKED;
    NEED_CONTEXT;
    Module* mod = reinterpret_cast<Module*>(m);
    if (!modules.count(mod) || !mod->loaded) return fail(CUDA_ERROR_INVALID_HANDLE, "cuModuleUnload of an unknown or unloaded module");
    mod->loaded = false;  // its functions stay allocated, so a later launch of one is reported
    return CUDA_SUCCESS;
}

API CUresult cuModuleGetFunction(CUfunction* f, CUmodule m, const char* name) {
    LOCKED;
    NEED_CONTEXT;
    Module* mod = reinterpret_cast<Module*>(m);
    if (!f || !name) return fail(CUDA_ERROR_INVALID_VALUE, "cuModuleGetFunction(null)");
    if (!modules.count(mod) || !mod->loaded) return fail(CUDA_ERROR_INVALID_HANDLE, "cuModuleGetFunction on an unknown or unloaded module");
    auto it = mod->functions.find(name);
    if (it == mod->functions.end()) return fail(CUDA_ERROR_NOT_FOUND, std::string("kernel ") + name + " is not in the module's image");
    Function* fn = it->second;
    if (!fn->host) {
        return fail(CUDA_ERROR_NOT_FOUND, std::string("kernel ") + name +
                    " is in the fatbin but not in the interpreter's host build (rebuild: mvn generate-resources)");
    }
    // the image and the host build must agree on the parameters, or kernelParams would be misread
    const KernelEntry* h = fn->host;
    bool same = (int)fn->device.param_sizes.size() == h->param_count;
    for (int i = 0; same && i < h->param_count; i++) same = fn->device.param_sizes[i] == h->params[i].size;
    if (!same) {
        std::ostringstream msg;
        msg << "kernel " << name << ": the fatbin declares " << fn->device.param_sizes.size()
            << " parameters and the host build " << h->param_count << " (or their sizes differ): the two builds are of different sources";
        return fail(CUDA_ERROR_INVALID_IMAGE, msg.str());
    }
    *f = reinterpret_cast<CUfunction>(fn);
    return CUDA_SUCCESS;
}

namespace {
Function* live_function(CUfunction f) {
    Function* fn = reinterpret_cast<Function*>(f);
    for (Module* m : modules) {
        for (auto& e : m->functions) {
            if (e.second == fn) return m->loaded ? fn : nullptr;
        }
    }
    return nullptr;
}
}  // namespace

API CUresult cuFuncSetAttribute(CUfunction f, CUfunction_attribute a, int value) {
    LOCKED;
    NEED_CONTEXT;
    Function* fn = live_function(f);
    if (!fn) return fail(CUDA_ERROR_INVALID_HANDLE, "cuFuncSetAttribute on an unknown function or an unloaded module's");
    if (a == CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES) {
        if (value < 0 || (size_t)value + fn->device.static_shared > MAX_SHARED_PER_BLOCK_OPTIN) {
            return fail(CUDA_ERROR_INVALID_VALUE, "cuFuncSetAttribute(" + fn->device.name + ", max dynamic shared memory " +
                        std::to_string(value) + "): with its " + std::to_string(fn->device.static_shared) +
                        " static bytes that exceeds the device's " + std::to_string(MAX_SHARED_PER_BLOCK_OPTIN) + " per block");
        }
        fn->max_dynamic_shared = value;
        return CUDA_SUCCESS;
    }
    if (a == CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT) return CUDA_SUCCESS;
    return fail(CUDA_ERROR_NOT_SUPPORTED, "cuFuncSetAttribute: attribute " + std::to_string((int)a) + " is not interpreted");
}

API CUresult cuFuncGetAttribute(int* v, CUfunction_attribute a, CUfunction f) {
    LOCKED;
    NEED_CONTEXT;
    Function* fn = live_function(f);
    if (!fn || !v) return fail(CUDA_ERROR_INVALID_HANDLE, "cuFuncGetAttribute on an unknown function");
    switch (a) {
        case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *v = fn->device.max_threads ? (int)fn->device.max_threads : 1024; return CUDA_SUCCESS;
        case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES: *v = (int)fn->device.static_shared; return CUDA_SUCCESS;
        case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: *v = fn->max_dynamic_shared; return CUDA_SUCCESS;
        case CU_FUNC_ATTRIBUTE_PTX_VERSION: case CU_FUNC_ATTRIBUTE_BINARY_VERSION: *v = 90; return CUDA_SUCCESS;
        default: *v = 0; return CUDA_SUCCESS;
    }
}

// ---- launches ------------------------------------------------------------------------------------
namespace interp {
CUresult prepare_launch(Function* f, const unsigned grid[3], const unsigned block[3], unsigned shared, void** params,
                        void** extra, Launch* out) {
    const std::string name = f->device.name;
    if (extra) return fail(CUDA_ERROR_NOT_SUPPORTED, "launch of " + name + ": the interpreter takes kernelParams, not extra");
    for (int i = 0; i < 3; i++) {
        if (grid[i] == 0 || block[i] == 0) return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + " with a zero grid or block dimension");
    }
    const unsigned long long threads = (unsigned long long)block[0] * block[1] * block[2];
    if (block[0] > 1024 || block[1] > 1024 || block[2] > 64 || threads > 1024) {
        return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + " with " + std::to_string(threads) +
                    " threads per block (the device allows 1024, at most 1024 x 1024 x 64)");
    }
    if (grid[0] > 2147483647u || grid[1] > 65535 || grid[2] > 65535) {
        return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + ": grid beyond 2^31-1 x 65535 x 65535");
    }
    if (f->device.max_threads && threads > f->device.max_threads) {
        return fail(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "launch of " + name + " with " + std::to_string(threads) +
                    " threads per block, more than its __launch_bounds__ of " + std::to_string(f->device.max_threads));
    }
    if ((long long)shared > f->max_dynamic_shared) {
        return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + " with " + std::to_string(shared) +
                    " bytes of dynamic shared memory, more than its limit of " + std::to_string(f->max_dynamic_shared) +
                    (f->max_dynamic_shared <= 49152 ? " (raise it with cuFuncSetAttribute)" : ""));
    }
    const KernelEntry* h = f->host;
    if (h->param_count > 0 && !params) return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + " without kernelParams");
    out->function = f;
    for (int i = 0; i < 3; i++) { out->grid[i] = grid[i]; out->block[i] = block[i]; }
    out->shared_bytes = shared;
    // each parameter in its own 16-byte slot, copied now: the caller's memory may go away
    out->storage.assign((size_t)h->param_count * 2 + 2, 0);
    for (int i = 0; i < h->param_count; i++) {
        if (!params[i]) return fail(CUDA_ERROR_INVALID_VALUE, "launch of " + name + ": kernelParams[" + std::to_string(i) + "] is null");
        if (h->params[i].size > 16) return fail(CUDA_ERROR_NOT_SUPPORTED, "launch of " + name + ": a parameter over 16 bytes");
        std::memcpy(&out->storage[(size_t)i * 2], params[i], h->params[i].size);
    }
    return CUDA_SUCCESS;
}
}  // namespace interp

API CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                            unsigned shared, CUstream s, void** params, void** extra) {
    LOCKED;
    NEED_CONTEXT;
    Function* fn = live_function(f);
    if (!fn) return fail(CUDA_ERROR_INVALID_HANDLE, "cuLaunchKernel of an unknown function or one whose module was unloaded");
    const unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
    Node n;
    n.kind = Node::KERNEL;
    CUresult c = prepare_launch(fn, grid, block, shared, params, extra, &n.launch);
    if (c != CUDA_SUCCESS) return c;
    return submit(s, std::move(n));
}

// ---- errors -------------------------------------------------------------------------------------
API CUresult cuGetErrorName(CUresult e, const char** s) {
    if (!s) return CUDA_ERROR_INVALID_VALUE;
    switch (e) {
#define NAME(x) case x: *s = #x; return CUDA_SUCCESS;
        NAME(CUDA_SUCCESS) NAME(CUDA_ERROR_INVALID_VALUE) NAME(CUDA_ERROR_OUT_OF_MEMORY) NAME(CUDA_ERROR_NOT_INITIALIZED)
        NAME(CUDA_ERROR_INVALID_DEVICE) NAME(CUDA_ERROR_INVALID_IMAGE) NAME(CUDA_ERROR_INVALID_CONTEXT)
        NAME(CUDA_ERROR_INVALID_HANDLE) NAME(CUDA_ERROR_NOT_FOUND) NAME(CUDA_ERROR_ILLEGAL_ADDRESS)
        NAME(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES) NAME(CUDA_ERROR_LAUNCH_FAILED) NAME(CUDA_ERROR_NOT_SUPPORTED)
        NAME(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED) NAME(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED)
        NAME(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT) NAME(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD) NAME(CUDA_ERROR_ILLEGAL_STATE)
#undef NAME
        default: *s = "CUDA_ERROR_UNKNOWN"; return CUDA_SUCCESS;
    }
}

API CUresult cuGetErrorString(CUresult e, const char** s) { return cuGetErrorName(e, s); }
