package dev.reparam.cuda.ns;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Navier–Stokes kernels' source (kernels/ns_*.cu) run on the CPU by native/ns-emulation's
 * driver (blocks of emulated threads with real barriers and warp shuffles) against the float64
 * Java solver, on its quick data set (32 x 32 with obstacles, 3 problems), with the default
 * multigrid preconditioner: advection and its gather adjoint (bit-reproducible), a flow fast enough
 * to need a wide gather window, both preconditioners' kernels against their sequential
 * definitions and their symmetry, and the projection (divergence-free, closed faces zero). About
 * 6 s. It checks arithmetic, indexing and barriers, not what only a GPU shows (docs/ns.md, CUDA);
 * skipped where g++ is absent. The longer checks (a step, its adjoint, the rollout) are
 * {@code bash native/ns-emulation/run.sh all f64 mg}.
 */
class NsKernelEmulationTest {
    @Test
    void kernelSourcesMatchTheJavaSolver() throws IOException, InterruptedException {
        assumeTrue(hasGpp(), "g++ not found");
        Process p = new ProcessBuilder("bash", "native/ns-emulation/run.sh", "quick", "f64", "mg")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "emulation took over five minutes");
        assertEquals(0, p.exitValue(), out);

        assertBelow(out, "SSOR kernels vs four half-sweeps relative error (\\S+);", 1e-13);
        assertBelow(out, "SSOR kernels .*?symmetry \\|x.My - y.Mx\\| / \\|x.My\\| (\\S+);", 1e-12);
        assertBelow(out, "multigrid .*? kernels vs sequential V-cycle relative error (\\S+);", 1e-13);
        assertBelow(out, "multigrid .*?symmetry (\\S+);", 1e-12);
        assertTrue(out.contains("V-cycle relative error") && out.matches("(?s).*multigrid [^\\n]*twice: bit-identical.*"), out);
        assertBelow(out, "\\nadvection +relative error (\\S+)", 1e-14);
        assertBelow(out, "\\nadvection adjoint +relative error (\\S+)", 1e-14);
        assertTrue(out.contains("advection adjoint  twice: bit-identical"), out);
        assertBelow(out, "\\nfast advection +relative error (\\S+)", 1e-14);
        assertBelow(out, "\\nfast adjoint +relative error (\\S+)", 1e-14);
        // CG to 1e-12 on both sides, with different preconditioners: agreement to about that
        assertBelow(out, "\\nprojection +relative error (\\S+),", 1e-10);
        assertBelow(out, "max \\|div\\| (\\S+) ", 1e-10);
        assertTrue(out.contains("nonzero closed faces 0"), out);
    }

    private static void assertBelow(String out, String regex, double bound) {
        Matcher m = Pattern.compile(regex).matcher(out);
        assertTrue(m.find(), "no line matching " + regex + " in:\n" + out);
        double value = Double.parseDouble(m.group(1));
        assertTrue(value <= bound, regex + ": " + value + " > " + bound + "\n" + out);
    }

    private static boolean hasGpp() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
