package dev.reparam.tensor.cpu;

import dev.reparam.tensor.Parallel;
import dev.reparam.tensor.Tensor;

import static dev.reparam.tensor.cpu.CpuBackend.data;

/** Fully connected layer kernels; rows of x, W and dy are contiguous so every inner loop is a stride-1 sweep. */
final class CpuDense {
    private CpuDense() {}

    static void linear(Tensor x, Tensor w, Tensor b, Tensor y) {
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        double[] xs = data(x), ws = data(w), ys = data(y), bs = b == null ? null : data(b);
        int xo = x.offset(), wo = w.offset(), yo = y.offset(), bo = b == null ? 0 : b.offset();
        Parallel.forEach(batch, (long) in * out, n -> {
            int xr = xo + n * in;
            for (int o = 0; o < out; o++) {
                int wr = wo + o * in;
                double s = bs == null ? 0 : bs[bo + o];
                for (int i = 0; i < in; i++) s += xs[xr + i] * ws[wr + i];
                ys[yo + n * out + o] = s;
            }
        });
    }

    static void linearBackward(Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        double[] xs = data(x), ws = data(w), g = data(dy);
        int xo = x.offset(), wo = w.offset(), go = dy.offset();
        if (dx != null) {
            double[] dxs = data(dx);
            int dxo = dx.offset();
            Parallel.forEach(batch, (long) in * out, n -> {
                int r = dxo + n * in;
                for (int o = 0; o < out; o++) {
                    double gv = g[go + n * out + o];
                    int wr = wo + o * in;
                    for (int i = 0; i < in; i++) dxs[r + i] += gv * ws[wr + i];
                }
            });
        }
        if (dw == null && db == null) return;
        // One thread owns each output row, summing over the batch in order: deterministic.
        double[] dws = dw == null ? null : data(dw), dbs = db == null ? null : data(db);
        int dwo = dw == null ? 0 : dw.offset(), dbo = db == null ? 0 : db.offset();
        Parallel.forEach(out, (long) batch * in, o -> {
            double bsum = 0;
            int r = dwo + o * in;
            for (int n = 0; n < batch; n++) {
                double gv = g[go + n * out + o];
                bsum += gv;
                if (dws != null) {
                    int xr = xo + n * in;
                    for (int i = 0; i < in; i++) dws[r + i] += gv * xs[xr + i];
                }
            }
            if (dbs != null) dbs[dbo + o] += bsum;
        });
    }
}
