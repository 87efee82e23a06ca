package dev.reparam.cuda;

/**
 * The GEMM of kernels/dense.cu: 16 x 16 output tiles in shared memory, one thread per output
 * element summing k in order, so results are bit-reproducible on any device. Used where cuBLAS
 * does not load, or when asked for ({@code -Dreparam.gemm=tiled}).
 */
final class TiledGemm implements GemmEngine {
    private static final int TILE = 16;
    private final LoadedKernels kernels;
    private final CudaDtype dtype;

    TiledGemm(LoadedKernels kernels, CudaDtype dtype) {
        this.kernels = kernels;
        this.dtype = dtype;
    }

    @Override
    public String describe() {
        return "own tiled kernel";
    }

    @Override
    public void forward(DeviceOperand x, DeviceOperand w, DeviceOperand b, DeviceOperand y, int batch, int in,
            int out) {
        if (batch == 0 || out == 0) return; // an empty output (and no tile grid: the kernel divides by tiles per row)
        kernels.launch(Kernel.LINEAR_FORWARD, dtype, blocks(batch, out), args().operand("x", x).operand("w", w)
                .operand("b", b).operand("y", y).i32("batch", batch).i32("in", in).i32("out", out));
    }

    @Override
    public void backwardInput(DeviceOperand dy, DeviceOperand w, DeviceOperand dx, int batch, int in, int out) {
        if (batch == 0 || in == 0) return;
        kernels.launch(Kernel.LINEAR_BACKWARD_INPUT, dtype, blocks(batch, in), args().operand("dy", dy)
                .operand("w", w).operand("dx", dx).i32("batch", batch).i32("in", in).i32("out", out));
    }

    @Override
    public void backwardWeight(DeviceOperand dy, DeviceOperand x, DeviceOperand dw, int batch, int in, int out) {
        if (out == 0 || in == 0) return;
        kernels.launch(Kernel.LINEAR_BACKWARD_WEIGHT, dtype, blocks(out, in), args().operand("dy", dy)
                .operand("x", x).operand("dw", dw).i32("batch", batch).i32("in", in).i32("out", out));
    }

    /** One block per 16 x 16 output tile (kernels/dense.cu). */
    static int blocks(int rows, int cols) {
        return Math.max(1, ((rows + TILE - 1) / TILE) * ((cols + TILE - 1) / TILE));
    }

    private OperandArgs args() {
        return new OperandArgs(dtype);
    }

    @Override
    public void close() {
        // nothing of its own: the kernels belong to the backend
    }
}
