#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace interp {
namespace {
std::vector<FiberStack> free_stacks;
std::vector<FiberStack> all_stacks;
size_t page() { return (size_t)sysconf(_SC_PAGESIZE); }
}  // namespace

FiberStack take_stack() {
    if (!free_stacks.empty()) {
        FiberStack s = free_stacks.back();
        free_stacks.pop_back();
        return s;
    }
    FiberStack s;
    s.size = FIBER_STACK_BYTES + page();
    void* m = mmap(nullptr, s.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) std::abort();
    mprotect(m, page(), PROT_NONE);
    s.low = static_cast<char*>(m);
    all_stacks.push_back(s);
    return s;
}

void give_stack(FiberStack s) {
    if (s.low) free_stacks.push_back(s);
}

bool in_stack_guard(uintptr_t a) {
    for (const FiberStack& s : all_stacks) {
        if (a >= (uintptr_t)s.low && a < (uintptr_t)s.low + page()) return true;
    }
    return false;
}

#if defined(__x86_64__)
// Frame that interp_fiber_switch pops: r15, r14, r13, r12, rbx, rbp, then the return address.
// (The floating-point control registers are not switched: no kernel changes them, and loading
// them costs more than the rest of a switch.) A new fiber "returns" into its entry with the
// stack aligned as after a call (rsp = 8 mod 16).
void* prepare_fiber(FiberStack stack, void (*entry)()) {
    uintptr_t top = ((uintptr_t)stack.low + stack.size) & ~uintptr_t(15);
    uint64_t* sp = reinterpret_cast<uint64_t*>(top - 56 - 8);
    std::memset(sp, 0, 64);
    sp[6] = reinterpret_cast<uint64_t>(entry);
    sp[7] = 0;  // entry never returns
    return sp;
}

asm(R"(
    .text
    .globl interp_fiber_switch
    .hidden interp_fiber_switch
    .type interp_fiber_switch, @function
interp_fiber_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size interp_fiber_switch, .-interp_fiber_switch
)");
#else
#error "the CUDA interpreter's fiber switch is written for x86-64"
#endif

}  // namespace interp
