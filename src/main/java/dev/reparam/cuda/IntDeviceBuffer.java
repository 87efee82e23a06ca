package dev.reparam.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * A device array of {@code length} 32-bit ints: masks, row indices and per-problem counters of the
 * physics kernels, which {@link DeviceBuffer} (floating point of one dtype) does not hold.
 */
public final class IntDeviceBuffer implements AutoCloseable {
    private final CUdeviceptr pointer = new CUdeviceptr();
    private final int length;

    public IntDeviceBuffer(int length) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        this.length = length;
        check(JCudaDriver.cuMemAlloc(pointer, Math.max(1L, bytes())), "cuMemAlloc(" + bytes() + " bytes for " + this + ")");
    }

    public int length() { return length; }

    private long bytes() {
        return (long) length * Integer.BYTES;
    }

    /** Copies {@code values[0..values.length)} to the start of the buffer (at most its length). */
    public void upload(int[] values) {
        if (values.length > length) throw new IllegalArgumentException(values.length + " values for " + this);
        if (values.length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(pointer, Pointer.to(values), (long) values.length * Integer.BYTES), "cuMemcpyHtoD(" + this + ")");
    }

    /** The first {@code count} values. */
    public int[] download(int count) {
        if (count < 0 || count > length) throw new IllegalArgumentException("download of " + count + " values from " + this);
        int[] out = new int[count];
        if (count > 0) check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer, (long) count * Integer.BYTES), "cuMemcpyDtoH(" + this + ")");
        return out;
    }

    CUdeviceptr pointer() { return pointer; }

    @Override
    public void close() {
        check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + this + ")");
    }

    @Override
    public String toString() {
        return "i32[" + length + "]";
    }
}
