package dev.reparam.cuda;

import dev.reparam.tensor.Activation;

import java.util.ArrayList;
import java.util.List;

/**
 * Every kernel the CUDA backend launches: the single source of truth for symbol names. The
 * runtime looks functions up through {@link #symbol}, and KernelPresenceTest checks that the
 * built fatbins hold exactly these symbols, so a name cannot drift between Java and kernels/.
 * Most kernels exist once per {@link CudaDtype} ({@code axpy_f64}, {@code axpy_f32}); the final
 * reduction pass reads double partials whatever the input type, and Adam's one-thread step
 * bookkeeping works on double state, so each has a single symbol.
 */
public enum Kernel {
    FILL(KernelModule.ELEMENTWISE, "fill"),
    ADD(KernelModule.ELEMENTWISE, "add"),
    AXPY(KernelModule.ELEMENTWISE, "axpy"),
    SCALE(KernelModule.ELEMENTWISE, "scale"),
    ROW_SCALE_ACCUMULATE(KernelModule.ELEMENTWISE, "row_scale_accumulate"),

    RELU_FORWARD(KernelModule.ACTIVATIONS, "relu_forward"),
    RELU_BACKWARD(KernelModule.ACTIVATIONS, "relu_backward"),
    SIGMOID_FORWARD(KernelModule.ACTIVATIONS, "sigmoid_forward"),
    SIGMOID_BACKWARD(KernelModule.ACTIVATIONS, "sigmoid_backward"),
    TANH_FORWARD(KernelModule.ACTIVATIONS, "tanh_forward"),
    TANH_BACKWARD(KernelModule.ACTIVATIONS, "tanh_backward"),

    SCALED_TANH_FORWARD(KernelModule.SCALED_TANH, "scaled_tanh_forward"),
    SCALED_TANH_BACKWARD(KernelModule.SCALED_TANH, "scaled_tanh_backward"),

    ROW_MSE_FORWARD(KernelModule.LOSSES, "row_mse_forward"),
    ROW_MSE_BACKWARD(KernelModule.LOSSES, "row_mse_backward"),

    ADAM_UPDATE(KernelModule.ADAM, "adam_update"),
    ADAM_PREPARE(KernelModule.ADAM, "adam_prepare", CudaDtype.FLOAT64),
    ADAM_APPLY(KernelModule.ADAM, "adam_apply"),

    SUM_PARTIALS(KernelModule.REDUCTIONS, "sum_partials"),
    SUM_OF_SQUARES_PARTIALS(KernelModule.REDUCTIONS, "sum_of_squares_partials"),
    REDUCE_PARTIALS(KernelModule.REDUCTIONS, "reduce_partials", CudaDtype.FLOAT64),

    LINEAR_FORWARD(KernelModule.DENSE, "linear_forward"),
    LINEAR_BACKWARD_INPUT(KernelModule.DENSE, "linear_backward_input"),
    LINEAR_BACKWARD_WEIGHT(KernelModule.DENSE, "linear_backward_weight"),
    LINEAR_BACKWARD_BIAS(KernelModule.DENSE, "linear_backward_bias"),
    /** The bias broadcast before cuBLAS's GEMM adds x W^T (CublasGemm). */
    LINEAR_BIAS_ROWS(KernelModule.DENSE, "linear_bias_rows"),

    CONV2D_FORWARD(KernelModule.CONVOLUTION, "conv2d_forward"),
    CONV2D_BACKWARD_INPUT(KernelModule.CONVOLUTION, "conv2d_backward_input"),
    CONV2D_BACKWARD_WEIGHT(KernelModule.CONVOLUTION, "conv2d_backward_weight"),
    CONV2D_BACKWARD_BIAS(KernelModule.CONVOLUTION, "conv2d_backward_bias"),

    BATCH_NORM_FORWARD(KernelModule.BATCH_NORM, "batch_norm_forward"),
    BATCH_NORM_INFERENCE(KernelModule.BATCH_NORM, "batch_norm_inference"),
    BATCH_NORM_BACKWARD(KernelModule.BATCH_NORM, "batch_norm_backward"),
    BATCH_NORM_RUNNING_UPDATE(KernelModule.BATCH_NORM, "batch_norm_running_update"),

    MAX_POOL2D_FORWARD(KernelModule.POOLING, "max_pool2d_forward"),
    MAX_POOL2D_BACKWARD(KernelModule.POOLING, "max_pool2d_backward"),

    POSITIONAL_ENCODING_FORWARD(KernelModule.POSITIONAL_ENCODING, "positional_encoding_forward"),
    POSITIONAL_ENCODING_BACKWARD(KernelModule.POSITIONAL_ENCODING, "positional_encoding_backward"),

    WAVE_PACKET_LOSS(KernelModule.WAVEPACKET, "wave_packet_loss"),
    /** The billiards losses and their gradient in z, bound map fused (CudaBilliardsLoss), one thread per problem. */
    BILLIARDS_LOSS(KernelModule.BILLIARDS, "billiards_loss"),

    /** z -> xi through the bounds (DeviceBoundMap), before a device solver that works in xi. */
    BOUND_MAP_FORWARD(KernelModule.BOUND_MAP, "bound_map_forward"),
    /** A device solver's loss and gradient in xi (double) -> the BatchedLoss outputs in z. */
    BOUND_MAP_FINISH(KernelModule.BOUND_MAP, "bound_map_finish"),
    /** Supervised training's loss in the bound map (CudaParameterError), one thread per row. */
    PARAMETER_ERROR(KernelModule.BOUND_MAP, "parameter_error"),

    LBFGS_DIRECTION(KernelModule.LBFGS, "lbfgs_direction"),
    LBFGS_SET_TRIAL(KernelModule.LBFGS, "lbfgs_set_trial"),
    LBFGS_GATHER(KernelModule.LBFGS, "lbfgs_gather"),
    LBFGS_STORE_EVALUATED(KernelModule.LBFGS, "lbfgs_store_evaluated"),
    LBFGS_ADOPT_START(KernelModule.LBFGS, "lbfgs_adopt_start"),
    LBFGS_DIRECTIONAL(KernelModule.LBFGS, "lbfgs_directional"),
    LBFGS_FINISH(KernelModule.LBFGS, "lbfgs_finish"),
    LBFGS_PUSH(KernelModule.LBFGS, "lbfgs_push"),
    LBFGS_CLEAR(KernelModule.LBFGS, "lbfgs_clear"),

    /** Kuramoto-Sivashinsky rollout, one block per problem (dev.reparam.cuda.ks). */
    KS_FORWARD(KernelModule.KS, "ks_forward"),
    /** Kuramoto-Sivashinsky loss and its gradient after KS_FORWARD, one block per problem. */
    KS_ADJOINT(KernelModule.KS, "ks_adjoint"),

    /** Not a Backend op: the arithmetic ceiling `reparam bench` measures (kernels/bench/peak.cu). */
    FMA_PEAK(KernelModule.PEAK, "fma_peak"),

    NS_ADVECT_FORWARD(KernelModule.NS_ADVECTION, "ns_advect_forward"),
    NS_ADVECT_ADJOINT_PREPARE(KernelModule.NS_ADVECTION, "ns_advect_adjoint_prepare"),
    NS_ADVECT_REACH(KernelModule.NS_ADVECTION, "ns_advect_reach", CudaDtype.FLOAT64),
    NS_ADVECT_ADJOINT_GATHER(KernelModule.NS_ADVECTION, "ns_advect_adjoint_gather"),

    NS_CG_START(KernelModule.NS_PROJECTION, "ns_cg_start"),
    NS_CG_START_SCALARS(KernelModule.NS_PROJECTION, "ns_cg_start_scalars", CudaDtype.FLOAT64),
    NS_CG_POISSON_DOT(KernelModule.NS_PROJECTION, "ns_cg_poisson_dot"),
    NS_CG_UPDATE(KernelModule.NS_PROJECTION, "ns_cg_update"),
    NS_CG_DIRECTION(KernelModule.NS_PROJECTION, "ns_cg_direction"),
    NS_CG_RESIDUAL_UPDATE(KernelModule.NS_PROJECTION, "ns_cg_residual_update"),
    NS_CG_DIRECTION_Z(KernelModule.NS_PROJECTION, "ns_cg_direction_z"),
    NS_SSOR_BLACK(KernelModule.NS_PROJECTION, "ns_ssor_black"),
    NS_SSOR_RED(KernelModule.NS_PROJECTION, "ns_ssor_red"),
    NS_MG_PRESMOOTH(KernelModule.NS_PROJECTION, "ns_mg_presmooth"),
    NS_MG_SMOOTH(KernelModule.NS_PROJECTION, "ns_mg_smooth"),
    NS_MG_RESTRICT(KernelModule.NS_PROJECTION, "ns_mg_restrict"),
    NS_MG_CORRECT(KernelModule.NS_PROJECTION, "ns_mg_correct"),
    NS_MG_COARSEST(KernelModule.NS_PROJECTION, "ns_mg_coarsest"),
    NS_PROJECT_SUBTRACT(KernelModule.NS_PROJECTION, "ns_project_subtract"),

    NS_VISCOSITY(KernelModule.NS_FORCES, "ns_viscosity"),
    NS_FORCE_INITIAL(KernelModule.NS_FORCES, "ns_force_initial"),
    NS_FORCE_GRADIENT(KernelModule.NS_FORCES, "ns_force_gradient"),

    NS_GATHER_ROWS(KernelModule.NS_LOSS, "ns_gather_rows"),
    NS_OBSERVE_LOSS(KernelModule.NS_LOSS, "ns_observe_loss");

    private final KernelModule module;
    private final String base;
    /** The one dtype a kernel without per-dtype variants is compiled for; null otherwise. */
    private final CudaDtype onlyDtype;

    Kernel(KernelModule module, String base) {
        this(module, base, null);
    }

    Kernel(KernelModule module, String base, CudaDtype onlyDtype) {
        this.module = module;
        this.base = base;
        this.onlyDtype = onlyDtype;
    }

    public KernelModule module() { return module; }

    /** The extern "C" symbol for data of type {@code dtype}, e.g. {@code axpy_f32}. */
    public String symbol(CudaDtype dtype) {
        return base + "_" + (onlyDtype != null ? onlyDtype : dtype).suffix();
    }

    public static Kernel forward(Activation kind) {
        return switch (kind) {
            case RELU -> RELU_FORWARD;
            case SIGMOID -> SIGMOID_FORWARD;
            case TANH -> TANH_FORWARD;
        };
    }

    /** The backward kernel; ReLU's reads x, the others read the forward output y. */
    public static Kernel backward(Activation kind) {
        return switch (kind) {
            case RELU -> RELU_BACKWARD;
            case SIGMOID -> SIGMOID_BACKWARD;
            case TANH -> TANH_BACKWARD;
        };
    }

    /** Every symbol of {@code module}, each dtype variant once. */
    public static List<String> symbols(KernelModule module) {
        List<String> out = new ArrayList<>();
        for (Kernel k : values()) {
            if (k.module != module) continue;
            if (k.onlyDtype != null) {
                out.add(k.symbol(k.onlyDtype));
            } else {
                for (CudaDtype t : CudaDtype.values()) out.add(k.symbol(t));
            }
        }
        return out;
    }
}
