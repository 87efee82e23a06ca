package dev.reparam.cuda;

import dev.reparam.tensor.Tensor;

/**
 * The backward half of every device {@link dev.reparam.tensor.BatchedLoss}: the loss op's output
 * has one value per problem, so the chain rule is dz[i, :] += upstream[i] * gradZ[i, :], one
 * launch of {@code row_scale_accumulate} (ProblemLossOp's host loop is the reference).
 */
public final class DeviceLossChain {
    private DeviceLossChain() {}

    public static void accumulate(CudaBackend backend, Tensor upstream, Tensor gradZ, Tensor dz) {
        int n = dz.size();
        if (gradZ.size() != n || (upstream.size() == 0 ? n != 0 : n % upstream.size() != 0)) {
            throw new IllegalArgumentException("chain rule through per-problem losses: upstream " + upstream
                    + ", gradient " + gradZ + ", dz " + dz);
        }
        backend.elementwise(Kernel.ROW_SCALE_ACCUMULATE, n, backend.args().tensor("w", upstream).tensor("g", gradZ)
                .tensor("out", dz).i32("n", n).i32("d", n / Math.max(1, upstream.size())));
    }
}
