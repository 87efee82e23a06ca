package dev.reparam.cuda.interpreter;

import dev.reparam.io.ResourceFiles;

import java.nio.file.Path;

/**
 * The CUDA interpreter: a stand-in for the CUDA driver ({@code libcuda.so.1}, built from
 * native/cuda-interpreter by g++ into the jar) that runs the project's kernels, compiled for the
 * host from the same sources, on the CPU, with checked memory and seeded random schedules
 * (docs/cuda.md, "Interpret mode"). JCuda's native library links {@code libcuda.so.1} by its
 * SONAME, so loading the stand-in before JCuda is all it takes: the dynamic linker then binds
 * JCuda to it. {@link dev.reparam.cuda.CudaDriver} decides whether to load it.
 */
public final class Interpreter {
    static final String DRIVER = "/interpreter/libcuda.so.1";
    static final String KERNELS = "/interpreter/libreparam-kernels.so";

    private static volatile boolean loaded;

    private Interpreter() {}

    /** True when this build carries the interpreter (g++ and nvcc were there when it ran). */
    public static boolean isBuilt() {
        return Interpreter.class.getResource(DRIVER) != null && Interpreter.class.getResource(KERNELS) != null;
    }

    /** True once {@link #load} has put the stand-in into this process. */
    public static boolean isLoaded() {
        return loaded;
    }

    /**
     * Loads the stand-in driver and the project's kernels into this process. Must run before
     * JCuda's driver class is first used; later calls do nothing.
     *
     * @throws IllegalStateException when this build has no interpreter, or it cannot load
     */
    public static synchronized void load() {
        if (loaded) return;
        if (!isBuilt()) {
            throw new IllegalStateException("the CUDA interpreter is not in this build (nvcc and g++ were not on the "
                    + "PATH" + " when it ran, or this is not x86-64 Linux)");
        }
        Path driver = ResourceFiles.asFile(Interpreter.class, DRIVER, "reparam-interpreter"),
                kernels = ResourceFiles.asFile(Interpreter.class, KERNELS, "reparam-interpreter");
        System.load(driver.toString());
        loaded = true;
        String failure = loadKernels(kernels.toString());
        if (!failure.isEmpty()) throw new IllegalStateException(failure);
    }

    /**
     * Registers a further kernel library (test kernels) with the loaded interpreter.
     *
     * @throws IllegalStateException when it cannot be loaded
     */
    public static void addKernels(Path library) {
        String failure = loadKernels(library.toAbsolutePath().toString());
        if (!failure.isEmpty()) throw new IllegalStateException(failure);
    }

    /** The interpreter's explanation of the last failed call (empty when it gave none). */
    public static native String lastError();

    private static native String loadKernels(String path);

    /**
     * Seeds the order in which blocks run and threads interleave between barriers. A correct
     * kernel gives the same bits under every seed; a race does not.
     */
    public static native void setSeed(long seed);

    /** The current schedule seed. */
    public static native long seed();

    /** Kernel launches run so far (graph replays included). */
    public static native long launches();
}
