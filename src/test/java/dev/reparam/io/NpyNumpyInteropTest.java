package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks numpy itself accepts Java-written files; skipped where python3 with numpy is unavailable. */
class NpyNumpyInteropTest {
    @TempDir
    Path dir;

    /** Runs python3 with a script and arguments; returns exit code and output, or null if python3 is missing. */
    private static Result python(String script, String... args) {
        var command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private record Result(int code, String output) {}

    private static void assumeNumpy() {
        Result r = python("import numpy");
        Assumptions.assumeTrue(r != null && r.code() == 0, "python3 with numpy not available");
    }

    @Test
    void numpyLoadsJavaWrittenFiles() {
        assumeNumpy();
        Path doubles = dir.resolve("d.npy");
        Npy.write(doubles, IntStream.range(0, 24).mapToDouble(i -> i * 0.5 - 3).toArray(), 2, 3, 4);
        Path scalar = dir.resolve("s.npy");
        Npy.write(scalar, new double[] {3.5});
        Path ints = dir.resolve("i.npy");
        Npy.writeInts(ints, new int[] {-5, 0, 5, 1 << 30}, 4);
        String script = String.join("\n",
                "import sys, numpy as np",
                "d = np.load(sys.argv[1]); s = np.load(sys.argv[2]); i = np.load(sys.argv[3])",
                "assert d.dtype == np.float64 and d.shape == (2, 3, 4), (d.dtype, d.shape)",
                "assert (d == (np.arange(24) * 0.5 - 3).reshape(2, 3, 4)).all(), d",
                "assert s.shape == () and s == 3.5, s",
                "assert i.dtype == np.int32 and i.tolist() == [-5, 0, 5, 1 << 30], i",
                "print('ok')");
        Result r = python(script, doubles.toString(), scalar.toString(), ints.toString());
        assertEquals(0, r.code(), r.output());
    }
}
