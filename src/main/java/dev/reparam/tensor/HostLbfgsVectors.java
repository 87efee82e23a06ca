package dev.reparam.tensor;

/**
 * {@link LbfgsVectors} in host memory, one {@link LbfgsMemory} per problem: the reference, with
 * the arithmetic (and so the rounding) L-BFGS has always had here, so that results on the CPU
 * do not depend on the vectors being a separate engine.
 */
final class HostLbfgsVectors implements LbfgsVectors {
    private final int dim;
    private final LbfgsMemory[] memory;
    private final double[][] x, g, d, trial, evaluatedX, evaluatedG, y;

    HostLbfgsVectors(int n, int dim, int m, double[] x0) {
        if (x0.length != (long) n * dim) {
            throw new IllegalArgumentException(x0.length + " starting values for " + n + " x " + dim);
        }
        this.dim = dim;
        memory = new LbfgsMemory[n];
        x = new double[n][];
        g = new double[n][];
        d = new double[n][];
        trial = new double[n][];
        evaluatedX = new double[n][];
        evaluatedG = new double[n][];
        y = new double[n][];
        // one problem's arrays allocated together (adjacent on the heap): each operation works
        // through one problem's vectors at a time
        for (int p = 0; p < n; p++) {
            x[p] = new double[dim];
            System.arraycopy(x0, p * dim, x[p], 0, dim);
            g[p] = new double[dim];
            d[p] = new double[dim];
            trial[p] = x[p].clone();
            evaluatedX[p] = new double[dim];
            evaluatedG[p] = new double[dim];
            y[p] = new double[dim];
            memory[p] = new LbfgsMemory(m, dim);
        }
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public void trialPoints(int[] ids, double[] out) {
        for (int j = 0; j < ids.length; j++) System.arraycopy(trial[ids[j]], 0, out, j * dim, dim);
    }

    @Override
    public void storeEvaluated(int[] ids, double[] rows) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            System.arraycopy(trial[p], 0, evaluatedX[p], 0, dim);
            System.arraycopy(rows, j * dim, evaluatedG[p], 0, dim);
        }
    }

    @Override
    public void adoptStart(int[] ids, double[] maxAbsG, boolean[] finite) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            System.arraycopy(evaluatedG[p], 0, g[p], 0, dim);
            maxAbsG[j] = maxAbs(g[p]);
            finite[j] = allFinite(g[p]);
        }
    }

    @Override
    public void direction(int[] ids, double[] gd, double[] dd) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            memory[p].direction(g[p], d[p]);
            gd[j] = LbfgsMemory.dot(g[p], d[p]);
            dd[j] = LbfgsMemory.dot(d[p], d[p]);
        }
    }

    @Override
    public void setTrial(int[] ids, double[] stp, boolean[] same) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            double[] t = trial[p], xp = x[p], dp = d[p], e = evaluatedX[p];
            boolean eq = true;
            for (int i = 0; i < dim; i++) {
                t[i] = xp[i] + stp[j] * dp[i];
                eq &= t[i] == e[i];
            }
            same[j] = eq;
        }
    }

    @Override
    public void directionalDerivative(int[] ids, double[] gd, boolean[] finite) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            double[] ge = evaluatedG[p], dp = d[p];
            double s = 0;
            boolean fin = true;
            for (int i = 0; i < dim; i++) {
                fin &= Double.isFinite(ge[i]);
                s += ge[i] * dp[i];
            }
            gd[j] = s;
            finite[j] = fin;
        }
    }

    @Override
    public void finish(int[] ids, double[] maxAbsG) {
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            for (int i = 0; i < dim; i++) y[p][i] = evaluatedG[p][i] - g[p][i];
            System.arraycopy(trial[p], 0, x[p], 0, dim);
            System.arraycopy(evaluatedG[p], 0, g[p], 0, dim);
            maxAbsG[j] = maxAbs(g[p]);
        }
    }

    @Override
    public void push(int[] ids, double[] stp, double[] sy) {
        double[] s = new double[dim];
        for (int j = 0; j < ids.length; j++) {
            int p = ids[j];
            for (int i = 0; i < dim; i++) s[i] = stp[j] * d[p][i];
            memory[p].push(s, y[p], sy[j], LbfgsMemory.dot(y[p], y[p]));
        }
    }

    @Override
    public void clear(int[] ids) {
        for (int p : ids) memory[p].clear();
    }

    @Override
    public void positions(double[] out) {
        for (int p = 0; p < x.length; p++) System.arraycopy(x[p], 0, out, p * dim, dim);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }

    private static boolean allFinite(double[] v) {
        for (double e : v) if (!Double.isFinite(e)) return false;
        return true;
    }
}
