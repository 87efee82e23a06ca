package dev.reparam.sim.ks.cuda;

import dev.reparam.cuda.CudaDtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Launch shape and memory sizes of kernels/ks/ks.cu, which must agree with the carving in ks_forward / ks_adjoint. */
class KsKernelGeometryTest {
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 64, 128, 256, 512, 1024})
    void acceptsPowersOfTwoFrom4To1024(int n) {
        assertDoesNotThrow(() -> KsKernelGeometry.checkPoints(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {-8, 0, 1, 2, 3, 6, 96, 100, 2048})
    void rejectsOtherSizesNamingThem(int n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KsKernelGeometry.checkPoints(n));
        assertTrue(e.getMessage().contains("got " + n), e.getMessage());
        assertTrue(e.getMessage().contains("power of two from 4 to 1024"), e.getMessage());
    }

    @Test
    void blocksAreHalfTheGridAndAtLeastAWarp() {
        assertEquals(32, KsKernelGeometry.threads(4));
        assertEquals(32, KsKernelGeometry.threads(64));
        assertEquals(64, KsKernelGeometry.threads(128));
        assertEquals(512, KsKernelGeometry.threads(1024));
    }

    /** The paper's N = 128 (M = 65): forward (14 M + N) T, adjoint 64 doubles + (16 M + N) T. */
    @Test
    void sharedMemoryOfThePaperSize() {
        assertEquals((14 * 65 + 128) * 8, KsKernelGeometry.forwardSharedBytes(128, CudaDtype.FLOAT64));
        assertEquals(8304, KsKernelGeometry.forwardSharedBytes(128, CudaDtype.FLOAT64));
        assertEquals(4152, KsKernelGeometry.forwardSharedBytes(128, CudaDtype.FLOAT32));
        assertEquals(64 * 8 + (16 * 65 + 128) * 8, KsKernelGeometry.adjointSharedBytes(128, CudaDtype.FLOAT64));
        assertEquals(9856, KsKernelGeometry.adjointSharedBytes(128, CudaDtype.FLOAT64));
        assertEquals(5184, KsKernelGeometry.adjointSharedBytes(128, CudaDtype.FLOAT32));
    }

    /**
     * Up to N = 512 every block fits the 48 KB that needs no opt-in; N = 1024 float64 needs it (and gets it in the
     * solver).
     */
    @Test
    void onlyTheLargestFloat64SizeNeedsTheSharedMemoryOptIn() {
        for (int n = 4; n <= 512; n *= 2) {
            for (CudaDtype t : CudaDtype.values()) {
                assertTrue(KsKernelGeometry.adjointSharedBytes(n, t) <= KsKernelGeometry.DEFAULT_SHARED_LIMIT,
                        n + " " + t);
                assertTrue(KsKernelGeometry.forwardSharedBytes(n, t) <= KsKernelGeometry.adjointSharedBytes(n, t),
                        n + " " + t);
            }
        }
        assertTrue(KsKernelGeometry.adjointSharedBytes(1024,
                CudaDtype.FLOAT64) > KsKernelGeometry.DEFAULT_SHARED_LIMIT);
        assertTrue(KsKernelGeometry.adjointSharedBytes(1024,
                CudaDtype.FLOAT32) <= KsKernelGeometry.DEFAULT_SHARED_LIMIT);
        // well under the 163 KB of an A100 (the smallest opt-in limit of the targets)
        assertTrue(KsKernelGeometry.adjointSharedBytes(1024, CudaDtype.FLOAT64) < 163 * 1024);
    }

    @Test
    void checkpointAndStageStorage() {
        assertEquals(10, KsKernelGeometry.segments(100, 10));
        assertEquals(4, KsKernelGeometry.segments(20, 6));
        assertEquals(10L * 2 * 65, KsKernelGeometry.checkpointValues(128, 100, 10));
        assertEquals(10L * 4 * 128, KsKernelGeometry.stageValues(128, 10));
    }
}
