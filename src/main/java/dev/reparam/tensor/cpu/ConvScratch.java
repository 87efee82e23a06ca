package dev.reparam.tensor.cpu;

/**
 * One worker thread's reusable buffers for {@link CpuConvolution}: a block's column matrix is a
 * few hundred KB, and allocating (and zeroing) it per block would cost a tenth of the block's
 * arithmetic. Every element a caller reads it has written first in the same block, so reuse
 * cannot leak values between calls.
 */
final class ConvScratch {
    private double[] window = new double[0];
    private double[][] columns = new double[0][0];
    private double[][] rows = new double[0][0];
    private double[][] byPosition = new double[0][0];

    double[] window(int length) {
        if (window.length < length) window = new double[length];
        return window;
    }

    /** At least {@code count} separate arrays of at least {@code length}. */
    double[][] columns(int count, int length) {
        columns = grow(columns, count, length);
        return columns;
    }

    double[][] rows(int count, int length) {
        rows = grow(rows, count, length);
        return rows;
    }

    double[][] byPosition(int count, int length) {
        byPosition = grow(byPosition, count, length);
        return byPosition;
    }

    private static double[][] grow(double[][] a, int count, int length) {
        if (a.length >= count && (count == 0 || a[0].length >= length)) return a;
        double[][] b = new double[Math.max(count, a.length)][Math.max(length, a.length == 0 ? 0 : a[0].length)];
        return b;
    }
}
