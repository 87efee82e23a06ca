package dev.reparam.tensor;

/**
 * The last m correction pairs (s, y) of one problem and the two-loop recursion d = -H g with
 * H0 = (s'y / y'y) I from the newest pair. Without bounds this is the same matrix as the compact
 * form L-BFGS-B builds (its theta = y'y / s'y), at O(m·dim) per direction.
 */
final class LbfgsMemory {
    private final double[][] s;
    private final double[][] y;
    private final double[] rho;
    private final double[] alpha;
    private int count;
    private int newest = -1;
    private double h0; // s'y / y'y of the newest pair

    LbfgsMemory(int m, int dim) {
        s = new double[m][dim];
        y = new double[m][dim];
        rho = new double[m];
        alpha = new double[m];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Forgets every pair (L-BFGS-B's restart after a failed line search). */
    void clear() {
        count = 0;
        newest = -1;
    }

    /** Stores a pair, dropping the oldest when full; sy = s'y > 0 and yy = y'y as computed by the caller. */
    void push(double[] sNew, double[] yNew, double sy, double yy) {
        int m = rho.length;
        newest = (newest + 1) % m;
        System.arraycopy(sNew, 0, s[newest], 0, sNew.length);
        System.arraycopy(yNew, 0, y[newest], 0, yNew.length);
        rho[newest] = 1 / sy;
        h0 = sy / yy;
        count = Math.min(count + 1, m);
    }

    /** Writes d = -H g; with no pairs H = I, so d = -g (L-BFGS-B's first iteration). */
    void direction(double[] g, double[] d) {
        int m = rho.length;
        for (int i = 0; i < d.length; i++) d[i] = -g[i];
        for (int k = 0, j = newest; k < count; k++, j = (j - 1 + m) % m) {
            alpha[j] = rho[j] * dot(s[j], d);
            axpy(-alpha[j], y[j], d);
        }
        if (count > 0) {
            for (int i = 0; i < d.length; i++) d[i] *= h0;
        }
        for (int k = 0, j = (newest - count + 1 + m) % m; k < count; k++, j = (j + 1) % m) {
            double beta = rho[j] * dot(y[j], d);
            axpy(alpha[j] - beta, s[j], d);
        }
    }

    static double dot(double[] a, double[] b) {
        double r = 0;
        for (int i = 0; i < a.length; i++) r += a[i] * b[i];
        return r;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }
}
