package dev.reparam.cuda;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static dev.reparam.cuda.CudaCalls.check;

/**
 * The kernel fatbins loaded into the current context (one module per family, loaded once) and
 * the launch of a kernel by its {@link Kernel} name. No run-time compilation: the driver picks the
 * device's machine code from the fatbin, or JIT-compiles its compute_90 PTX on newer GPUs.
 */
public final class LoadedKernels implements AutoCloseable {
    private final Map<KernelModule, CUmodule> modules = new EnumMap<>(KernelModule.class);
    private final Map<String, CUfunction> functions = new HashMap<>();
    private CUstream stream;

    private LoadedKernels() {}

    /** Loads every module into the calling thread's current context (a {@link CudaDevice}'s). */
    public static LoadedKernels load() {
        LoadedKernels k = new LoadedKernels();
        try {
            for (KernelModule m : KernelModule.values()) {
                CUmodule module = new CUmodule();
                check(JCudaDriver.cuModuleLoadData(module, fatbin(m)), "cuModuleLoadData(" + m.resource() + ")");
                k.modules.put(m, module);
            }
        } catch (RuntimeException e) {
            try {
                k.close();
            } catch (RuntimeException unload) {
                e.addSuppressed(unload);
            }
            throw e;
        }
        return k;
    }

    static byte[] fatbin(KernelModule m) {
        try (InputStream in = KernelModule.class.getResourceAsStream(m.resource())) {
            if (in == null) {
                throw new IllegalStateException("kernels not built: " + m.resource()
                        + " is not on the class path (nvcc was not on the PATH when this build ran)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + m.resource(), e);
        }
    }

    /** The function for {@code kernel} on data of type {@code dtype}, looked up once. */
    public CUfunction function(Kernel kernel, CudaDtype dtype) {
        String symbol = kernel.symbol(dtype);
        return functions.computeIfAbsent(symbol, s -> {
            CUfunction f = new CUfunction();
            int result = JCudaDriver.cuModuleGetFunction(f, modules.get(kernel.module()), s);
            if (result == CUresult.CUDA_ERROR_NOT_FOUND) {
                throw new CudaFailure(result, missingKernelMessage(s, kernel.module()));
            }
            check(result, "cuModuleGetFunction(" + s + " in " + kernel.module().resource() + ")");
            return f;
        });
    }

    /** The one line a fatbin without the symbol gives: it was built from older kernel sources. */
    static String missingKernelMessage(String symbol, KernelModule module) {
        return "kernel " + symbol + " is missing from " + module.resource()
                + ": the fatbin is older than the Java code that launches it (rebuild: mvn generate-resources)";
    }

    /** Where {@link #launch} queues from now on (its owner's stream); null, the default, is the default stream. */
    public void launchOn(CUstream stream) {
        this.stream = stream;
    }

    /**
     * Queues a 1-D launch of {@code blocks} x {@link LaunchGeometry#BLOCK_THREADS} threads on
     * the stream set by {@link #launchOn} (the default stream unless set); a bad configuration
     * fails here with the kernel and its arguments named, a fault while running surfaces at the
     * next synchronisation.
     */
    public void launch(Kernel kernel, CudaDtype dtype, int blocks, KernelArgs args) {
        launch(kernel, dtype, blocks, LaunchGeometry.BLOCK_THREADS, 0, args);
    }

    /**
     * As above with {@code threads} per block and {@code sharedBytes} of dynamic shared memory
     * (the physics kernels, whose block size and shared arrays follow the problem size).
     */
    public void launch(Kernel kernel, CudaDtype dtype, int blocks, int threads, int sharedBytes, KernelArgs args) {
        check(JCudaDriver.cuLaunchKernel(function(kernel, dtype), blocks, 1, 1, threads, 1, 1,
                        sharedBytes, stream, args.parameters(), null),
                "launch of " + kernel.symbol(dtype) + "(" + args + ") on " + blocks + " x " + threads + " threads"
                        + (sharedBytes > 0 ? " with " + sharedBytes + " bytes of shared memory" : ""));
    }

    @Override
    public void close() {
        for (Map.Entry<KernelModule, CUmodule> e : modules.entrySet()) {
            check(JCudaDriver.cuModuleUnload(e.getValue()), "cuModuleUnload(" + e.getKey().resource() + ")");
        }
        modules.clear();
        functions.clear();
    }
}
