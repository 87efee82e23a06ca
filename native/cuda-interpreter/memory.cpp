// Device memory is host memory kept in a registry, laid out so that a kernel's stray access
// faults: each allocation gets pages of its own whose data ends exactly where an inaccessible
// guard page begins (an access past the end faults at once), and a freed allocation's pages
// are made inaccessible and kept out of reuse for a while (a use after free faults too).
// scheduler.cpp turns such a fault into a report through find_mapping and describe.
#include "driver_state.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <sstream>

namespace interp {
namespace {

std::map<uintptr_t, Allocation> by_start;  // keyed by map_start: live and quarantined
std::deque<uintptr_t> quarantine;          // freed, oldest first
size_t quarantined_bytes = 0;
size_t live_bytes = 0;
uint64_t next_id = 1;

// Freed mappings stay inaccessible (and their addresses unused) until this many bytes or
// allocations have been freed after them; then they are unmapped and forgotten.
constexpr size_t QUARANTINE_BYTES = size_t(1) << 30;
constexpr size_t QUARANTINE_COUNT = 8192;

size_t page() {
    static const size_t p = (size_t)sysconf(_SC_PAGESIZE);
    return p;
}

}  // namespace

// The device memory the interpreter admits: REPARAM_INTERPRET_MEMORY_MB, else 4 GiB.
size_t device_capacity() {
    static const size_t c = [] {
        const char* e = std::getenv("REPARAM_INTERPRET_MEMORY_MB");
        long long mb = e ? std::atoll(e) : 4096;
        return (size_t)(mb > 0 ? mb : 4096) << 20;
    }();
    return c;
}

namespace {

void forget_oldest() {
    uintptr_t start = quarantine.front();
    quarantine.pop_front();
    auto it = by_start.find(start);
    if (it == by_start.end()) return;
    quarantined_bytes -= it->second.map_size;
    munmap((void*)it->second.map_start, it->second.map_size);
    by_start.erase(it);
}

}  // namespace

size_t bytes_in_use() { return live_bytes; }

CUresult allocate(size_t bytes, CUdeviceptr* out) {
    if (bytes == 0) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemAlloc of 0 bytes");
    if (bytes > device_capacity() || live_bytes + bytes > device_capacity()) {
        std::ostringstream m;
        m << "cuMemAlloc of " << bytes << " bytes: the interpreter's device memory is " << device_capacity()
          << " bytes with " << live_bytes << " in use (REPARAM_INTERPRET_MEMORY_MB sets it)";
        return fail(CUDA_ERROR_OUT_OF_MEMORY, m.str());
    }
    const size_t data_pages = (bytes + page() - 1) / page();
    const size_t map_size = (data_pages + 1) * page();
    void* m = mmap(nullptr, map_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) return fail(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc: the host refused " + std::to_string(map_size) + " bytes");
    if (mprotect(m, data_pages * page(), PROT_READ | PROT_WRITE) != 0) {
        munmap(m, map_size);
        return fail(CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc: mprotect failed");
    }
    Allocation a;
    a.id = next_id++;
    a.map_start = (uintptr_t)m;
    a.map_size = map_size;
    a.base = a.map_start + data_pages * page() - bytes;
    a.size = bytes;
    a.live = true;
    // fresh device memory holds garbage, not zeros: a kernel that reads what nobody wrote sees
    // NaNs (REPARAM_INTERPRET_FILL=zero fills zeros instead, to tell such a read from other bugs)
    static const int fill = std::getenv("REPARAM_INTERPRET_FILL") && std::string(std::getenv("REPARAM_INTERPRET_FILL")) == "zero" ? 0 : 0xff;
    std::memset((void*)a.base, fill, bytes);
    by_start[a.map_start] = a;
    live_bytes += bytes;
    *out = (CUdeviceptr)a.base;
    return CUDA_SUCCESS;
}

CUresult release(CUdeviceptr p) {
    if (p == 0) return CUDA_SUCCESS;  // as cuMemFree(0)
    const Allocation* found = find_mapping((uintptr_t)p);
    if (!found || found->base != (uintptr_t)p) {
        return fail(CUDA_ERROR_INVALID_VALUE, "cuMemFree of " + std::to_string(p) +
                    (found ? ", which is inside " + describe(*found) + " but not its start" : ", which no cuMemAlloc returned"));
    }
    if (!found->live) return fail(CUDA_ERROR_INVALID_VALUE, "cuMemFree of " + describe(*found) + ": freed twice");
    Allocation& a = by_start[found->map_start];
    a.live = false;
    live_bytes -= a.size;
    mprotect((void*)a.map_start, a.map_size, PROT_NONE);
    madvise((void*)a.map_start, a.map_size, MADV_DONTNEED);
    quarantine.push_back(a.map_start);
    quarantined_bytes += a.map_size;
    while (quarantine.size() > QUARANTINE_COUNT || quarantined_bytes > QUARANTINE_BYTES) forget_oldest();
    return CUDA_SUCCESS;
}

const Allocation* find_mapping(uintptr_t a) {
    auto it = by_start.upper_bound(a);
    if (it == by_start.begin()) return nullptr;
    --it;
    const Allocation& x = it->second;
    return a < x.map_start + x.map_size ? &x : nullptr;
}

const Allocation* find_range(uintptr_t p, size_t bytes, std::string* why) {
    const Allocation* a = find_mapping(p);
    std::ostringstream m;
    if (!a) {
        m << "address 0x" << std::hex << p << std::dec << " is in no allocation";
    } else if (!a->live) {
        m << "it is in " << describe(*a) << ", which was freed";
    } else if (p < a->base || p + bytes > a->base + a->size) {
        m << "bytes [" << (long long)(p - a->base) << ", " << (long long)(p - a->base + bytes) << ") of "
          << describe(*a) << " reach past its end";
    } else {
        return a;
    }
    *why = m.str();
    return nullptr;
}

std::string describe(const Allocation& a) {
    std::ostringstream m;
    m << "allocation #" << a.id << " (" << a.size << " bytes at 0x" << std::hex << a.base << std::dec << ")";
    return m.str();
}

}  // namespace interp
