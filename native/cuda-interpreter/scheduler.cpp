// Runs a launch: every block of the grid, in a seeded random order, one after another; the
// threads of a block are fibers that run, in a seeded random order, until each reaches a
// barrier, a warp-synchronous operation or its end. A barrier releases when every thread of
// the block waits at it; a warp operation when every lane of its mask waits at one. So a missing
// __syncthreads (a race) gives different results under different seeds, and a barrier that only
// part of a block reaches, or a mask naming an exited lane, stops the launch with a report.
// A kernel's memory fault (memory.cpp's guard pages), division by zero, or stack overflow is
// caught by a signal handler installed for the launch, which jumps back here with the report.
#include "driver_state.h"
#include "fiber.h"

#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <sstream>

namespace interp {
namespace {

enum State { NOT_STARTED, RUNNABLE, RUNNING, AT_BARRIER, AT_WARP, DONE };

struct Thread {
    Index3 idx;
    State state;
    FiberStack stack;
    void* sp;
    int barrier_op, predicate, barrier_result;
    int warp_op, lane_arg, width;
    unsigned mask;
    uint64_t value, warp_result;
};

// The launch being run (one at a time: driver_lock).
const Launch* launch;
std::vector<void*> args;           // kernelParams of the running launch, into its storage
unsigned block_threads;
std::vector<Index3> thread_index;  // of each linear thread id, for the launch's block shape
bool direct = false;               // the kernel has no barrier (its PTX says): threads run as plain calls
uint64_t seed = 0x9e3779b97f4a7c15ull;
uint64_t launch_count = 0;
uint64_t total_blocks, order_a, order_b;  // block k runs block (a k + b) mod total
uint64_t failed_block;  // UINT64_MAX unless a block failed
CUresult failure_code;
std::string failure_report;

// The block being run, on the launching thread (blocks run one after another: plain globals,
// because the scheduler's hot paths read them at every switch). Kept outside any C++ frame that a
// fault's siglongjmp would cross.
ThreadView* view;
std::vector<Thread> threads;
std::vector<int> runnable;
void* scheduler_sp;
int current;
uint64_t rng_state;
uint64_t running_block;  // its position k in the block order

// What stopped the block, set before jumping back.
sigjmp_buf escape;
volatile sig_atomic_t in_kernel = 0;
pthread_t kernel_thread;  // the launching thread: only its faults are the kernels'
volatile int fault_signal;
volatile uintptr_t fault_address;
volatile int fault_write;
volatile uintptr_t fault_pc;
std::string failure;
struct sigaction previous[32];
alignas(16) char alternate_stack[64 * 1024];  // the launching thread's, during a launch

uint64_t next_random() {  // splitmix64
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::string index3(Index3 i) {
    std::ostringstream m;
    m << "(" << i.x << "," << i.y << "," << i.z << ")";
    return m.str();
}

std::string where() {
    return "block " + index3(view->blockIdx) + " thread " + index3(threads[current].idx);
}

[[noreturn]] void stop(const std::string& message) {
    failure = message;
    in_kernel = 0;
    siglongjmp(escape, 1);
}

// A finished fiber's stack goes back to the pool only once another stack is running.
FiberStack finished_stack;

void reclaim_finished() {
    if (finished_stack.low) {
        give_stack(finished_stack);
        finished_stack = FiberStack();
    }
}

int pick_next();
void fiber_entry();

// Continues thread i from the running context (the scheduler or another thread's fiber), whose
// stack pointer is saved in *save.
void switch_to(int i, void** save) {
    Thread& t = threads[i];
    current = i;
    view->threadIdx = t.idx;
    if (t.state == NOT_STARTED) {
        t.stack = take_stack();
        t.sp = prepare_fiber(t.stack, fiber_entry);
    }
    t.state = RUNNING;
    interp_fiber_switch(save, t.sp);
    reclaim_finished();
}

// Leaves the running thread in state s and continues the next runnable thread directly (one
// switch instead of two through the scheduler); back to the scheduler when none is runnable.
void leave(State s) {
    Thread& t = threads[current];
    t.state = s;
    const int me = current;
    const int next = pick_next();
    if (next == me) {  // released at once (a warp whose lanes were all waiting)
        t.state = RUNNING;
        return;
    }
    if (next < 0) {
        current = me;
        interp_fiber_switch(&t.sp, scheduler_sp);
        reclaim_finished();
        return;
    }
    switch_to(next, &t.sp);
}

void fiber_entry() {
    reclaim_finished();
    launch->function->host->invoke(args.data());
    Thread& t = threads[current];
    finished_stack = t.stack;
    t.stack = FiberStack();
    leave(DONE);
    __builtin_unreachable();
}

void suspend(State s) {
    if (direct) {
        stop("kernel " + std::string(launch->function->host->name) +
             " synchronizes, but the fatbin's PTX for it has no barrier: the fatbin and the host build are of different sources");
    }
    leave(s);
}

// ---- the DeviceApi the kernels call ------------------------------------------------------
int block_barrier(int op, int predicate) {
    Thread& t = threads[current];
    t.barrier_op = op;
    t.predicate = predicate;
    suspend(AT_BARRIER);
    return threads[current].barrier_result;
}

uint64_t warp_exchange(int op, unsigned mask, uint64_t value, int lane_arg, int width) {
    if (op >= WARP_SHFL_IDX && op <= WARP_SHFL_XOR && (width < 1 || width > 32 || (width & (width - 1)))) {
        stop("a warp shuffle with width " + std::to_string(width) + " (a power of two up to 32) at " + where());
    }
    Thread& t = threads[current];
    t.warp_op = op;
    t.mask = mask;
    t.value = value;
    t.lane_arg = lane_arg;
    t.width = width;
    suspend(AT_WARP);
    return threads[current].warp_result;
}

[[noreturn]] void api_fail(const char* message) { stop(std::string(message) + " at " + where()); }

const DeviceApi device_api = {&block_barrier, &warp_exchange, &api_fail};

// ---- releasing barriers --------------------------------------------------------------------
const char* warp_op_name(int op) {
    static const char* names[] = {"__syncwarp", "__shfl_sync", "__shfl_up_sync", "__shfl_down_sync",
                                  "__shfl_xor_sync", "__ballot_sync", "__any_sync", "__all_sync"};
    return op >= 0 && op < 8 ? names[op] : "a warp operation";
}

// Releases every warp group whose lanes all wait; true when one was released.
bool release_warps() {
    bool released = false;
    const unsigned warps = (block_threads + 31) / 32;
    for (unsigned w = 0; w < warps; w++) {
        const unsigned first = w * 32, lanes = std::min(32u, block_threads - first);
        const unsigned present = lanes == 32 ? 0xffffffffu : ((1u << lanes) - 1);
        for (unsigned l = 0; l < lanes; l++) {
            Thread& lead = threads[first + l];
            if (lead.state != AT_WARP) continue;
            const unsigned mask = lead.mask;
            if (!(mask >> l & 1)) {
                current = first + l;
                stop(std::string(warp_op_name(lead.warp_op)) + " with a mask that leaves out its own lane at " + where());
            }
            if (mask & ~present) {
                current = first + l;
                std::ostringstream m;
                m << warp_op_name(lead.warp_op) << " with mask 0x" << std::hex << mask << std::dec << " names lanes beyond the "
                  << lanes << " of this warp at " << where();
                stop(m.str());
            }
            bool ready = true;
            for (unsigned k = 0; k < lanes; k++) {
                if (!(mask >> k & 1)) continue;
                const Thread& o = threads[first + k];
                if (o.state == DONE) {
                    current = first + l;
                    stop(std::string(warp_op_name(lead.warp_op)) + " waits for lane " + std::to_string(k) +
                         ", named in its mask, which has exited, at " + where());
                }
                if (o.state != AT_WARP) ready = false;
                else if (o.mask != mask || o.warp_op != lead.warp_op) {
                    current = first + k;
                    std::ostringstream m;
                    m << "lanes of warp " << w << " meet at different warp operations (" << warp_op_name(lead.warp_op)
                      << " mask 0x" << std::hex << mask << " and " << warp_op_name(o.warp_op) << " mask 0x" << o.mask
                      << std::dec << ") at " << where();
                    stop(m.str());
                }
            }
            if (!ready) continue;
            unsigned ballot = 0;
            int all = 1, any = 0;
            for (unsigned k = 0; k < lanes; k++) {
                if (!(mask >> k & 1)) continue;
                const bool p = threads[first + k].value != 0;
                ballot |= (unsigned)p << k;
                any |= p;
                all &= p;
            }
            for (unsigned k = 0; k < lanes; k++) {
                if (!(mask >> k & 1)) continue;
                Thread& o = threads[first + k];
                const int width = o.width, segment = (int)k / width * width;
                int src = (int)k;
                switch (o.warp_op) {
                    case WARP_SHFL_IDX: src = segment + (o.lane_arg & (width - 1)); break;
                    case WARP_SHFL_UP: src = (int)k - segment >= o.lane_arg ? (int)k - o.lane_arg : (int)k; break;
                    case WARP_SHFL_DOWN: src = (int)k - segment + o.lane_arg < width ? (int)k + o.lane_arg : (int)k; break;
                    case WARP_SHFL_XOR: src = (int)k ^ o.lane_arg; if (src / width != (int)k / width) src = (int)k; break;
                    default: break;
                }
                if (o.warp_op >= WARP_SHFL_IDX && o.warp_op <= WARP_SHFL_XOR) {
                    if (src < 0 || src >= (int)lanes || !(mask >> src & 1)) {
                        current = first + k;
                        stop(std::string(warp_op_name(o.warp_op)) + " reads lane " + std::to_string(src) +
                             ", which is not in its mask, at " + where());
                    }
                    o.warp_result = threads[first + src].value;
                } else if (o.warp_op == WARP_BALLOT) {
                    o.warp_result = ballot;
                } else if (o.warp_op == WARP_ANY) {
                    o.warp_result = (uint64_t)any;
                } else if (o.warp_op == WARP_ALL) {
                    o.warp_result = (uint64_t)all;
                } else {
                    o.warp_result = 0;
                }
            }
            for (unsigned k = 0; k < lanes; k++) {
                if (!(mask >> k & 1)) continue;
                threads[first + k].state = RUNNABLE;
                runnable.push_back((int)(first + k));
            }
            released = true;
        }
    }
    return released;
}

std::string block_states() {
    unsigned barrier = 0, warp = 0, done = 0;
    for (unsigned i = 0; i < block_threads; i++) {
        barrier += threads[i].state == AT_BARRIER;
        warp += threads[i].state == AT_WARP;
        done += threads[i].state == DONE;
    }
    std::ostringstream m;
    m << barrier << " of " << block_threads << " threads wait at __syncthreads, " << warp
      << " at a warp operation, " << done << " have exited";
    return m.str();
}

bool release_block_barrier() {
    unsigned waiting = 0, done = 0, count = 0;
    int any = 0, all = 1;
    for (unsigned i = 0; i < block_threads; i++) {
        const Thread& t = threads[i];
        if (t.state == DONE) { done++; continue; }
        if (t.state != AT_BARRIER) return false;
        waiting++;
        count += t.predicate != 0;
        any |= t.predicate != 0;
        all &= t.predicate != 0;
    }
    if (waiting == 0) return false;
    if (done > 0) {
        for (unsigned i = 0; i < block_threads; i++) if (threads[i].state == AT_BARRIER) { current = (int)i; break; }
        stop("__syncthreads in block " + index3(view->blockIdx) + " is reached by " + std::to_string(waiting) +
             " threads while " + std::to_string(done) + " have exited (a barrier after an early return)");
    }
    for (unsigned i = 0; i < block_threads; i++) {
        Thread& t = threads[i];
        t.barrier_result = t.barrier_op == BARRIER_OR ? any : t.barrier_op == BARRIER_AND ? all
                         : t.barrier_op == BARRIER_COUNT ? (int)count : 0;
        t.state = RUNNABLE;
        runnable.push_back((int)i);
    }
    return true;
}

Index3 unflatten(uint64_t i, const unsigned d[3]) {
    return Index3{(unsigned)(i % d[0]), (unsigned)(i / d[0] % d[1]), (unsigned)(i / d[0] / d[1])};
}

// Fills the family's dynamic shared array with a NaN pattern up to a margin past the launch's
// size (so reading what no thread wrote, or past the size, gives NaN), and after the block checks
// that the margin is untouched.
constexpr size_t SHARED_MARGIN = 4096;
size_t shared_fill_bytes() {
    const DynamicShared* d = launch->function->dynamic_shared;
    if (!d) return 0;
    return std::min(d->capacity, (size_t)launch->shared_bytes + SHARED_MARGIN);
}

// A uniform index below n (n < 2^32) from one random draw, without a division.
size_t below(size_t n) { return (size_t)(((next_random() >> 32) * (uint64_t)n) >> 32); }

// The next thread to run, taken at random among the runnable ones after releasing whatever
// barrier can be released; -1 when none can run (the block is finished, or deadlocked).
int pick_next() {
    for (;;) {
        if (!runnable.empty()) {
            const size_t k = below(runnable.size());
            const int i = runnable[k];
            runnable[k] = runnable.back();
            runnable.pop_back();
            return i;
        }
        if (release_warps()) continue;
        if (release_block_barrier()) continue;
        return -1;
    }
}

void run_block(uint64_t linear) {
    view->blockIdx = unflatten(linear, launch->grid);
    // the block's thread order depends on the seed, the launch and the block alone
    rng_state = seed ^ (0x2545F4914F6CDD1Dull * launch_count) ^ (0x9E3779B97F4A7C15ull * (linear + 1));
    const size_t fill = shared_fill_bytes();
    unsigned char* shared = fill ? launch->function->dynamic_shared->address() : nullptr;
    if (fill) std::memset(shared, 0xff, fill);
    runnable.clear();
    for (unsigned i = 0; i < block_threads; i++) {
        Thread& t = threads[i];
        t.idx = thread_index[i];
        t.state = NOT_STARTED;
        t.stack = FiberStack();
        runnable.push_back((int)i);
    }
    if (direct) {
        // no barrier in the kernel: each thread runs to its end, in a random order
        while (!runnable.empty()) {
            const int i = pick_next();
            current = i;
            view->threadIdx = threads[i].idx;
            threads[i].state = RUNNING;
            launch->function->host->invoke(args.data());
            threads[i].state = DONE;
        }
    } else {
        const int first = pick_next();
        if (first >= 0) switch_to(first, &scheduler_sp);
        bool finished = true;
        for (unsigned i = 0; i < block_threads; i++) finished &= threads[i].state == DONE;
        if (!finished) {
            current = 0;
            for (unsigned i = 0; i < block_threads; i++) if (threads[i].state != DONE) { current = (int)i; break; }
            stop("deadlock in block " + index3(view->blockIdx) + ": " + block_states());
        }
    }
    for (size_t b = launch->shared_bytes; b < fill; b++) {
        if (shared[b] != 0xff) {
            stop("a thread of block " + index3(view->blockIdx) + " wrote byte " + std::to_string(b) +
                 " of dynamic shared memory, past the launch's " + std::to_string(launch->shared_bytes) + " bytes");
        }
    }
}

// ---- faults ------------------------------------------------------------------------------------
void on_fault(int sig, siginfo_t* info, void* context) {
    if (in_kernel && pthread_equal(pthread_self(), kernel_thread)) {
        fault_signal = sig;
        fault_address = (uintptr_t)info->si_addr;
#if defined(__x86_64__)
        fault_write = (static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_ERR] & 2) != 0;
        fault_pc = (uintptr_t)static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP];
        // at pc 0 (a call through a null pointer) the caller's return address is on the stack
        if (fault_pc == 0) fault_pc = *(uintptr_t*)static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RSP];
#endif
        in_kernel = 0;
        siglongjmp(escape, 2);
    }
    // not ours (another thread, e.g. the JVM's own use of SIGSEGV): pass it on
    const struct sigaction& p = previous[sig];
    if (p.sa_flags & SA_SIGINFO) {
        if (p.sa_sigaction) p.sa_sigaction(sig, info, context);
    } else if (p.sa_handler == SIG_DFL) {
        sigaction(sig, &p, nullptr);  // the fault repeats on return and takes the default action
    } else if (p.sa_handler != SIG_IGN) {
        p.sa_handler(sig);
    }
}

const int SIGNALS[] = {SIGSEGV, SIGBUS, SIGFPE};

void install_handlers(stack_t* old_stack) {
    stack_t s;
    s.ss_sp = alternate_stack;
    s.ss_size = sizeof alternate_stack;
    s.ss_flags = 0;
    sigaltstack(&s, old_stack);
    struct sigaction a;
    std::memset(&a, 0, sizeof a);
    a.sa_sigaction = on_fault;
    a.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&a.sa_mask);
    for (int sig : SIGNALS) sigaction(sig, &a, &previous[sig]);
}

void restore_handlers(const stack_t* old_stack) {
    for (int sig : SIGNALS) sigaction(sig, &previous[sig], nullptr);
    if (old_stack->ss_flags & SS_DISABLE) {
        stack_t off;
        std::memset(&off, 0, sizeof off);
        off.ss_flags = SS_DISABLE;
        sigaltstack(&off, nullptr);
    } else {
        sigaltstack(old_stack, nullptr);
    }
}

// "; code libreparam-kernels.so+0x1a2b": where to look with addr2line -C -f -e <library>.
std::string code_location(uintptr_t pc) {
    Dl_info info;
    std::ostringstream m;
    if (!pc || !dladdr((void*)pc, &info) || !info.dli_fname) {
        m << "; code at 0x" << std::hex << pc;
        return m.str();
    }
    const char* base = std::strrchr(info.dli_fname, '/');
    m << "; code " << (base ? base + 1 : info.dli_fname) << "+0x" << std::hex << (pc - (uintptr_t)info.dli_fbase);
    return m.str();
}

std::string fault_report() {
    std::ostringstream m;
    const std::string kernel = launch->function->host->name;
    if (fault_signal == SIGFPE) {
        m << "kernel " << kernel << ": integer division by zero at " << where();
        return m.str();
    }
    const uintptr_t a = fault_address;
    const char* access = fault_write ? "write" : "read";
    if (in_stack_guard(a)) {
        m << "kernel " << kernel << ": a thread's stack overflowed the interpreter's " << FIBER_STACK_BYTES / 1024
          << " KB at " << where();
        return m.str();
    }
    const Allocation* al = find_mapping(a);
    m << "kernel " << kernel << ": " << access << " at 0x" << std::hex << a << std::dec;
    if (!al) {
        m << (a < 65536 ? " (a null pointer)" : "") << ", in no allocation";
    } else if (!al->live) {
        m << ", in " << describe(*al) << ", which was freed (use after cuMemFree)";
    } else {
        m << ", " << (long long)(a - al->base - al->size) << " bytes past the end of " << describe(*al);
    }
    // which pointer parameter the access went through, by allocation
    const Function* f = launch->function;
    for (int i = 0; i < f->host->param_count; i++) {
        const Param& p = f->host->params[i];
        if (!p.pointee_size) continue;
        uintptr_t v;
        std::memcpy(&v, args[i], sizeof v);
        const bool same = al ? (v >= al->map_start && v <= al->map_start + al->map_size) : (v == 0 && a < 65536);
        if (!same) continue;
        m << "; parameter " << i << " (" << p.type << ")";
        if (al && v >= al->base) {
            const long long elements = (long long)((al->base + al->size - v) / p.pointee_size);
            m << " points at element " << (long long)((v - al->base) / p.pointee_size) << " of it, and the access is its element "
              << (long long)((long long)(a - v) / (long long)p.pointee_size) << " of " << elements;
        } else if (!al) {
            m << " is null";
        }
    }
    m << "; at " << where() << code_location(fault_pc);
    return m.str();
}

void release_stacks() {
    reclaim_finished();
    for (Thread& t : threads) {
        if (t.stack.low) give_stack(t.stack);
        t.stack = FiberStack();
    }
}

// Runs every block of the launch, in the seeded order, on the calling thread. A failure's
// report is built here.
void run_blocks() {
    view = launch->function->host->thread_view();
    view->gridDim = Index3{launch->grid[0], launch->grid[1], launch->grid[2]};
    view->blockDim = Index3{launch->block[0], launch->block[1], launch->block[2]};
    threads.assign(block_threads, Thread());
    failure.clear();
    kernel_thread = pthread_self();
    const int jumped = sigsetjmp(escape, 1);
    if (jumped == 0) {
        in_kernel = 1;
        // no object with a destructor lives from here down to the kernels: a fault's siglongjmp
        // comes back to the sigsetjmp above
        for (running_block = 0; running_block < total_blocks; running_block++) {
            run_block((order_a * running_block + order_b) % total_blocks);  // a, k < 2^32: no overflow
        }
        in_kernel = 0;
        return;
    }
    in_kernel = 0;
    release_stacks();
    if (jumped == 2) {
        failure_code = fault_signal == SIGFPE ? CUDA_ERROR_LAUNCH_FAILED : CUDA_ERROR_ILLEGAL_ADDRESS;
        failure_report = fault_report();
    } else {
        failure_code = CUDA_ERROR_LAUNCH_FAILED;
        failure_report = "kernel " + std::string(launch->function->host->name) + ": " + failure;
    }
    failed_block = running_block;
}

}  // namespace

void set_schedule_seed(uint64_t s) { seed = s; }
uint64_t schedule_seed() { return seed; }
uint64_t launches_run() { return launch_count; }

const DeviceApi* kernel_device_api() { return &device_api; }

CUresult run_launch(const Launch& l) {
    launch = &l;
    block_threads = l.block[0] * l.block[1] * l.block[2];
    args.resize(l.function->host->param_count);
    for (size_t i = 0; i < args.size(); i++) args[i] = const_cast<uint64_t*>(&l.storage[i * 2]);
    thread_index.resize(block_threads);
    for (unsigned i = 0; i < block_threads; i++) thread_index[i] = unflatten(i, l.block);
    direct = !l.function->device.synchronizes;
    launch_count++;
    // a seeded affine permutation of the blocks: k -> (a k + b) mod total, gcd(a, total) = 1
    rng_state = seed ^ (0x2545F4914F6CDD1Dull * launch_count);
    total_blocks = (uint64_t)l.grid[0] * l.grid[1] * l.grid[2];
    order_a = 1;
    order_b = 0;
    if (total_blocks > 1) {
        order_b = next_random() % total_blocks;
        do order_a = 1 + next_random() % (total_blocks - 1); while (std::gcd(order_a, total_blocks) != 1);
    }
    failed_block = UINT64_MAX;
    failure_report.clear();

    stack_t old_stack;
    install_handlers(&old_stack);
    run_blocks();
    restore_handlers(&old_stack);
    if (failed_block == UINT64_MAX) return CUDA_SUCCESS;
    return fail(failure_code, failure_report);
}

}  // namespace interp
