package dev.reparam.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What kernel-level tests run on without a backend: device 0, the loaded kernel modules and a
 * memory pool of their own, opened together and closed in reverse order. {@link #open} skips
 * the calling test (class) where CUDA is unavailable.
 */
public final class BareDevice implements AutoCloseable {
    public final CudaDevice device;
    public final LoadedKernels kernels;
    public final DeviceMemory memory;

    private BareDevice(CudaDevice device, LoadedKernels kernels, DeviceMemory memory) {
        this.device = device;
        this.kernels = kernels;
        this.memory = memory;
    }

    public static BareDevice open() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        CudaDevice device = CudaDevice.open(0);
        try {
            LoadedKernels kernels = LoadedKernels.load();
            return new BareDevice(device, kernels, DeviceMemory.open());
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    @Override
    public void close() {
        memory.close();
        kernels.close();
        device.close();
    }
}
