package dev.reparam.cuda;

import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.LbfgsVectors;
import org.junit.jupiter.api.Test;

import static dev.reparam.cuda.Backends.Choice.AUTO;
import static dev.reparam.cuda.Backends.Choice.CPU;
import static dev.reparam.cuda.Backends.Choice.CUDA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --backend / --dtype decision, for both answers of the availability probe (no GPU needed). */
class BackendsTest {
    private static final CudaAvailability PRESENT = new CudaAvailability(true, "NVIDIA H100, compute capability 9.0");
    private static final CudaAvailability ABSENT = new CudaAvailability(false, "no CUDA driver found");

    @Test
    void autoTakesCudaOnlyWhenAvailable() {
        assertEquals(CUDA, Backends.resolve(AUTO, CudaDtype.FLOAT32, PRESENT));
        assertEquals(CPU, Backends.resolve(AUTO, CudaDtype.FLOAT64, ABSENT));
        assertEquals("cpu float64 (CUDA unavailable: no CUDA driver found)",
                Backends.describe(AUTO, CudaDtype.FLOAT64, ABSENT));
        assertEquals("cuda float32 (NVIDIA H100, compute capability 9.0)",
                Backends.describe(AUTO, CudaDtype.FLOAT32, PRESENT));
    }

    @Test
    void cudaWithoutADeviceSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.resolve(CUDA, CudaDtype.FLOAT64, ABSENT));
        assertEquals("--backend cuda: CUDA is unavailable: no CUDA driver found", e.getMessage());
    }

    @Test
    void cpuIsFloat64Only() {
        assertEquals(CPU, Backends.resolve(CPU, CudaDtype.FLOAT64, PRESENT));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.resolve(CPU, CudaDtype.FLOAT32, PRESENT))
                .getMessage().contains("float64 only"));
    }

    @Test
    void parsesNamesAndRejectsOthers() {
        assertEquals(CUDA, Backends.parseChoice("CUDA"));
        assertEquals(CudaDtype.FLOAT32, Backends.parseDtype("float32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.parseChoice("tpu")).getMessage()
                .contains("'tpu'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.parseDtype("half")).getMessage()
                .contains("'half'"));
        assertTrue(Backends.parseGraphs("ON"));
        assertFalse(Backends.parseGraphs("off"));
        assertEquals("--cuda-graphs: expected on or off, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> Backends.parseGraphs("yes")).getMessage());
    }

    @Test
    void lbfgsVectorsStayOnTheHostForTheCpuBackend() {
        assertEquals("host", CpuBackend.INSTANCE.lbfgsVectors(2, 1, 3, new double[2]).name());
    }
}
