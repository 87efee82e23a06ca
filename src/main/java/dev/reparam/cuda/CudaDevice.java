package dev.reparam.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * One GPU and its primary context, the context the CUDA runtime and libraries such as cuBLAS
 * share, so that buffers pass between our kernels and theirs without copies.
 */
public final class CudaDevice implements AutoCloseable {
    /** Kernels are built as sm_80 and sm_90 code plus compute_90 PTX: Ampere is the oldest target. */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private final CUdevice device;
    private final int ordinal;
    private final String name;
    private final int computeCapability;

    private CudaDevice(CUdevice device, int ordinal, String name, int computeCapability) {
        this.device = device;
        this.ordinal = ordinal;
        this.name = name;
        this.computeCapability = computeCapability;
    }

    /**
     * The device of the {@code localRank}-th process on this node: device localRank mod count, so
     * that the ranks of a node with as many GPUs spread one per GPU, and a rank that sees one
     * device (CUDA_VISIBLE_DEVICES set per task, as Slurm's --gpus-per-task does) takes that one.
     */
    public static CudaDevice openForRank(int localRank) {
        CudaDriver.select();
        check(JCudaDriver.cuInit(0), "cuInit");
        int count = deviceCount();
        if (count == 0) throw new IllegalStateException("no CUDA device found");
        return open(Math.floorMod(localRank, count));
    }

    /** Initialises the driver, picks device {@code ordinal}, retains its primary context and makes it current. */
    public static CudaDevice open(int ordinal) {
        CudaDriver.select();
        check(JCudaDriver.cuInit(0), "cuInit");
        int count = deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalArgumentException("CUDA device " + ordinal + " requested, " + count + " present");
        }
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device),
                "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent(primary context of device " + ordinal + ")");
        return new CudaDevice(device, ordinal, name(device), computeCapability(device));
    }

    /** Number of devices; cuInit must have succeeded. */
    static int deviceCount() {
        int[] count = {0};
        check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        return count[0];
    }

    static String name(CUdevice device) {
        byte[] bytes = new byte[256];
        check(JCudaDriver.cuDeviceGetName(bytes, bytes.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    /** Compute capability as 10 * major + minor (90 for Hopper). */
    static int computeCapability(CUdevice device) {
        int[] major = {0}, minor = {0};
        check(JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device), "cuDeviceGetAttribute(compute capability major)");
        check(JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device), "cuDeviceGetAttribute(compute capability minor)");
        return 10 * major[0] + minor[0];
    }

    /** Waits for all queued work; asynchronous kernel faults surface here, named by {@code after}. */
    public void synchronize(String after) {
        check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize after " + after);
    }

    public String name() { return name; }

    public int ordinal() { return ordinal; }

    public int computeCapability() { return computeCapability; }

    @Override
    public void close() {
        check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease(" + name + ")");
    }

    @Override
    public String toString() {
        return "device " + ordinal + ", " + name + " (compute capability " + computeCapability / 10 + "."
                + computeCapability % 10 + ")";
    }
}
