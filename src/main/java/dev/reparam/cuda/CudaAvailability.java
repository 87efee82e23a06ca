package dev.reparam.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the CUDA backend can run here, and if not, why, in words a user can act on. Probing
 * never crashes the JVM: without libcuda, JCuda's native library fails to load, which surfaces
 * as an UnsatisfiedLinkError or CudaException (or an initializer error) that is caught here.
 *
 * @param available true when a driver, a device of compute capability 8.0 or newer, and every
 *                  kernel fatbin are present
 * @param detail    the device when available, else the reason it is not
 */
public record CudaAvailability(boolean available, String detail) {

    private static CudaAvailability unavailable(String reason) {
        return new CudaAvailability(false, reason);
    }

    /** Checks the driver, device 0 and the kernel fatbins, in that order. */
    public static CudaAvailability probe() {
        String device;
        try {
            CudaDriver.select();
        } catch (IllegalStateException | IllegalArgumentException e) {
            return unavailable(e.getMessage());
        }
        try {
            int init = JCudaDriver.cuInit(0);
            if (init == CUresult.CUDA_ERROR_NO_DEVICE) return unavailable("no CUDA device found");
            if (init != CUresult.CUDA_SUCCESS) {
                return unavailable("the CUDA driver did not initialise: " + CUresult.stringFor(init));
            }
            if (CudaDevice.deviceCount() == 0) return unavailable("no CUDA device found");
            CUdevice d = new CUdevice();
            CudaCalls.check(JCudaDriver.cuDeviceGet(d, 0), "cuDeviceGet(0)");
            int cc = CudaDevice.computeCapability(d);
            device = CudaDevice.name(d) + ", compute capability " + cc / 10 + "." + cc % 10;
            if (cc < CudaDevice.MIN_COMPUTE_CAPABILITY) {
                return unavailable(device + ": the kernels are built for compute capability 8.0 and newer");
            }
        } catch (UnsatisfiedLinkError | CudaException | ExceptionInInitializerError | NoClassDefFoundError e) {
            return unavailable("no CUDA driver found");
        } catch (CudaFailure e) {
            return unavailable(e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (KernelModule m : KernelModule.values()) {
            if (!m.isBuilt()) missing.add(m.resource());
        }
        if (!missing.isEmpty()) {
            return unavailable("kernels not built: nvcc was not on the PATH when this build ran (missing "
                    + String.join(", ", missing) + ")");
        }
        return new CudaAvailability(true, device);
    }

    /**
     * Which GEMM a CUDA backend would use, for the {@code info} command, e.g.
     * {@code own tiled kernel (cuBLAS unavailable: libcublas.so.12: cannot open shared object file: ...)}.
     */
    public static String gemmInfoLine() {
        return Gemm.infoLine();
    }

    /** One line for the {@code info} command, e.g. {@code cuda: unavailable (no CUDA driver found)}. */
    public static String infoLine() {
        CudaAvailability a = probe();
        return "cuda: " + (a.available ? "available" : "unavailable") + " (" + a.detail + ")";
    }
}
