package dev.reparam.cuda;

import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

import dev.reparam.tensor.AdamSteps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the CUDA runtime that need no GPU: error messages, launch geometry, availability. */
class CudaRuntimeTest {

    @Test
    void failedCallNamesTheKernelItsArgumentsAndTheError() {
        KernelArgs args = new KernelArgs(CudaDtype.FLOAT32).scalar("alpha", 0.5).i32("n", 1001);
        CudaFailure f = assertThrows(CudaFailure.class,
                () -> CudaCalls.check(CUresult.CUDA_ERROR_INVALID_VALUE, "launch of axpy_f32(" + args + ")"));
        assertEquals("launch of axpy_f32(alpha=0.5, n=1001) failed: CUDA_ERROR_INVALID_VALUE", f.getMessage());
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, f.result());
        CudaCalls.check(CUresult.CUDA_SUCCESS, "nothing");
    }

    @Test
    void aMissingKernelNamesTheSymbolAndTheFatbin() {
        assertEquals("kernel wave_packet_loss_f32 is missing from /kernels/wavepacket.fatbin: the fatbin is older than "
                + "the" + " Java code that launches it (rebuild: mvn generate-resources)",
                LoadedKernels.missingKernelMessage(Kernel.WAVE_PACKET_LOSS.symbol(CudaDtype.FLOAT32),
                KernelModule.WAVEPACKET));
    }

    @Test
    void adamStateIsReadInTheLayoutOfKernelsAdamCu() {
        // STEP, SCALE, C1, C2, FAILED, FAILED_NORM as the #defines in kernels/adam.cu
        assertEquals(new AdamSteps.Status(7, false, 0.0),
                CudaAdam.statusOf(new double[] {7, 0.5, 0.1, 0.01, 0, 0}));
        AdamSteps.Status failed = CudaAdam.statusOf(new double[] {3, 1, 0.1, 0.01, 1, Double.NaN});
        assertTrue(failed.failed() && Double.isNaN(failed.failedNorm()) && failed.steps() == 3, failed.toString());
    }

    @Test
    void reductionGridDependsOnlyOnSizeAndIsBounded() {
        assertEquals(1, LaunchGeometry.reductionBlocks(0));
        assertEquals(1, LaunchGeometry.reductionBlocks(256));
        assertEquals(2, LaunchGeometry.reductionBlocks(257));
        assertEquals(LaunchGeometry.MAX_REDUCTION_BLOCKS, LaunchGeometry.reductionBlocks(Integer.MAX_VALUE));
        assertEquals(1, LaunchGeometry.elementwiseBlocks(0));
        assertEquals(4, LaunchGeometry.elementwiseBlocks(1000));
        assertEquals(LaunchGeometry.MAX_ELEMENTWISE_BLOCKS, LaunchGeometry.elementwiseBlocks(Integer.MAX_VALUE));
    }

    @Test
    void availabilityIsReportedWithoutCrashingWhateverTheMachine() {
        CudaAvailability a = CudaAvailability.probe();
        assertTrue(!a.detail().isBlank());
        String line = CudaAvailability.infoLine();
        assertTrue(line.equals("cuda: available (" + a.detail() + ")")
                || line.equals("cuda: unavailable (" + a.detail() + ")"), line);
        // a second probe after a failed native load must answer the same, not throw
        assertEquals(a, CudaAvailability.probe());
    }
}
