package dev.reparam.cuda;

/**
 * The three products of the fully connected layer on row-major device arrays. Two
 * implementations: {@link CublasGemm} (NVIDIA's library, where it loads) and {@link TiledGemm}
 * (our kernel in kernels/dense.cu); {@link Gemm#select} picks one when the backend opens.
 */
interface GemmEngine extends AutoCloseable {
    /** For reports, e.g. {@code cuBLAS 12.6.3} or {@code own tiled kernel}. */
    String describe();

    /** y[B,Out] = x[B,In] W[Out,In]^T + b[Out]; b may be {@link DeviceOperand#NONE}. */
    void forward(DeviceOperand x, DeviceOperand w, DeviceOperand b, DeviceOperand y, int batch, int in, int out);

    /** dx[B,In] += dy[B,Out] W[Out,In]. */
    void backwardInput(DeviceOperand dy, DeviceOperand w, DeviceOperand dx, int batch, int in, int out);

    /** dW[Out,In] += dy[B,Out]^T x[B,In]. */
    void backwardWeight(DeviceOperand dy, DeviceOperand x, DeviceOperand dw, int batch, int in, int out);

    @Override
    void close();
}
