package dev.reparam.cuda;

import dev.reparam.tensor.Backend;
import dev.reparam.tensor.cpu.CpuBackend;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Picks the backend for {@code --backend auto|cpu|cuda} and {@code --dtype float64|float32}:
 * auto takes CUDA when {@link CudaAvailability} says a device and the built kernels are there,
 * else the CPU with a one-line notice; cuda without a device is an error that says why.
 * Bad choices are IllegalArgumentExceptions, which the command line turns into exit code 2.
 */
public final class Backends {
    private Backends() {}

    public enum Choice { AUTO, CPU, CUDA }

    public static Choice parseChoice(String s) {
        try {
            return Choice.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--backend: expected auto, cpu or cuda, got '" + s + "'");
        }
    }

    public static CudaDtype parseDtype(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "float64" -> CudaDtype.FLOAT64;
            case "float32" -> CudaDtype.FLOAT32;
            default -> throw new IllegalArgumentException("--dtype: expected float64 or float32, got '" + s + "'");
        };
    }

    /** {@code --cuda-graphs on|off}. */
    public static boolean parseGraphs(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--cuda-graphs: expected on or off, got '" + s + "'");
        };
    }

    /** What {@link #open} would pick, in words, e.g. {@code cpu (CUDA unavailable: no CUDA driver found)}. */
    public static String describe(Choice choice, CudaDtype dtype, CudaAvailability cuda) {
        return switch (resolve(choice, dtype, cuda)) {
            case CUDA -> "cuda " + dtype.name().toLowerCase(Locale.ROOT) + " (" + cuda.detail() + ")";
            default -> "cpu float64" + (choice == Choice.AUTO ? " (CUDA unavailable: " + cuda.detail() + ")" : "");
        };
    }

    /** CPU or CUDA for this choice and availability; throws when the choice cannot be honoured. */
    static Choice resolve(Choice choice, CudaDtype dtype, CudaAvailability cuda) {
        return resolve(choice, dtype, cuda, false);
    }

    /**
     * As above; {@code allowCpuFallback} lets auto run a float32 request on the CPU in float64
     * when CUDA is unavailable. Without it that request is refused: silently computing in
     * another precision than asked would make a benchmark or a comparison quietly wrong.
     */
    static Choice resolve(Choice choice, CudaDtype dtype, CudaAvailability cuda, boolean allowCpuFallback) {
        return switch (choice) {
            case CPU -> {
                if (dtype != CudaDtype.FLOAT64) {
                    throw new IllegalArgumentException("--dtype " + dtype.name().toLowerCase(Locale.ROOT)
                            + ": the CPU backend computes in float64 only (float32 is for --backend cuda)");
                }
                yield Choice.CPU;
            }
            case CUDA -> {
                if (!cuda.available()) {
                    throw new IllegalArgumentException("--backend cuda: CUDA is unavailable: " + cuda.detail());
                }
                yield Choice.CUDA;
            }
            case AUTO -> {
                if (cuda.available()) yield Choice.CUDA;
                if (dtype != CudaDtype.FLOAT64 && !allowCpuFallback) {
                    throw new IllegalArgumentException("--dtype " + dtype.name().toLowerCase(Locale.ROOT)
                            + " needs CUDA, which is unavailable ("
                            + cuda.detail()
                            + "): use --dtype float64, or add --allow-cpu-fallback to compute in float64 on the CPU");
                }
                yield Choice.CPU;
            }
        };
    }

    /**
     * The backend to use; {@code notice} gets one line when auto falls back to the CPU, and one
     * when CUDA opens, naming the device and the GEMM picked (cuBLAS, or our kernel and why). A
     * CUDA backend must be closed by the caller (it holds the device's context and pool).
     */
    public static Backend open(Choice choice, CudaDtype dtype, boolean allowCpuFallback, boolean cudaGraphs,
                               Consumer<String> notice) {
        return open(choice, dtype, allowCpuFallback, cudaGraphs, 0, notice);
    }

    /** The first words of the notice that names the device a CUDA backend opened. */
    public static final String DEVICE_NOTICE = "reparam: CUDA backend ";

    /** As above, for the {@code localRank}-th process of this node: CUDA opens that rank's device. */
    public static Backend open(Choice choice, CudaDtype dtype, boolean allowCpuFallback, boolean cudaGraphs,
                               int localRank, Consumer<String> notice) {
        CudaAvailability cuda = choice == Choice.CPU ? new CudaAvailability(false, "not probed")
                : CudaAvailability.probe();
        if (resolve(choice, dtype, cuda, allowCpuFallback) == Choice.CUDA) {
            CudaBackend backend = CudaBackend.open(dtype, localRank);
            backend.setGraphs(cudaGraphs);
            backend.setNotices(notice);
            notice.accept(DEVICE_NOTICE + dtype.name().toLowerCase(Locale.ROOT) + " on " + backend.device()
                    + "; " + backend.gemmReport());
            return backend;
        }
        if (choice == Choice.AUTO) {
            notice.accept("reparam: CUDA unavailable (" + cuda.detail() + "): using the CPU backend, float64");
        }
        return CpuBackend.INSTANCE;
    }
}
