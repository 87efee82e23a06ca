package dev.reparam.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * A device allocation of {@code length} elements of one dtype, with host copies that convert
 * from and to double (the engine's host type). The memory pool will hand these out; nothing
 * allocates inside iteration loops.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CUdeviceptr pointer = new CUdeviceptr();
    private final int length;
    private final CudaDtype dtype;

    public DeviceBuffer(int length, CudaDtype dtype) {
        if (length < 0) throw new IllegalArgumentException("negative buffer length " + length);
        this.length = length;
        this.dtype = dtype;
        // cuMemAlloc rejects 0 bytes; an empty buffer still gets a valid pointer
        check(JCudaDriver.cuMemAlloc(pointer, Math.max(1L, bytes())), "cuMemAlloc(" + bytes() + " bytes for " + this + ")");
    }

    public int length() { return length; }

    CUdeviceptr pointer() { return pointer; }

    private long bytes() {
        return (long) length * dtype.bytes();
    }

    /** Copies {@code values} to the device, rounding to float for FLOAT32 buffers. */
    public void upload(double[] values) {
        if (values.length != length) throw new IllegalArgumentException(values.length + " values for " + this);
        if (length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(pointer, hostPointer(values), bytes()), "cuMemcpyHtoD(" + this + ")");
    }

    /**
     * Copies {@code values} to the first {@code values.length} elements (a batch of k problems in
     * a buffer sized for the largest batch).
     */
    public void uploadPrefix(double[] values) {
        if (values.length > length) throw new IllegalArgumentException(values.length + " values for " + this);
        if (values.length == 0) return;
        check(JCudaDriver.cuMemcpyHtoD(pointer, hostPointer(values), (long) values.length * dtype.bytes()), "cuMemcpyHtoD(" + this + ")");
    }

    public double[] download() {
        double[] out = new double[length];
        if (length == 0) return out;
        if (dtype == CudaDtype.FLOAT64) {
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer, bytes()), "cuMemcpyDtoH(" + this + ")");
        } else {
            float[] f = new float[length];
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(f), pointer, bytes()), "cuMemcpyDtoH(" + this + ")");
            for (int i = 0; i < length; i++) out[i] = f[i];
        }
        return out;
    }

    private Pointer hostPointer(double[] values) {
        if (dtype == CudaDtype.FLOAT64) return Pointer.to(values);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Pointer.to(f);
    }

    @Override
    public void close() {
        check(JCudaDriver.cuMemFree(pointer), "cuMemFree(" + this + ")");
    }

    @Override
    public String toString() {
        return dtype.suffix() + "[" + length + "]";
    }
}
