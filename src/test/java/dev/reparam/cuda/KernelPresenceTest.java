package dev.reparam.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel the Java side names ({@link Kernel}) exists in the built fatbins, as machine code
 * for sm_80 and sm_90, and the fatbins hold no kernel the Java side does not know, plus the
 * compute_90 PTX. Runs without a GPU; skipped only when nvcc is absent (then nothing was built).
 */
class KernelPresenceTest {

    private static byte[] builtFatbin(KernelModule m) throws IOException {
        try (InputStream in = KernelModule.class.getResourceAsStream(m.resource())) {
            if (in != null) return in.readAllBytes();
        }
        if (nvccOnPath()) {
            fail("nvcc is on the PATH but " + m.resource() + " was not built (see native/build-kernels.sh)");
        }
        assumeTrue(false, "kernels not built: nvcc not found on the PATH");
        throw new AssertionError("unreachable");
    }

    private static boolean nvccOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "nvcc").canExecute()) return true;
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(KernelModule.class)
    void everyNamedKernelIsInTheFatbinForEachArchitecture(KernelModule module) throws IOException {
        List<Fatbin.Entry> entries = Fatbin.read(builtFatbin(module));
        Set<String> expected = new TreeSet<>(Kernel.symbols(module));
        Set<Integer> cubinArchs = new TreeSet<>(), ptxArchs = new TreeSet<>();
        for (Fatbin.Entry e : entries) {
            if (e.kind() == Fatbin.KIND_ELF) {
                cubinArchs.add(e.arch());
                assertEquals(expected, e.kernels(), module.resource() + " sm_" + e.arch()
                        + ": kernels in the cubin differ from those named in Kernel");
            } else {
                ptxArchs.add(e.arch());
            }
        }
        assertEquals(Set.of(80, 90), cubinArchs, module.resource() + ": machine code architectures");
        assertEquals(Set.of(90), ptxArchs, module.resource() + ": PTX architectures");
    }

    @Test
    void symbolsAreUniqueAcrossModules() {
        Set<String> seen = new HashSet<>();
        for (KernelModule m : KernelModule.values()) {
            for (String s : Kernel.symbols(m)) assertTrue(seen.add(s), "symbol " + s + " named twice");
        }
        assertTrue(seen.contains("axpy_f64") && seen.contains("axpy_f32") && seen.contains("reduce_partials_f64"));
    }

    @Test
    void readerRejectsWhatIsNotAFatbin() {
        assertThrows(IllegalArgumentException.class, () -> Fatbin.read(new byte[64]));
    }
}
