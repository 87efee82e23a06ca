// Streams, events, stream capture and graphs. The interpreter runs work when it is submitted,
// so every stream is trivially in order and a synchronisation only checks its arguments; an
// event's time is the host clock when it is recorded. A capturing stream records kernel
// launches, memsets and device copies as graph nodes instead (the kernel parameters copied
// then), cuGraphLaunch runs the nodes in order. As in the driver, a call that would
// synchronise with a capturing stream is refused and spoils the capture, so host round trips
// inside a captured iteration are found here rather than on the GPU.
#include "driver_state.h"

#include <chrono>
#include <pthread.h>
#include <set>

#define API extern "C" __attribute__((visibility("default")))

namespace interp {
namespace {

struct Graph {
    std::vector<Node> nodes;
};
struct Stream {
    unsigned flags = 0;
    bool capturing = false;
    bool invalidated = false;
    CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_GLOBAL;
    pthread_t capturer;
    Graph* graph = nullptr;
    std::string why_invalid;
};
struct Event {
    unsigned flags = 0;
    bool recorded = false;
    bool captured = false;
    double ms = 0;
};
struct Exec {
    std::vector<Node> nodes;
};

std::set<Stream*> streams;
std::set<Event*> events;
std::set<Graph*> graphs;
std::set<Exec*> execs;

double now_ms() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// The legacy default stream (null or CU_STREAM_LEGACY) and the per-thread one are always valid.
bool is_default(CUstream s) { return s == nullptr || s == CU_STREAM_LEGACY || s == CU_STREAM_PER_THREAD; }

Stream* stream_of(CUstream s) {
    Stream* x = reinterpret_cast<Stream*>(s);
    return streams.count(x) ? x : nullptr;
}

void invalidate(Stream* s, const std::string& why) {
    s->invalidated = true;
    if (s->why_invalid.empty()) s->why_invalid = why;
}

}  // namespace

bool valid_stream(CUstream s) { return is_default(s) || stream_of(s) != nullptr; }

CUresult check_not_capturing(const char* call, bool implicit_sync) {
    for (Stream* s : streams) {
        if (!s->capturing) continue;
        const bool this_thread = pthread_equal(s->capturer, pthread_self());
        if (s->mode == CU_STREAM_CAPTURE_MODE_RELAXED) continue;
        if (s->mode == CU_STREAM_CAPTURE_MODE_THREAD_LOCAL && !this_thread) continue;
        const std::string why = std::string(call) + " while a stream is being captured";
        invalidate(s, why);
        // a blocking stream's work is what the legacy stream would wait for
        if (implicit_sync && !(s->flags & CU_STREAM_NON_BLOCKING)) {
            return fail(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, why + " (it would wait for the capturing stream)");
        }
        return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, why + " (not allowed during capture)");
    }
    return CUDA_SUCCESS;
}

CUresult submit(CUstream s, Node&& node) {
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "work submitted to a destroyed or unknown stream");
    Stream* x = stream_of(s);
    if (x && x->capturing) {
        if (!x->invalidated) x->graph->nodes.push_back(std::move(node));
        return x->invalidated ? fail(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, "the capture was invalidated: " + x->why_invalid)
                              : CUDA_SUCCESS;
    }
    if (is_default(s)) {
        // work on the legacy stream waits for every blocking stream: refused while one captures
        CUresult c = check_not_capturing("work on the legacy default stream", true);
        if (c != CUDA_SUCCESS) return c;
    }
    return run_node(node);
}

}  // namespace interp

using namespace interp;


API CUresult cuStreamCreate(CUstream* s, unsigned int flags) {
    LOCKED;
    if (!s) return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamCreate(null)");
    if (flags & ~(unsigned)CU_STREAM_NON_BLOCKING) return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamCreate flags");
    Stream* x = new Stream();
    x->flags = flags;
    streams.insert(x);
    *s = reinterpret_cast<CUstream>(x);
    return CUDA_SUCCESS;
}

API CUresult cuStreamDestroy(CUstream s) {
    LOCKED;
    Stream* x = stream_of(s);
    if (!x) return fail(CUDA_ERROR_INVALID_HANDLE, "cuStreamDestroy of an unknown or destroyed stream");
    if (x->capturing) {
        delete x->graph;
    }
    streams.erase(x);
    delete x;
    return CUDA_SUCCESS;
}

namespace {
// cuStreamSynchronize and cuStreamQuery: work is done when submitted, so what is left to check is
// the stream and that waiting for it would not break a capture.
CUresult wait_for(CUstream s, const char* call) {
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, std::string(call) + " of an unknown or destroyed stream");
    Stream* x = stream_of(s);
    if (x && x->capturing) {
        invalidate(x, std::string(call) + " of the capturing stream");
        return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, std::string(call) + " of a stream that is being captured");
    }
    if (is_default(s)) return check_not_capturing((std::string(call) + " of the legacy stream").c_str(), true);
    return CUDA_SUCCESS;
}
}  // namespace

API CUresult cuStreamSynchronize(CUstream s) {
    LOCKED;
    return wait_for(s, "cuStreamSynchronize");
}

API CUresult cuStreamQuery(CUstream s) {
    LOCKED;
    return wait_for(s, "cuStreamQuery");
}

API CUresult cuStreamBeginCapture(CUstream s, CUstreamCaptureMode mode) {
    LOCKED;
    if (is_default(s)) return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamBeginCapture on the legacy default stream");
    Stream* x = stream_of(s);
    if (!x) return fail(CUDA_ERROR_INVALID_HANDLE, "cuStreamBeginCapture on an unknown stream");
    if (x->capturing) return fail(CUDA_ERROR_ILLEGAL_STATE, "cuStreamBeginCapture on a stream already capturing");
    x->capturing = true;
    x->invalidated = false;
    x->why_invalid.clear();
    x->mode = mode;
    x->capturer = pthread_self();
    x->graph = new Graph();
    return CUDA_SUCCESS;
}

API CUresult cuStreamEndCapture(CUstream s, CUgraph* g) {
    LOCKED;
    Stream* x = stream_of(s);
    if (!x) return fail(CUDA_ERROR_INVALID_HANDLE, "cuStreamEndCapture on an unknown stream");
    if (!g) return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamEndCapture(null graph)");
    if (!x->capturing) return fail(CUDA_ERROR_ILLEGAL_STATE, "cuStreamEndCapture on a stream that is not capturing");
    if (x->mode != CU_STREAM_CAPTURE_MODE_RELAXED && !pthread_equal(x->capturer, pthread_self())) {
        return fail(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD, "cuStreamEndCapture from another thread than the one that began it");
    }
    x->capturing = false;
    if (x->invalidated) {
        delete x->graph;
        x->graph = nullptr;
        *g = nullptr;
        return fail(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, "the capture was invalidated: " + x->why_invalid);
    }
    graphs.insert(x->graph);
    *g = reinterpret_cast<CUgraph>(x->graph);
    x->graph = nullptr;
    return CUDA_SUCCESS;
}

API CUresult cuStreamIsCapturing(CUstream s, CUstreamCaptureStatus* status) {
    LOCKED;
    if (!status) return fail(CUDA_ERROR_INVALID_VALUE, "cuStreamIsCapturing(null)");
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuStreamIsCapturing of an unknown stream");
    Stream* x = stream_of(s);
    *status = !x || !x->capturing ? CU_STREAM_CAPTURE_STATUS_NONE
            : x->invalidated ? CU_STREAM_CAPTURE_STATUS_INVALIDATED : CU_STREAM_CAPTURE_STATUS_ACTIVE;
    return CUDA_SUCCESS;
}

API CUresult cuGraphInstantiateWithFlags(CUgraphExec* e, CUgraph g, unsigned long long flags) {
    LOCKED;
    Graph* x = reinterpret_cast<Graph*>(g);
    if (!e) return fail(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiate(null)");
    if (!graphs.count(x)) return fail(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiate of an unknown or destroyed graph");
    if (flags != 0) return fail(CUDA_ERROR_NOT_SUPPORTED, "cuGraphInstantiate flags are not interpreted");
    Exec* ex = new Exec();
    ex->nodes = x->nodes;
    execs.insert(ex);
    *e = reinterpret_cast<CUgraphExec>(ex);
    return CUDA_SUCCESS;
}

API CUresult cuGraphLaunch(CUgraphExec e, CUstream s) {
    LOCKED;
    Exec* ex = reinterpret_cast<Exec*>(e);
    if (!execs.count(ex)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuGraphLaunch of an unknown or destroyed executable graph");
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuGraphLaunch on an unknown stream");
    Stream* x = stream_of(s);
    if (x && x->capturing) return fail(CUDA_ERROR_NOT_SUPPORTED, "cuGraphLaunch into a capturing stream is not interpreted");
    for (const Node& n : ex->nodes) {
        CUresult c = run_node(n);
        if (c != CUDA_SUCCESS) return c;
    }
    return CUDA_SUCCESS;
}

API CUresult cuGraphDestroy(CUgraph g) {
    LOCKED;
    Graph* x = reinterpret_cast<Graph*>(g);
    if (!graphs.count(x)) return fail(CUDA_ERROR_INVALID_VALUE, "cuGraphDestroy of an unknown or destroyed graph");
    graphs.erase(x);
    delete x;
    return CUDA_SUCCESS;
}

API CUresult cuGraphExecDestroy(CUgraphExec e) {
    LOCKED;
    Exec* ex = reinterpret_cast<Exec*>(e);
    if (!execs.count(ex)) return fail(CUDA_ERROR_INVALID_VALUE, "cuGraphExecDestroy of an unknown or destroyed executable graph");
    execs.erase(ex);
    delete ex;
    return CUDA_SUCCESS;
}

API CUresult cuEventCreate(CUevent* e, unsigned int flags) {
    LOCKED;
    if (!e) return fail(CUDA_ERROR_INVALID_VALUE, "cuEventCreate(null)");
    Event* x = new Event();
    x->flags = flags;
    events.insert(x);
    *e = reinterpret_cast<CUevent>(x);
    return CUDA_SUCCESS;
}

API CUresult cuEventDestroy(CUevent e) {
    LOCKED;
    Event* x = reinterpret_cast<Event*>(e);
    if (!events.count(x)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventDestroy of an unknown or destroyed event");
    events.erase(x);
    delete x;
    return CUDA_SUCCESS;
}

API CUresult cuEventRecord(CUevent e, CUstream s) {
    LOCKED;
    Event* x = reinterpret_cast<Event*>(e);
    if (!events.count(x)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventRecord of an unknown or destroyed event");
    if (!valid_stream(s)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventRecord on an unknown stream");
    Stream* st = stream_of(s);
    if (st && st->capturing) {
        x->captured = true;
        return CUDA_SUCCESS;
    }
    x->captured = false;
    x->recorded = true;
    x->ms = now_ms();
    return CUDA_SUCCESS;
}

API CUresult cuEventSynchronize(CUevent e) {
    LOCKED;
    Event* x = reinterpret_cast<Event*>(e);
    if (!events.count(x)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventSynchronize of an unknown or destroyed event");
    if (x->captured) return fail(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuEventSynchronize of an event recorded in a capture");
    return CUDA_SUCCESS;
}

API CUresult cuEventQuery(CUevent e) {
    LOCKED;
    Event* x = reinterpret_cast<Event*>(e);
    if (!events.count(x)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventQuery of an unknown or destroyed event");
    return CUDA_SUCCESS;
}

#undef cuEventElapsedTime
API CUresult cuEventElapsedTime(float* ms, CUevent start, CUevent end) {
    LOCKED;
    Event* a = reinterpret_cast<Event*>(start);
    Event* b = reinterpret_cast<Event*>(end);
    if (!ms) return fail(CUDA_ERROR_INVALID_VALUE, "cuEventElapsedTime(null)");
    if (!events.count(a) || !events.count(b)) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime of an unknown event");
    if ((a->flags | b->flags) & CU_EVENT_DISABLE_TIMING) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime of an event created without timing");
    if (!a->recorded || !b->recorded) return fail(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime of an event never recorded");
    *ms = (float)(b->ms - a->ms);
    return CUDA_SUCCESS;
}

API CUresult cuEventElapsedTime_v2(float* ms, CUevent start, CUevent end) { return cuEventElapsedTime(ms, start, end); }
