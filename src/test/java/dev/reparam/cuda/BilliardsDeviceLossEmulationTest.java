package dev.reparam.cuda;

import dev.reparam.cuda.ks.KernelEmulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs kernels/billiards.cu on the CPU (native/ks-emulator/billiards_emulate.cpp, the kernel source
 * compiled by g++ with simulated threads) against UnconstrainedObjective's arithmetic over
 * BilliardsProblems: hits within 1e-10 plus 1e-13 times the shot's conditioning (BilliardsConditioning:
 * near a graze an ulp of hypot is amplified; the ulps of exp and log in the drag are covered by the
 * 1e-10) in float64, 1e-6 plus the same in float32, relative; misses with
 * exactly the host's loss and a zero gradient; with the problem set's bounds and with v0y unbounded (both branches of the
 * bound map). Checks the kernel's arithmetic and indexing, not what only a GPU shows. Skipped where
 * g++ (C++20) is absent.
 */
class BilliardsDeviceLossEmulationTest {
    private static Path binary;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        binary = KernelEmulator.build("billiards_emulate");
    }

    /** problems, v0y unbounded. */
    @ParameterizedTest
    @CsvSource({"40, false", "23, true"})
    void kernelMatchesTheUnconstrainedObjective(int count, boolean mixed) throws IOException, InterruptedException {
        long seed = System.nanoTime();
        Path data = KernelEmulator.BUILD.resolve("billiards-" + seed + ".bin");
        int hits = BilliardsEmulationData.write(data, count, mixed, seed);
        // both kinds of shot must be there, else the test checks only one branch
        assertTrue(hits > 0 && hits < count, "seed " + seed + ": " + hits + " hits of " + count);
        Process p = new ProcessBuilder(binary.toString(), data.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(data);
        List<String> lines = out.lines().toList();
        assertEquals(0, p.exitValue(), "seed " + seed + ":\n" + out);
        assertEquals("ok", lines.get(lines.size() - 1), "seed " + seed + ":\n" + out);
    }
}
