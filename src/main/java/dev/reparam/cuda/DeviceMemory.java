package dev.reparam.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Where device code outside the backend (a simulator's solver, its problem set on the device)
 * gets memory: {@link DeviceBuffer}s and {@link IntDeviceBuffer}s as dedicated blocks of one
 * pool, so that the backend's pool sees, counts and can make room for every allocation
 * ({@code CudaMemoryPool} is the only caller of cuMemAlloc). A backend's is
 * {@link CudaBackend#memory()}; {@link #open()} gives code that runs kernels without a backend
 * (tests, timing mains) a pool of its own on the current context.
 */
public final class DeviceMemory implements AutoCloseable {
    private final BlockPool<CUdeviceptr> pool;
    private final boolean owned;

    DeviceMemory(BlockPool<CUdeviceptr> pool, boolean owned) {
        this.pool = pool;
        this.owned = owned;
    }

    /** A pool of its own on the current CUDA context; {@link #close} frees what it cached. */
    public static DeviceMemory open() {
        return new DeviceMemory(CudaMemoryPool.create(), true);
    }

    /** {@code length} elements of {@code dtype}, uninitialised; closing the buffer frees them. */
    public DeviceBuffer buffer(int length, CudaDtype dtype) {
        return new DeviceBuffer(pool, length, dtype);
    }

    /** {@code length} 32-bit ints, uninitialised; closing the buffer frees them. */
    public IntDeviceBuffer ints(int length) {
        return new IntDeviceBuffer(pool, length);
    }

    /** Blocks of this pool in use (buffers not yet closed), for leak checks. */
    public long blocksInUse() {
        return pool.stats().blocksInUse();
    }

    BlockPool<CUdeviceptr> pool() {
        return pool;
    }

    /** A pool of its own is trimmed; a backend's stays with the backend, which closes it. */
    @Override
    public void close() {
        if (owned) pool.trim();
    }
}
