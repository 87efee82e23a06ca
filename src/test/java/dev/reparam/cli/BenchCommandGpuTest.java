package dev.reparam.cli;

import dev.reparam.cuda.CudaDriver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.cli.CliRunner.Outcome;
import dev.reparam.cuda.CudaAvailability;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static dev.reparam.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code reparam bench --backend cuda}: event timing, the device ceilings and every kernel, in both dtypes. */
@Tag("gpu")
class BenchCommandGpuTest {
    @ParameterizedTest
    @ValueSource(strings = {"float64", "float32"})
    void everyKernelIsTimedByEventsBesideMeasuredCeilings(String dtype) throws Exception {
        CudaAvailability cuda = CudaAvailability.probe();
        assumeTrue(cuda.available(), "CUDA unavailable: " + cuda.detail());
        // under the interpreter the billiards network's iterations (milliseconds) instead of the
        // wave packet's (a second each)
        String experiment = CudaDriver.interpreted() ? "billiards" : "wavepacket";
        Outcome o = run("bench", "--backend", "cuda", "--dtype", dtype, "--n", "2", "--repeats", "3", "--warmup", "1",
                "--quick", "--json", "--quiet", "--experiments", experiment);
        assertEquals(0, o.code(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(dtype, root.get("dtype").asText());
        assertTrue(root.get("timer").asText().contains("CUDA events"), root.get("timer").asText());
        assertTrue(root.get("reference").get("copyGBPerSecond").asDouble() > 0);
        assertTrue(root.get("reference").get("peakGFlopPerSecond").asDouble() > 0);
        Set<String> ops = new HashSet<>();
        for (JsonNode k : root.get("kernels")) {
            ops.add(k.get("op").asText());
            assertTrue(k.get("medianSeconds").asDouble() > 0, k.toString());
        }
        assertEquals(BenchCommandTest.EVERY_OP, ops);
        assertEquals(4, root.get("iterations").size(), root.get("iterations").toString());
    }
}
