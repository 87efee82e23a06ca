package dev.reparam.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reparam.cli.CliRunner.Outcome;
import dev.reparam.cuda.CudaAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.reparam.cli.CliRunner.assertOneLineError;
import static dev.reparam.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code reparam bench} on the CPU at tiny sizes: what it writes, never how fast anything is. */
class BenchCommandTest {
    /** Every Backend op but zeros and fromHost (allocation), activations by kind. */
    static final Set<String> EVERY_OP = Set.of("copy", "copyFromHost", "toHost", "fill", "add", "axpy", "scale", "sum",
            "sumOfSquares", "relu", "reluBackward", "sigmoid", "sigmoidBackward", "tanh", "tanhBackward", "scaledTanh",
            "scaledTanhBackward", "rowMeanSquaredError", "rowMeanSquaredErrorBackward", "linear", "linearBackward",
            "conv1d",
            "conv1dBackward", "conv2d", "conv2dBackward", "batchNorm", "batchNormInference", "batchNormBackward",
            "maxPool2d", "maxPool2dBackward", "positionalEncoding", "positionalEncodingBackward", "adamUpdate");

    private static final String[] TINY = {"bench", "--backend", "cpu", "--n", "2", "--size", "300", "--repeats", "2",
            "--warmup", "0", "--quick", "--quiet"};

    private static String[] tiny(String... more) {
        String[] args = new String[TINY.length + more.length];
        System.arraycopy(TINY, 0, args, 0, TINY.length);
        System.arraycopy(more, 0, args, TINY.length, more.length);
        return args;
    }

    @Test
    void jsonListsEveryOpWithItsModelAndEveryMethodIteration(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bench.json");
        Outcome o = run(tiny("--json", "--out", file.toString()));
        assertEquals(0, o.code(), o.err());
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        assertEquals("reparam-bench/1", root.get("schema").asText());
        assertEquals("cpu", root.get("backend").asText());
        assertEquals(2, root.get("n").asInt());
        assertEquals(300, root.get("size").asInt());
        assertTrue(root.get("reference").get("copyGBPerSecond").asDouble() > 0);
        assertTrue(root.get("reference").get("peakGFlopPerSecond").asDouble() > 0);

        Set<String> ops = new HashSet<>();
        for (JsonNode k : root.get("kernels")) {
            String op = k.get("op").asText();
            assertTrue(ops.add(op), "listed twice: " + op);
            assertTrue(k.get("bytes").asLong() > 0, op);
            assertTrue(k.get("flops").asLong() >= 0, op);
            assertTrue(k.get("shape").asText().contains("["), op);
            assertEquals(2, k.get("samples").asInt(), op);
            assertTrue(k.get("medianSeconds").asDouble() > 0, op);
            assertTrue(k.get("minSeconds").asDouble() <= k.get("medianSeconds").asDouble(), op);
            assertTrue(k.get("rotationSets").asInt() >= 2, op);
            for (String rate : List.of("gbPerSecond", "gflopPerSecond", "copyFraction", "peakFraction")) {
                assertTrue(k.get(rate).isNumber(), op + " " + rate);
            }
        }
        assertEquals(EVERY_OP, ops);
        // only the arithmetic-free copies and fill have no FLOPs
        for (JsonNode k : root.get("kernels")) {
            boolean pureMove = Set.of("copy", "copyFromHost", "toHost", "fill").contains(k.get("op").asText());
            assertEquals(pureMove, k.get("flops").asLong() == 0, k.get("op").asText());
        }

        Set<String> methods = new HashSet<>();
        for (JsonNode m : root.get("iterations")) {
            assertEquals("wavepacket", m.get("experiment").asText());
            assertTrue(m.get("medianSeconds").asDouble() > 0, m.toString());
            assertTrue(m.get("samples").asInt() >= 1, m.toString());
            methods.add(m.get("method").asText());
        }
        assertEquals(Set.of("reparam", "supervised", "neural-adjoint", "bfgs"), methods);
        assertTrue(o.out().isEmpty(), "--out should leave stdout empty: " + o.out());
    }

    @Test
    void tablePrintsTheFilteredKernelsBesideTheDeviceCeilings() {
        Outcome o = run(tiny("--filter", "linear", "--experiments", ""));
        assertEquals(0, o.code(), o.err());
        String out = o.out();
        assertTrue(out.contains("copy bandwidth") && out.contains("GB/s") && out.contains("GFLOP/s"), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("linear")).toList();
        assertEquals(2, rows.size(), out);
        assertTrue(rows.get(0).contains("x[2,256] w[64,256]"), rows.get(0));
        assertFalse(out.contains("conv1d") || out.contains("full iterations"), out);
    }

    @Test
    void filterOnAMethodTimesOnlyThatMethod() {
        Outcome o = run(tiny("--filter", "bfgs"));
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("kernels ("), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("wavepacket") && l.contains("bfgs")), o.out());
    }

    @Test
    void badOptionsAreOneClearLine() {
        assertOneLineError(run("bench", "--n", "0"), "--n must be >= 1, got 0");
        assertOneLineError(run("bench", "--repeats", "0"), "--repeats must be >= 1, got 0");
        assertOneLineError(run("bench", "--warmup", "-1"), "--warmup must be >= 0, got -1");
        assertOneLineError(run("bench", "--size", "0"), "--size must be >= 1, got 0");
        assertOneLineError(run("bench", "--backend", "gpu"), "--backend: expected auto, cpu or cuda, got 'gpu'");
        assertOneLineError(run("bench", "--backend", "cpu", "--dtype", "float32"), "float64 only");
        assertOneLineError(run("bench", "--experiments", "pendulum"), "unknown experiment 'pendulum'");
        assertOneLineError(run("bench", "--backend", "cpu", "--filter", "nosuchop"),
                "--filter 'nosuchop' matches no kernel or method");
        assertOneLineError(run("bench", "--out", "/no/such/dir/bench.json"), "--out /no/such/dir/bench.json");
        assertOneLineError(run("bench", "--n", "many"), "--n");
    }

    @Test
    void cudaWithoutADeviceIsOneClearLine() {
        CudaAvailability cuda = CudaAvailability.probe();
        assumeFalse(cuda.available(), "a CUDA device is present");
        assertOneLineError(run("bench", "--backend", "cuda", "--quiet"), "--backend cuda: CUDA is unavailable");
    }
}
