package dev.reparam.cli;

import dev.reparam.cli.CliRunner.Outcome;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.experiments.Experiments;
import dev.reparam.inverse.ProblemSet;
import dev.reparam.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.reparam.cli.CliRunner.assertOneLineError;
import static dev.reparam.cli.CliRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Bad input ends in one clear line and exit code 2; a good run writes its results. */
class MainTest {
    @Test
    void cudaBackendWithoutADeviceIsOneClearError() {
        CudaAvailability cuda = CudaAvailability.probe();
        assumeFalse(cuda.available(), "a CUDA device is present");
        assertOneLineError(run("solve", "wavepacket", "--n", "2", "--backend", "cuda", "--quiet"),
                "--backend cuda: CUDA is unavailable: " + cuda.detail());
    }

    @Test
    void float32OnTheCpuIsRefused() {
        assertOneLineError(run("solve", "wavepacket", "--n", "2", "--backend", "cpu", "--dtype", "float32", "--quiet"),
                "float64 only");
    }

    @Test
    void badCudaGraphsValueIsOneLine() {
        assertOneLineError(run("solve", "wavepacket", "--n", "2", "--backend", "cpu", "--cuda-graphs", "maybe",
                "--quiet"), "--cuda-graphs: expected on or off, got 'maybe'");
    }

    @Test
    void unknownExperiment() {
        assertOneLineError(run("solve", "pendulum", "--quiet"), "unknown experiment 'pendulum'");
    }

    @Test
    void shortExperimentNameWritesUnderTheCanonicalName(@TempDir Path dir) throws Exception {
        // n = 1 with BFGS only and the quick physics: about a second
        Outcome o = run("solve", "ks", "--n", "1", "--methods", "bfgs", "--profile", "quick", "--backend", "cpu",
                "--out", dir.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("kuramoto-sivashinsky, n = 1"), o.out());
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"experiment\" : \"kuramoto-sivashinsky\""));
    }

    @Test
    void unknownMethod() {
        assertOneLineError(run("solve", "wavepacket", "--methods", "bfgs,magic", "--quiet"), "unknown method 'magic'");
    }

    @Test
    void zeroProblems() {
        assertOneLineError(run("solve", "wavepacket", "--n", "0", "--quiet"), "--n must be >= 1");
    }

    @Test
    void boundsWithLoNotBelowHi() {
        assertOneLineError(run("solve", "wavepacket", "--n", "2", "--bounds", "100:100", "--quiet"), "lo must be < hi");
    }

    @Test
    void nanInObservations(@TempDir Path dir) {
        double[] y = new double[2 * 256];
        y[300] = Double.NaN;
        Path file = dir.resolve("y.npy");
        Npy.write(file, y, 2, 256);
        assertOneLineError(run("solve", "wavepacket", "--observations", file.toString(), "--out",
                dir.resolve("o").toString(), "--quiet"), "not finite");
    }

    @Test
    void observationsOfTheWrongShape(@TempDir Path dir) {
        Path file = dir.resolve("y.npy");
        Npy.write(file, new double[3 * 100], 3, 100);
        assertOneLineError(run("solve", "wavepacket", "--observations", file.toString(), "--quiet"), "[n, 256]");
    }

    @Test
    void missingObservationsFile(@TempDir Path dir) {
        assertOneLineError(run("solve", "wavepacket", "--observations", dir.resolve("nope.npy").toString(), "--quiet"),
                "nope.npy");
    }

    @Test
    void billiardsSolvesUserObservationsWithTheirInputs(@TempDir Path dir) throws Exception {
        // targets and ball positions written by "a pipeline": the generated problems' own arrays
        ProblemSet p = Experiments.byName("billiards").generate(3, 9);
        Path y = dir.resolve("targets.npy"), x = dir.resolve("balls.npy"), out = dir.resolve("out");
        Npy.write(y, p.observations(), 3, 2);
        Npy.write(x, p.inputs(), 3, 2);
        Outcome o = run("solve", "billiards", "--observations", y.toString(), "--inputs", x.toString(), "--methods",
                "bfgs", "--out", out.toString(), "--quiet");
        assertEquals(0, o.code(), o.err());
        assertEquals(3, Npy.read(out.resolve("bfgs_loss.npy")).shape()[0]);
        assertTrue(Files.exists(out.resolve("inputs.npy")));
        assertFalse(Files.exists(out.resolve("true_parameters.npy")), "user data has no ground truth");

        assertOneLineError(run("solve", "billiards", "--observations", y.toString(), "--quiet"), "--inputs");
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, new double[4], 2, 2);
        assertOneLineError(run("solve", "billiards", "--observations", y.toString(), "--inputs", wrong.toString(),
                "--quiet"), "--inputs");
    }

    @Test
    void missingCommandAndUnknownOption() {
        assertOneLineError(run(), "missing command");
        assertOneLineError(run(), "reparam help");
        assertOneLineError(run("solve", "wavepacket", "--frobnicate"), "frobnicate");
    }

    @Test
    void helpListsTheCommands() {
        Outcome o = run("help");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Usage: reparam"), o.out());
        for (String command : new String[] {"solve", "reproduce", "bench", "info", "help"}) {
            assertTrue(o.out().contains("\n  " + command + " "), "help should list " + command + ":\n" + o.out());
        }
    }

    @Test
    void helpOfACommandIsItsUsage() {
        Outcome o = run("help", "solve");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Usage: reparam solve"), o.out());
        assertTrue(o.out().contains("--methods"), o.out());
        assertEquals(run("solve", "--help").out(), o.out());
    }

    @Test
    void helpOfAnUnknownCommandIsOneLine() {
        assertOneLineError(run("help", "nosuch"), "Unknown subcommand 'nosuch'");
    }

    @Test
    void infoPrintsVersionBackendAndThreads() {
        Outcome o = run("info");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("backend") && o.out().contains("cpu") && o.out().contains("threads"), o.out());
        // the GEMM line says cuBLAS or, for the tiled kernel, why (e.g. libcublas.so.12 missing)
        assertTrue(o.out().contains("gemm         on CUDA: cuBLAS")
                || o.out().contains("gemm         on CUDA: own tiled kernel ("), o.out());
    }

    @Test
    void solveWritesSummaryAndPerProblemArrays(@TempDir Path dir) throws Exception {
        Outcome o = run("solve", "wavepacket", "--n", "4", "--seed", "1", "--iterations", "5", "--out", dir.toString(),
                "--quiet");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("reparam") && o.out().contains("bfgs"), o.out());
        String summary = Files.readString(dir.resolve("summary.json"));
        for (String key : new String[] {"\"better\"", "\"equal\"", "\"worse\"", "\"meanLoss\"", "\"meanLossRefined\"",
                "\"iterations\"", "\"wallSeconds\""}) {
            assertTrue(summary.contains(key), "summary.json lacks " + key);
        }
        assertEquals(4, Npy.read(dir.resolve("bfgs_loss.npy")).shape()[0]);
        assertEquals(4, Npy.read(dir.resolve("reparam_refined_parameters.npy")).shape()[0]);
        int[] curve = Npy.read(dir.resolve("reparam_curve.npy")).shape();
        assertEquals(5, curve[0]);
        assertEquals(4, curve[1]);
        assertEquals(4, Npy.read(dir.resolve("true_parameters.npy")).shape()[0]);
    }

    @Test
    void aNewRunReplacesTheWholeDirectoryNotSomeOfItsFiles(@TempDir Path dir) throws Exception {
        Outcome both = run("solve", "wavepacket", "--n", "2", "--methods", "bfgs,reparam", "--iterations", "3",
                "--profile", "quick", "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(0, both.code(), both.err());
        Outcome bfgs = run("solve", "wavepacket", "--n", "2", "--methods", "bfgs", "--out",
                dir.resolve("o").toString(), "--quiet");
        assertEquals(0, bfgs.code(), bfgs.err());
        try (var files = Files.list(dir.resolve("o"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("reparam_")),
                    "no stale reparam files beside a bfgs run");
        }
        assertFalse(Files.readString(dir.resolve("o/summary.json")).contains("\"reparam\" : {"));
    }
}
