package dev.reparam.cuda;

import jcuda.jcublas.JCublas2;

import java.util.Arrays;

/**
 * Whether JCublas' native library (libJCublas2, from the jcublas-natives jar) loads here, tried
 * once per JVM. It links against libcublas.so.12, so it loads on systems with cuBLAS 12 on the
 * library path and fails on a CUDA 13 system without it (and on machines without CUDA): the
 * failure is an UnsatisfiedLinkError at the first try and a NoClassDefFoundError at any later
 * one, which is why the answer is remembered rather than asked again.
 */
final class CublasLibrary {
    /** Null when the library loaded, else why not. */
    private static final String FAILURE = tryLoad();

    private CublasLibrary() {}

    /** Null when libJCublas2 (and so libcublas) loaded, else the reason in one line. */
    static String loadFailure() {
        return FAILURE;
    }

    private static String tryLoad() {
        try {
            JCublas2.initialize();
            JCublas2.setExceptionsEnabled(false); // every status is checked by CublasGemm, with context
            return null;
        } catch (LinkageError | RuntimeException e) {
            return reason(e);
        }
    }

    /**
     * The useful line of a native-library failure: JCuda's message lists every attempt with stack
     * traces; the line that matters names the missing dependency, e.g.
     * {@code libcublas.so.12: cannot open shared object file: No such file or directory}.
     */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) continue;
            for (String line : message.split("\n")) {
                String[] parts = line.trim().split(": ");
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].startsWith("cannot open shared object file") || parts[i].startsWith("undefined symbol")
                            || parts[i].startsWith("version `")) {
                        return String.join(": ", Arrays.copyOfRange(parts, i - 1, parts.length));
                    }
                }
            }
        }
        String message = failure.getMessage();
        String first = message == null ? "" : message.lines().findFirst().orElse("").trim();
        return failure.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }
}
