package dev.reparam.bench;

import dev.reparam.cuda.CudaBackend;

/** The CUDA backend under the bench: device events on its stream, and {@link CudaReference}'s ceilings. */
public final class CudaBenchDevice extends BenchDevice<CudaBackend> {
    public CudaBenchDevice() {
        super(CudaBackend.class);
    }

    @Override
    protected OpTimer timer(CudaBackend backend) {
        return new CudaEventTimer(backend);
    }

    @Override
    protected DeviceReference ceilings(CudaBackend backend, boolean quick) {
        return CudaReference.measure(backend, quick);
    }
}
