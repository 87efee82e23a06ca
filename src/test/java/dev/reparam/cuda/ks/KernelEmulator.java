package dev.reparam.cuda.ks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds one of native/ks-emulator's drivers (the kernels' .cu source compiled as C++ with
 * simulated threads) into target/ks-emulator with g++; the test is skipped where g++ is absent.
 */
public final class KernelEmulator {
    public static final Path BUILD = Path.of("target", "ks-emulator");

    private KernelEmulator() {}

    /** Compiles native/ks-emulator/{@code driver}.cpp and returns the binary's path. */
    public static Path build(String driver) throws IOException, InterruptedException {
        Files.createDirectories(BUILD);
        Path binary = BUILD.resolve(driver);
        Path source = Path.of("native", "ks-emulator", driver + ".cpp");
        Process p;
        try {
            p = new ProcessBuilder("g++", "-std=c++20", "-O1", "-pthread", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "g++ not found: " + e.getMessage());
            return binary;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "g++ took over two minutes");
        assertEquals(0, p.exitValue(), "g++ failed on " + source + ":\n" + log);
        return binary;
    }
}
