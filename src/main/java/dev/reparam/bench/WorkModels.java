package dev.reparam.bench;

/**
 * The bytes-moved and FLOP model of every {@code Backend} op, per call, for elements of
 * {@code e} bytes (8 for float64, 4 for float32).
 *
 * <p><b>Bytes</b> are the compulsory traffic: every tensor the op reads is read once, every
 * tensor it overwrites is written once, and a tensor it accumulates into ({@code +=}, the
 * backward ops) is read and written. A kernel that reads an input more than once (batch norm's
 * two-pass statistics, a GEMM's tiles) moves more than this, so its GB/s is a lower bound on its
 * real traffic rate. Host-to-device and device-to-host copies count each element once.
 *
 * <p><b>FLOPs</b> count one per add, subtract, multiply, divide, square root and compare (ReLU,
 * max-pool), and one per transcendental (tanh, exp, sin, cos), although these cost tens of
 * instructions: GFLOP/s of the activation kernels understates the arithmetic done. A fused
 * multiply-add is two. GEMMs and convolutions count 2 per multiply-accumulate of the nominal
 * operation (taps falling into zero padding included).
 */
public final class WorkModels {
    private WorkModels() {}

    /** Backend.copy: read n, write n. */
    public static Work copy(long n, int e) {
        return new Work(2 * n * e, 0);
    }

    /** Backend.fill: write n. */
    public static Work fill(long n, int e) {
        return new Work(n * e, 0);
    }

    /** Backend.copyFromHost and toHost: each element crosses once. */
    public static Work transfer(long n, int e) {
        return new Work(n * e, 0);
    }

    /** out = a + b: read 2n, write n; one add each. */
    public static Work add(long n, int e) {
        return new Work(3 * n * e, n);
    }

    /** y += alpha x: read x and y, write y; multiply and add. */
    public static Work axpy(long n, int e) {
        return new Work(3 * n * e, 2 * n);
    }

    /** out = alpha x: read n, write n; one multiply. */
    public static Work scale(long n, int e) {
        return new Work(2 * n * e, n);
    }

    /** sum: read n; one add each (the scalar result is negligible). */
    public static Work sum(long n, int e) {
        return new Work(n * e, n);
    }

    /** sum of squares: read n; multiply and add. */
    public static Work sumOfSquares(long n, int e) {
        return new Work(n * e, 2 * n);
    }

    /** y = f(x): read x, write y. ReLU 1 (compare), tanh 1, sigmoid 1/(1+exp(-x)) 4. */
    public static Work activation(String kind, long n, int e) {
        long perElement = switch (kind) {
            case "relu", "tanh" -> 1;
            case "sigmoid" -> 4;
            default -> throw new IllegalArgumentException("unknown activation " + kind);
        };
        return new Work(2 * n * e, perElement * n);
    }

    /**
     * dx += f'(.) dy: read x (ReLU) or y (the others) and dy, read and write dx. ReLU: compare and
     * add, 2; sigmoid y(1-y)dy + dx and tanh (1-y^2)dy + dx: 4.
     */
    public static Work activationBackward(String kind, long n, int e) {
        long perElement = switch (kind) {
            case "relu" -> 2;
            case "tanh", "sigmoid" -> 4;
            default -> throw new IllegalArgumentException("unknown activation " + kind);
        };
        return new Work(4 * n * e, perElement * n);
    }

    /** xi = mid + half tanh(z) on [rows, d]: read z and the two d-vectors, write xi; tanh, multiply, add. */
    public static Work scaledTanh(long rows, long d, int e) {
        long n = rows * d;
        return new Work((2 * n + 2 * d) * e, 3 * n);
    }

    /** dz += half (1 - tanh(z)^2) dxi: read z, half, dxi, read and write dz; tanh, 2 mul, sub, mul, add = 6. */
    public static Work scaledTanhBackward(long rows, long d, int e) {
        long n = rows * d;
        return new Work((4 * n + d) * e, 6 * n);
    }

    /**
     * loss[r] = mean_k (a - b)^2 over [rows, m]: read a and b, write rows; sub, mul, add per element, a divide per row.
     */
    public static Work rowMse(long rows, long m, int e) {
        return new Work((2 * rows * m + rows) * e, 3 * rows * m + rows);
    }

    /** da += (2 dloss[r] / m)(a - b): read a, b, dloss, read and write da; 2 per row, sub, mul, add per element. */
    public static Work rowMseBackward(long rows, long m, int e) {
        return new Work((4 * rows * m + rows) * e, 3 * rows * m + 2 * rows);
    }

    /**
     * Adam on p parameters: read p, g, m, v, write p, m, v. Per element: the clipping scale 1,
     * m = b1 m + (1-b1) g 3, v = b2 v + (1-b2) g g 4, p -= lr (m/c1) / (sqrt(v/c2) + eps) 7: 15.
     */
    public static Work adam(long p, int e) {
        return new Work(7 * p * e, 15 * p);
    }

    /** y[B,O] = x[B,I] W[O,I]^T + b: read x, W, b, write y; 2BIO for the product, BO for the bias. */
    public static Work linear(long batch, long in, long out, boolean bias, int e) {
        long bytes = (batch * in + out * in + (bias ? out : 0) + batch * out) * e;
        return new Work(bytes, 2 * batch * in * out + (bias ? batch * out : 0));
    }

    /**
     * dx += dy W, dW += dy^T x, db += sum_b dy (all three): read x, W, dy, read and write dx, dW,
     * db; two products of 2BIO, their accumulation BI + OI, the bias sum BO.
     */
    public static Work linearBackward(long batch, long in, long out, int e) {
        long bytes = (batch * in + out * in + batch * out + 2 * (batch * in + out * in + out)) * e;
        return new Work(bytes, 4 * batch * in * out + batch * in + out * in + batch * out);
    }

    /**
     * y[B,Co,OH,OW] = conv(x[B,C,H,W], w[Co,C,KH,KW]) + b (stride 1; conv1d is H = KH = 1): read x,
     * w, b, write y; 2 C KH KW per output element plus the bias add.
     */
    public static Work conv2d(long batch, long cin, long h, long w, long cout, long kh, long kw, long oh, long ow,
            int e) {
        long outputs = batch * cout * oh * ow;
        long bytes = (batch * cin * h * w + cout * cin * kh * kw + cout + outputs) * e;
        return new Work(bytes, 2 * outputs * cin * kh * kw + outputs);
    }

    /**
     * dx, dw and db of the convolution (all three): read x, w, dy, read and write dx, dw, db;
     * 2 C KH KW per output element for dx and again for dw, their accumulation, and the bias sum.
     */
    public static Work conv2dBackward(long batch, long cin, long h, long w, long cout, long kh, long kw, long oh,
            long ow, int e) {
        long outputs = batch * cout * oh * ow, xs = batch * cin * h * w, ws = cout * cin * kh * kw;
        long bytes = (xs + ws + outputs + 2 * (xs + ws + cout)) * e;
        return new Work(bytes, 4 * outputs * cin * kh * kw + xs + ws + outputs);
    }

    /**
     * Training batch norm over x[B, C, S] (n = BCS): read x, gamma, beta, write y, mean, invStd.
     * Per element: mean 1, variance 3, normalise and affine 4; per channel a few (ignored).
     */
    public static Work batchNorm(long n, long channels, int e) {
        return new Work((2 * n + 4 * channels) * e, 8 * n);
    }

    /** Inference batch norm: read x, gamma, beta, mean, var, write y; (x - mean) * scale + beta 4 per element. */
    public static Work batchNormInference(long n, long channels, int e) {
        return new Work((2 * n + 4 * channels) * e, 4 * n);
    }

    /**
     * Batch-norm backward: read x, dy, gamma, mean, invStd, read and write dx, dgamma, dbeta. Per
     * element: x-hat 2, the two channel sums 3, dx = k (dy - a - x-hat b) + dx 5.
     */
    public static Work batchNormBackward(long n, long channels, int e) {
        return new Work((4 * n + 7 * channels) * e, 10 * n);
    }

    /**
     * Max-pool of x (xs elements) to y (ys elements) with kh x kw windows: read x, write y; a compare per window
     * element.
     */
    public static Work maxPool(long xs, long ys, long kh, long kw, int e) {
        return new Work((xs + ys) * e, ys * kh * kw);
    }

    /**
     * Max-pool backward: read x (to find each window's maximum again) and dy, read and write the
     * one dx element per window that receives dy; the compares again and one add per window.
     */
    public static Work maxPoolBackward(long xs, long ys, long kh, long kw, int e) {
        return new Work((xs + 3 * ys) * e, ys * kh * kw + ys);
    }

    /**
     * Positional encoding of n values with F frequencies to n(1 + 2F) outputs: read n, write
     * n(1 + 2F); per value and frequency the argument 2^f pi x (1), sin and cos (2).
     */
    public static Work positionalEncoding(long n, long frequencies, int e) {
        return new Work((n + n * (1 + 2 * frequencies)) * e, 3 * n * frequencies);
    }

    /**
     * Its backward: read x and dy (n(1 + 2F)), read and write dx; per value and frequency the
     * argument, sin, cos, two products with dy, their difference, the 2^f pi factor and the add: 8.
     */
    public static Work positionalEncodingBackward(long n, long frequencies, int e) {
        return new Work((3 * n + n * (1 + 2 * frequencies)) * e, 8 * n * frequencies + n);
    }
}
