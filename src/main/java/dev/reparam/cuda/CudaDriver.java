package dev.reparam.cuda;

import dev.reparam.cuda.interpreter.Interpreter;

import java.util.Locale;

/**
 * Which CUDA driver this process uses, decided once, before JCuda is first touched: the
 * system's ({@code libcuda.so.1} of the NVIDIA driver) or the interpreter's stand-in
 * ({@link Interpreter}), asked for by the environment variable {@code REPARAM_CUDA=interpret}
 * or the system property {@code reparam.cuda=interpret} ({@code system}, the default, is the
 * NVIDIA driver).
 */
public final class CudaDriver {
    public static final String VARIABLE = "REPARAM_CUDA";
    public static final String PROPERTY = "reparam.cuda";

    private CudaDriver() {}

    /** True when the interpreter is asked for. */
    public static boolean interpretRequested() {
        String v = System.getProperty(PROPERTY);
        if (v == null) v = System.getenv(VARIABLE);
        if (v == null || v.isBlank()) return false;
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("interpret")) return true;
        if (s.equals("system")) return false;
        throw new IllegalArgumentException(VARIABLE + " (or -D" + PROPERTY + "): expected interpret or system, got '"
                + v + "'");
    }

    /**
     * Loads the interpreter when it is asked for; call before any JCuda driver call.
     *
     * @throws IllegalStateException when it is asked for and cannot load
     */
    public static void select() {
        if (interpretRequested()) Interpreter.load();
    }

    /** True when the interpreter is the driver in use. */
    public static boolean interpreted() {
        return Interpreter.isLoaded();
    }

    /** One line for {@code reparam info}. */
    public static String infoLine() {
        boolean interpret;
        try {
            interpret = interpretRequested();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!interpret) {
            return "NVIDIA CUDA driver (libcuda.so.1 of the system; " + VARIABLE + "=interpret runs the interpreter)";
        }
        if (!Interpreter.isBuilt()) {
            return "reparam interpreter asked for (" + VARIABLE + "=interpret), but it is not in this build";
        }
        return "reparam interpreter (" + VARIABLE + "=interpret: kernels run on the CPU, memory-checked, schedule seed "
                + (Interpreter.isLoaded() ? Long.toUnsignedString(Interpreter.seed()) : "default") + ")";
    }

    /** The interpreter's explanation of the last failure, or "" under the NVIDIA driver. */
    static String failureDetail() {
        if (!Interpreter.isLoaded()) return "";
        String s = Interpreter.lastError();
        return s == null ? "" : s;
    }
}
