// Fibers: the CUDA threads of a block, each with a stack of its own, switched by hand (no system
// call per switch, unlike swapcontext, which saves the signal mask). Stacks come from a pool and
// go back when their thread finishes, so a kernel without barriers needs one stack, not one per
// thread. Each stack has an inaccessible guard page below it: an overflow faults.
#pragma once
#include <cstddef>
#include <cstdint>

namespace interp {

constexpr size_t FIBER_STACK_BYTES = 256 * 1024;

struct FiberStack {
    char* low = nullptr;   // the guard page
    size_t size = 0;       // guard page included
};

FiberStack take_stack();
void give_stack(FiberStack s);
// True when a lies in the guard page of a stack the pool handed out.
bool in_stack_guard(uintptr_t a);

// Prepares `stack` to start `entry` at the first switch to the returned stack pointer.
void* prepare_fiber(FiberStack stack, void (*entry)());
// Saves the running context's stack pointer in *save and continues the one at `load`.
extern "C" void interp_fiber_switch(void** save, void* load);

}  // namespace interp
