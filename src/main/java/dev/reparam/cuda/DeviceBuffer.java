package dev.reparam.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * A device array of {@code length} elements of one dtype, with host copies that convert from
 * and to double (the engine's host type): a simulator's long-lived state (inputs, checkpoints,
 * work arrays). Its memory is a dedicated block of the backend's pool ({@link DeviceMemory});
 * nothing allocates inside iteration loops.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final BlockPool<CUdeviceptr> pool;
    private final BlockPool.Block<CUdeviceptr> block;
    private final CUdeviceptr pointer;
    private final int length;
    private final CudaDtype dtype;

    DeviceBuffer(BlockPool<CUdeviceptr> pool, int length, CudaDtype dtype) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        this.pool = pool;
        this.length = length;
        this.dtype = dtype;
        this.block = pool.acquireDedicated(bytes());
        this.pointer = block.handle();
    }

    public int length() { return length; }

    public CudaDtype dtype() { return dtype; }

    CUdeviceptr pointer() { return pointer; }

    private long bytes() {
        return (long) length * dtype.bytes();
    }

    /** Copies {@code values} to the device, rounding to float for FLOAT32 buffers. */
    public void upload(double[] values) {
        if (values.length != length) throw new IllegalArgumentException(values.length + " values for " + this);
        uploadPrefix(values);
    }

    /** Copies {@code values} into the first {@code values.length} elements (a buffer reused for smaller batches). */
    public void uploadPrefix(double[] values) {
        if (values.length > length) throw new IllegalArgumentException(values.length + " values for " + this);
        if (values.length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(pointer, hostPointer(values), (long) values.length * dtype.bytes()),
                "cuMemcpyHtoD(" + values.length + " values into " + this + ")");
    }

    public double[] download() {
        return download(length);
    }

    /** The first {@code count} elements. */
    public double[] download(int count) {
        if (count < 0 || count > length) {
            throw new IllegalArgumentException("download of " + count + " elements from " + this);
        }
        double[] out = new double[count];
        if (count == 0) return out;
        long bytes = (long) count * dtype.bytes();
        String what = "cuMemcpyDtoH(" + count + " values from " + this + ")";
        if (dtype == CudaDtype.FLOAT64) {
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer, bytes), what);
        } else {
            float[] f = new float[count];
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(f), pointer, bytes), what);
            for (int i = 0; i < count; i++) out[i] = f[i];
        }
        return out;
    }

    private Pointer hostPointer(double[] values) {
        if (dtype == CudaDtype.FLOAT64) return Pointer.to(values);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Pointer.to(f);
    }

    /** Frees the memory; a second close does nothing. */
    @Override
    public void close() {
        pool.release(block);
    }

    @Override
    public String toString() {
        return dtype.suffix() + "[" + length + "]";
    }
}
