package dev.reparam.cuda;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * A device array of {@code length} 32-bit ints (problem indices, flags), the integer sibling of
 * {@link DeviceBuffer}, from the same pool. Copies may cover a prefix, so one buffer serves
 * batches of any smaller size.
 */
public final class IntDeviceBuffer implements AutoCloseable {
    private final BlockPool<CUdeviceptr> pool;
    private final BlockPool.Block<CUdeviceptr> block;
    private final CUdeviceptr pointer;
    private final int length;

    IntDeviceBuffer(BlockPool<CUdeviceptr> pool, int length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        this.pool = pool;
        this.length = length;
        this.block = pool.acquireDedicated((long) length * Sizeof.INT);
        this.pointer = block.handle();
    }

    public int length() { return length; }

    CUdeviceptr pointer() { return pointer; }

    /** Copies {@code values} into the first {@code values.length} elements. */
    public void uploadPrefix(int[] values) {
        if (values.length > length) throw new IllegalArgumentException(values.length + " values for " + this);
        if (values.length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(values), (long) values.length * Sizeof.INT),
                "cuMemcpyHtoD(" + values.length + " values into " + this + ")");
    }

    /** The first {@code count} elements. */
    public int[] download(int count) {
        if (count < 0 || count > length) {
            throw new IllegalArgumentException("download of " + count + " elements from " + this);
        }
        int[] out = new int[count];
        if (count == 0) return out;
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer, (long) count * Sizeof.INT),
                "cuMemcpyDtoH(" + count + " values from " + this + ")");
        return out;
    }

    /** Frees the memory; a second close does nothing. */
    @Override
    public void close() {
        pool.release(block);
    }

    @Override
    public String toString() {
        return "i32[" + length + "]";
    }
}
