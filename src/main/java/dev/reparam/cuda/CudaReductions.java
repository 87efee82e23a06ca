package dev.reparam.cuda;

import dev.reparam.tensor.Tensor;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.Arrays;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * A backend's sums over a tensor: two passes (per-block partials, then one block adding them;
 * kernels/reductions.cu) into one partials buffer allocated when the backend opens and reused by
 * every sum, so a sum allocates nothing and can sit inside a captured graph when its result stays
 * on the device ({@link #queue}, as device Adam's gradient norm does).
 */
final class CudaReductions implements AutoCloseable {
    private final CudaBackend backend;
    private final CudaContext context;
    /** Partials of up to MAX_REDUCTION_BLOCKS blocks, then the final sum. */
    private final CudaStorage buffer;

    CudaReductions(CudaBackend backend, CudaContext context) {
        this.backend = backend;
        this.context = context;
        this.buffer = new CudaStorage(context.pool(), LaunchGeometry.MAX_REDUCTION_BLOCKS + 1, CudaDtype.FLOAT64,
                true);
    }

    /** The sum over x of what {@code partialsKernel} adds per element, read back as one double. */
    double sum(Kernel partialsKernel, Tensor x) {
        queue(partialsKernel, x);
        double[] result = new double[1];
        context.syncStream("reading a sum");
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(result), result(), Double.BYTES), "cuMemcpyDtoH(result of "
                + partialsKernel.symbol(backend.dtype()) + " over " + backend.dtype().suffix()
                + Arrays.toString(x.shape()) + ")");
        return result[0];
    }

    /** Queues the two passes over x; the double result lands at {@link #result()}. */
    void queue(Kernel partialsKernel, Tensor x) {
        int n = x.size(), blocks = LaunchGeometry.reductionBlocks(n);
        CUdeviceptr partials = buffer.at(0);
        backend.launch(partialsKernel, blocks, backend.args().tensor("x", x).i32("n", n)
                .pointer("partials", partials, "f64[" + blocks + "]"));
        backend.launchF64(Kernel.REDUCE_PARTIALS, 1, new KernelArgs(CudaDtype.FLOAT64)
                .pointer("partials", partials, "f64[" + blocks + "]").i32("count", blocks)
                .pointer("out", result(), "f64[1]"));
    }

    /** Where the last queued sum leaves its double result (device memory). */
    CUdeviceptr result() {
        return buffer.at(LaunchGeometry.MAX_REDUCTION_BLOCKS);
    }

    @Override
    public void close() {
        buffer.release();
    }
}
