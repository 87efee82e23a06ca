package dev.reparam.sim.ns;

/**
 * Staggered (MAC) grid of W x H unit cells with closed walls and solid obstacle cells. A velocity
 * state is one array of {@link #size()} values: u on the vertical faces, u(i, j) at position
 * (i, j + 1/2) for i in [0, W], j in [0, H), index j (W + 1) + i; then v on the horizontal faces,
 * v(i, j) at (i + 1/2, j) for i in [0, W), j in [0, H], index (W + 1) H + j W + i.
 *
 * <p>A face is <em>open</em> when both cells beside it are fluid; every other face (the walls and
 * faces touching a solid cell) is <em>closed</em> and carries zero normal velocity. Every operator
 * of the step writes zero to closed faces, so closed-face entries of an input are never read.
 */
public final class MacGrid {
    public final int w, h;
    private final boolean[] solid;
    private final boolean[] open;
    private final int uSize, size;

    /** {@code solid} has W H entries, cell (i, j) at j W + i; null means no obstacles. */
    public MacGrid(int w, int h, boolean[] solid) {
        if (w < 2 || h < 2) throw new IllegalArgumentException("need at least 2 x 2 cells, got " + w + " x " + h);
        if (solid != null && solid.length != w * h) {
            throw new IllegalArgumentException("solid mask needs W H = " + w * h + " entries");
        }
        this.w = w;
        this.h = h;
        this.solid = solid == null ? new boolean[w * h] : solid.clone();
        this.uSize = (w + 1) * h;
        this.size = uSize + w * (h + 1);
        this.open = new boolean[size];
        for (int j = 0; j < h; j++) {
            for (int i = 1; i < w; i++) open[u(i, j)] = fluid(i - 1, j) && fluid(i, j);
        }
        for (int j = 1; j < h; j++) {
            for (int i = 0; i < w; i++) open[v(i, j)] = fluid(i, j - 1) && fluid(i, j);
        }
    }

    /** Solid rectangles {x0, y0, x1, y1}: cells x0 <= i < x1, y0 <= j < y1. */
    public static MacGrid withRectangles(int w, int h, int[]... rectangles) {
        boolean[] solid = new boolean[w * h];
        for (int[] r : rectangles) {
            for (int j = Math.max(0, r[1]); j < Math.min(h, r[3]); j++) {
                for (int i = Math.max(0, r[0]); i < Math.min(w, r[2]); i++) solid[j * w + i] = true;
            }
        }
        return new MacGrid(w, h, solid);
    }

    /**
     * The experiment's layout: three fixed rectangular obstacles in the middle band, each a tenth
     * of the width wide and of the height high, at x in [0.15, 0.25], [0.45, 0.55], [0.75, 0.85]
     * of W and y in [0.40, 0.50], [0.50, 0.60], [0.40, 0.50] of H.
     */
    public static MacGrid threeObstacles(int w, int h) {
        double[][] r = {{0.15, 0.40}, {0.45, 0.50}, {0.75, 0.40}};
        int[][] cells = new int[3][];
        for (int k = 0; k < 3; k++) {
            int x0 = (int) Math.round(r[k][0] * w), y0 = (int) Math.round(r[k][1] * h);
            cells[k] = new int[] {x0, y0, x0 + Math.max(1, (int) Math.round(0.1 * w)),
                    y0 + Math.max(1, (int) Math.round(0.1 * h))};
        }
        return withRectangles(w, h, cells);
    }

    /** Number of values of a velocity state. */
    public int size() { return size; }

    /** Number of u values; v values start here. */
    public int uSize() { return uSize; }

    public int cells() { return w * h; }

    public int u(int i, int j) { return j * (w + 1) + i; }

    public int v(int i, int j) { return uSize + j * w + i; }

    public boolean fluid(int i, int j) { return !solid[j * w + i]; }

    public boolean open(int face) { return open[face]; }

    /** Zeroes the closed faces of {@code state[offset..offset + size)}. */
    public void maskClosed(double[] state, int offset) {
        for (int f = 0; f < size; f++) if (!open[f]) state[offset + f] = 0;
    }

    /**
     * The observed top half y >= H/2: u rows j >= H/2 and v rows j >= H/2, two contiguous ranges
     * of a state. Returns {start, end} pairs.
     */
    int[] observedRanges() {
        return new int[] {u(0, h / 2), uSize, v(0, h / 2), size};
    }

    /** Number of observed values per problem. */
    public int observedSize() {
        int[] r = observedRanges();
        return r[1] - r[0] + r[3] - r[2];
    }

    /** Copies the observed top half of each of the {@code problems} states into a new array. */
    public double[] observe(double[] states, int problems) {
        int obs = observedSize();
        int[] r = observedRanges();
        double[] out = new double[problems * obs];
        for (int p = 0; p < problems; p++) {
            System.arraycopy(states, p * size + r[0], out, p * obs, r[1] - r[0]);
            System.arraycopy(states, p * size + r[2], out, p * obs + r[1] - r[0], r[3] - r[2]);
        }
        return out;
    }
}
