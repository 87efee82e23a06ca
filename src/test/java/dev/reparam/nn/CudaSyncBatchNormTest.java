package dev.reparam.nn;

import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaBackend;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The synchronised batch norm on the CUDA backend (float64), where it runs on the device's
 * batch-norm kernels with the whole batch's statistics, against the CPU's one-process kernel.
 */
@Tag("gpu")
class CudaSyncBatchNormTest {
    @Test
    void theSynchronisedPathOnTheDeviceComputesWhatTheCpuKernelComputes() {
        CudaAvailability a = CudaAvailability.probe();
        assumeTrue(a.available(), "CUDA unavailable: " + a.detail());
        try (CudaBackend cuda = CudaBackend.open(CudaDtype.FLOAT64)) {
            SyncBatchNormTest.assertSynchronisedMatchesTheKernel(CpuBackend.INSTANCE, cuda);
        }
    }
}
