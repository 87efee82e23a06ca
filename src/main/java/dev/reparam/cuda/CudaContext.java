package dev.reparam.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * One GPU as a backend uses it: the device's primary context, the kernel modules loaded into
 * it, the stream all work is queued on, and the memory pool every tensor comes from. It owns
 * their lifetimes: opened together, closed together in reverse order. What runs on them (the
 * op set, transfers, graph capture) lives in {@link CudaBackend} and {@link CudaIterations}.
 *
 * <p>The stream is a blocking stream (created without CU_STREAM_NON_BLOCKING) on purpose: the
 * synchronous host-to-device copies run on the legacy default stream, which then orders itself
 * after our queued work and our later work after the copy, DMA included.
 */
final class CudaContext implements AutoCloseable {
    private final CudaDevice device;
    private final LoadedKernels kernels;
    private final CUstream stream;
    private final BlockPool<CUdeviceptr> pool = CudaMemoryPool.create();

    private CudaContext(CudaDevice device, LoadedKernels kernels, CUstream stream) {
        this.device = device;
        this.kernels = kernels;
        this.stream = stream;
    }

    /**
     * Opens the device of this node's {@code localRank}-th process ({@link CudaDevice#openForRank};
     * 0 alone), creates the stream and loads the kernels; undoes what it did when a step fails.
     */
    static CudaContext open(int localRank) {
        CudaDevice device = CudaDevice.openForRank(localRank);
        LoadedKernels kernels = null;
        CUstream stream = null;
        try {
            CUstream created = new CUstream();
            check(JCudaDriver.cuStreamCreate(created, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate");
            stream = created;
            kernels = LoadedKernels.load();
            kernels.launchOn(stream);
            return new CudaContext(device, kernels, stream);
        } catch (RuntimeException e) {
            if (kernels != null) kernels.close();
            if (stream != null) JCudaDriver.cuStreamDestroy(stream);
            device.close();
            throw e;
        }
    }

    CudaDevice device() {
        return device;
    }

    LoadedKernels kernels() {
        return kernels;
    }

    CUstream stream() {
        return stream;
    }

    BlockPool<CUdeviceptr> pool() {
        return pool;
    }

    /** Waits for the stream, before the host reads what it wrote; {@code before} names that read. */
    void syncStream(String before) {
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize before " + before);
    }

    /** Waits for the stream and the whole device; a fault in a queued kernel surfaces here. */
    void synchronize(String what) {
        syncStream(what);
        device.synchronize(what);
    }

    /** Frees the pool's cached blocks, unloads the kernels, destroys the stream, releases the context. */
    @Override
    public void close() {
        pool.trim();
        kernels.close();
        check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy");
        device.close();
    }
}
