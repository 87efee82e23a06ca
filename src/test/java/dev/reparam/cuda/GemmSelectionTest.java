package dev.reparam.cuda;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GEMM choice at backend start, with injected loaders: no GPU and no cuBLAS needed. */
class GemmSelectionTest {
    /** What JCuda's loader throws when libJCublas2 cannot find libcublas.so.12 (abridged, same shape). */
    private static final String JCUDA_MESSAGE = """
            Error while loading native library "JCublas2-12.6.0-linux-x86_64"
            Operating system name: Linux
            ---(start of nested stack traces)---
            Stack trace from the attempt to load the library as a file:
            java.lang.UnsatisfiedLinkError: no JCublas2-12.6.0-linux-x86_64 in java.library.path: /usr/lib
            \tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)
            Stack trace from the attempt to load the library as a resource:
            java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: \
            cannot open shared object file: No such file or directory
            \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
            ---(end of nested stack traces)---
            """;
    private static final String MISSING = "libcublas.so.12: cannot open shared object file: No such file or directory";

    /** An engine that only says what it is; the selection never multiplies. */
    private record Fake(String describe) implements GemmEngine {
        public void forward(DeviceOperand x, DeviceOperand w, DeviceOperand b, DeviceOperand y, int batch, int in,
                int out) {}
        public void backwardInput(DeviceOperand dy, DeviceOperand w, DeviceOperand dx, int batch, int in, int out) {}
        public void backwardWeight(DeviceOperand dy, DeviceOperand x, DeviceOperand dw, int batch, int in, int out) {}
        public void close() {}
    }

    private static final Fake CUBLAS = new Fake("cuBLAS 12.6.3");
    private static final Fake TILED = new Fake("own tiled kernel");

    private static Supplier<GemmEngine> failing(Throwable t) {
        return () -> {
            if (t instanceof Error e) throw e;
            throw (RuntimeException) t;
        };
    }

    @Test
    void autoFallsBackToTheTiledKernelWhenTheLibraryDoesNotLoad() {
        Gemm g = Gemm.select(Gemm.Mode.AUTO, failing(new UnsatisfiedLinkError(JCUDA_MESSAGE)), () -> TILED);
        assertSame(TILED, g.engine());
        assertEquals("gemm: own tiled kernel (cuBLAS unavailable: " + MISSING + ")", g.report());
    }

    @Test
    void aLaterLoadAttemptsNoClassDefFoundErrorStillGivesTheReason() {
        // JCuda's second attempt: the class failed to initialise; the first failure is the cause's message
        Throwable later = new NoClassDefFoundError("Could not initialize class jcuda.jcublas.JCublas2");
        later.initCause(new ExceptionInInitializerError("Exception java.lang.UnsatisfiedLinkError: " + JCUDA_MESSAGE));
        Gemm g = Gemm.select(Gemm.Mode.AUTO, failing(later), () -> TILED);
        assertSame(TILED, g.engine());
        assertEquals("gemm: own tiled kernel (cuBLAS unavailable: " + MISSING + ")", g.report());
    }

    @Test
    void autoFallsBackWhenTheHandleCannotBeCreated() {
        Gemm g = Gemm.select(Gemm.Mode.AUTO,
                failing(new IllegalStateException("cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED")), () -> TILED);
        assertSame(TILED, g.engine());
        assertEquals("gemm: own tiled kernel (cuBLAS unavailable: cublasCreate failed: CUBLAS_STATUS_NOT_INITIALIZED)",
                g.report());
    }

    @Test
    void autoTakesCublasWhenItOpensAndNeverBuildsTheFallback() {
        AtomicInteger tiledBuilt = new AtomicInteger();
        Gemm g = Gemm.select(Gemm.Mode.AUTO, () -> CUBLAS, () -> {
            tiledBuilt.incrementAndGet();
            return TILED;
        });
        assertSame(CUBLAS, g.engine());
        assertEquals("gemm: cuBLAS 12.6.3", g.report());
        assertEquals(0, tiledBuilt.get());
    }

    @Test
    void tiledModeNeverTriesCublasAndCublasModeRefusesToFallBack() {
        Gemm t = Gemm.select(Gemm.Mode.TILED, () -> {
            throw new AssertionError("cuBLAS tried in tiled mode");
        }, () -> TILED);
        assertEquals("gemm: own tiled kernel (-Dreparam.gemm=tiled)", t.report());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Gemm.select(Gemm.Mode.CUBLAS, failing(new UnsatisfiedLinkError(JCUDA_MESSAGE)), () -> TILED));
        assertEquals("-Dreparam.gemm=cublas: cuBLAS unavailable: " + MISSING, e.getMessage());
    }

    @Test
    void modeComesFromThePropertyAndABadValueNamesIt() {
        String before = System.getProperty(Gemm.PROPERTY);
        try {
            System.clearProperty(Gemm.PROPERTY);
            assertEquals(Gemm.Mode.AUTO, Gemm.mode());
            System.setProperty(Gemm.PROPERTY, "Tiled");
            assertEquals(Gemm.Mode.TILED, Gemm.mode());
            assertTrue(CudaAvailability.gemmInfoLine().startsWith("own tiled kernel"));
            System.setProperty(Gemm.PROPERTY, "magma");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Gemm::mode);
            assertEquals("-Dreparam.gemm: expected auto, cublas or tiled, got 'magma'", e.getMessage());
        } finally {
            if (before == null) System.clearProperty(Gemm.PROPERTY);
            else System.setProperty(Gemm.PROPERTY, before);
        }
    }

    @Test
    void theRealLoaderAnswersInOneLineWhateverTheMachine() {
        // On a machine without libcublas.so.12 this is the fallback's reason; where it loads, null.
        String failure = CublasLibrary.loadFailure();
        if (failure != null) {
            assertFalse(failure.isBlank());
            assertFalse(failure.contains("\n"), failure);
        }
        assertEquals(failure, CublasLibrary.loadFailure()); // asked again: the remembered answer, no throw
        String info = CudaAvailability.gemmInfoLine();
        assertTrue(failure == null ? info.startsWith("cuBLAS")
                : info.equals("own tiled kernel (cuBLAS unavailable: " + failure + ")"), info);
    }

    @Test
    void versionNumbersAreDecoded() {
        assertEquals("12.6.3", CublasGemm.versionString(120603));
        assertEquals("13.0.0", CublasGemm.versionString(130000));
    }

    @Test
    void reasonFallsBackToTheFirstLine() {
        assertEquals("UnsatisfiedLinkError: something else",
                CublasLibrary.reason(new UnsatisfiedLinkError("something else\nmore")));
    }
}
