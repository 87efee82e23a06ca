package dev.reparam.cuda;

import dev.reparam.tensor.IterationRunner;
import dev.reparam.tensor.Tensor;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstreamCaptureStatus;
import jcuda.driver.JCudaDriver;
import jcuda.driver.CUdeviceptr;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * The CUDA backend's {@link IterationRunner}. Every iteration runs in a memory scope of the
 * backend's pool, so its temporaries (activations, gradients, the tape's intermediates) go back
 * to the free lists when it ends and the next iteration allocates nothing from the driver.
 *
 * <p>With graphs on, the first iteration of a key runs eagerly (it fills the free lists and the
 * constant caches and loads the kernels), the second is captured from the backend's stream
 * (cuStreamBeginCapture / cuStreamEndCapture), instantiated and launched, and every later one
 * with the same key is one cuGraphLaunch: no Java op code, no tape, no per-launch driver call.
 * The captured scope's blocks stay reserved while the graph lives, because their addresses are
 * in it; a new key drops the graph (its blocks go back) and records again. If capture fails (a
 * host read or an allocation inside the body, which the driver refuses while capturing), the
 * runner says so in one notice and runs every later iteration eagerly.
 */
final class CudaIterations implements IterationRunner {
    private final CudaBackend backend;
    private final Consumer<String> notices;
    private boolean graphs;
    private Object key;
    private boolean warmedUp;
    private Captured captured;

    /** An instantiated graph, the scope holding the blocks it addresses, and the tensor it leaves its result in. */
    private record Captured(CUgraphExec exec, BlockPool<CUdeviceptr>.Scope scope, Tensor result) {}

    CudaIterations(CudaBackend backend, boolean graphs, Consumer<String> notices) {
        this.backend = backend;
        this.graphs = graphs;
        this.notices = notices;
    }

    @Override
    public double[] run(Object key, Supplier<Tensor> body) {
        Objects.requireNonNull(key, "key");
        if (!key.equals(this.key)) {
            drop();
            this.key = key;
            warmedUp = false;
        }
        if (captured != null) return replay();
        if (!graphs || !warmedUp) {
            warmedUp = true;
            return eager(body);
        }
        Captured c = capture(body);
        if (c == null) return eager(body);
        captured = c;
        return replay();
    }

    /** True once an iteration has been captured and is being replayed. */
    boolean replaying() {
        return captured != null;
    }

    @SuppressWarnings("try") // the scope frees the body's temporaries when it closes
    private double[] eager(Supplier<Tensor> body) {
        try (BlockPool<CUdeviceptr>.Scope scope = backend.pool().openScope()) {
            return backend.toHost(body.get());
        }
    }

    private double[] replay() {
        check(JCudaDriver.cuGraphLaunch(captured.exec(), backend.stream()), "cuGraphLaunch(captured iteration)");
        return backend.toHost(captured.result());
    }

    /** Records one iteration (nothing runs while recording); null, after a notice, when the driver refused. */
    private Captured capture(Supplier<Tensor> body) {
        BlockPool<CUdeviceptr>.Scope scope = backend.pool().openScope();
        CUgraph graph = new CUgraph();
        Tensor result;
        try {
            check(JCudaDriver.cuStreamBeginCapture(backend.stream(),
                    CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
            result = body.get();
            check(JCudaDriver.cuStreamEndCapture(backend.stream(), graph), "cuStreamEndCapture");
        } catch (RuntimeException e) {
            abandonCapture();
            scope.release();
            return giveUp(e);
        }
        scope.end();
        CUgraphExec exec = new CUgraphExec();
        try {
            check(JCudaDriver.cuGraphInstantiate(exec, graph, 0), "cuGraphInstantiate(captured iteration)");
        } catch (RuntimeException e) {
            scope.release();
            return giveUp(e);
        } finally {
            check(JCudaDriver.cuGraphDestroy(graph), "cuGraphDestroy");
        }
        return new Captured(exec, scope, result);
    }

    /** Leaves capture mode if the failure happened inside it (the partial graph is discarded). */
    private void abandonCapture() {
        int[] status = {CUstreamCaptureStatus.CU_STREAM_CAPTURE_STATUS_NONE};
        JCudaDriver.cuStreamIsCapturing(backend.stream(), status);
        if (status[0] != CUstreamCaptureStatus.CU_STREAM_CAPTURE_STATUS_NONE) {
            CUgraph partial = new CUgraph();
            if (JCudaDriver.cuStreamEndCapture(backend.stream(), partial) == 0) JCudaDriver.cuGraphDestroy(partial);
        }
    }

    private Captured giveUp(RuntimeException e) {
        graphs = false;
        notices.accept("reparam: CUDA graph capture of an iteration failed (" + e.getMessage()
                + "): running iterations without graphs");
        return null;
    }

    private void drop() {
        if (captured == null) return;
        check(JCudaDriver.cuGraphExecDestroy(captured.exec()), "cuGraphExecDestroy");
        // a replay still queued runs before any later user of these blocks (one stream)
        captured.scope().release();
        captured = null;
    }

    @Override
    public void close() {
        drop();
    }
}
