package dev.reparam.cuda;

import dev.reparam.tensor.Storage;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;

/**
 * Device memory behind CUDA tensors: a block from the backend's pool, holding {@code length}
 * elements of one dtype. Its lifetime ends in one of two ways, whichever comes first:
 * {@link CudaBackend#release} hands the block back at once (for code that knows a tensor is
 * dead), and otherwise the garbage collector's {@link Cleaner} hands it back once no tensor
 * view refers to this storage any more, so layer code written for the CPU needs no changes.
 * Handing back is safe while kernels are still queued: all work runs in order on the backend's
 * stream, so a later user of the block runs after every earlier kernel that read or wrote it.
 * Storage made while an iteration scope is open belongs to that scope (BlockPool.Scope).
 */
public final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CUdeviceptr base;
    private final int length;
    private final CudaDtype dtype;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(BlockPool<CUdeviceptr> pool, int length, CudaDtype dtype) {
        this(pool, length, dtype, false);
    }

    /**
     * Storage from {@code pool}; {@code longLived} storage (constants, optimiser state, caches)
     * belongs to no iteration scope even when one is open, so it survives the scope's end.
     */
    CudaStorage(BlockPool<CUdeviceptr> pool, int length, CudaDtype dtype, boolean longLived) {
        long bytes = (long) length * dtype.bytes();
        BlockPool.Block<CUdeviceptr> block = longLived ? pool.acquireUnscoped(bytes) : pool.acquire(bytes);
        this.base = block.handle();
        this.length = length;
        this.dtype = dtype;
        // the action must not refer to this storage, or it would never become unreachable
        this.cleanable = CLEANER.register(this, () -> pool.release(block));
    }

    @Override
    public int length() {
        return length;
    }

    CudaDtype dtype() {
        return dtype;
    }

    /** Device address of element {@code offset}. */
    public CUdeviceptr at(int offset) {
        return base.withByteOffset((long) offset * dtype.bytes());
    }

    /**
     * Hands the block back to the pool now; runs at most once, whoever calls first. A block of
     * an iteration scope stays reserved until the scope ends (see BlockPool).
     */
    void release() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return dtype.suffix() + "[" + length + "]";
    }
}
