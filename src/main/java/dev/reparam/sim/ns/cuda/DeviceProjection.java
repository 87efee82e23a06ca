package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.sim.ns.MacGrid;

/**
 * The pressure projection P a = M a - D_M^T q, A q = D_M a, of a batch of problems on the device
 * (kernels/ns/ns_projection.cu): preconditioned CG ({@link CgPreconditioner}: multigrid V-cycle,
 * red-black SSOR or Jacobi) from q = 0 with the CPU's stopping rule |r| <= max(tol |D_M a|, 1e-14 |M a|), each
 * problem stopping on its own (a finished problem's blocks return at once). The per-problem
 * scalars stay on the device; the host only reads the per-problem "done" flags every
 * {@link #checkEvery} iterations to end the loop.
 */
final class DeviceProjection {
    /**
     * Iterations between reads of the done flags: a read costs a synchronisation (the device idles
     * for the round trip), a late stop costs the launches of the extra iterations (their blocks
     * return at once). Multigrid converges in about 9 iterations of 29 launches each, so checking
     * every 8 would launch about half a solve for nothing; Jacobi and SSOR take 100-400 short ones.
     */
    static int checkEvery(CgPreconditioner p) {
        return p == CgPreconditioner.MULTIGRID ? 2 : 8;
    }

    static final double ROUNDOFF_FLOOR = 1e-14;

    private final NsKernels k;
    private final CgPreconditioner preconditioner;
    private final int checkEvery;
    private final double tol2, floor2;
    private final int maxIterations;
    /** z: the preconditioner's output (Jacobi computes z = r / diag where it is used and needs no buffer). */
    private final DeviceBuffer q, r, d, ad, z, partials, stop;
    /** Multigrid only: levels 0 (the cells) .. coarsest, and each coarse level's right-hand side and solution. */
    private final DeviceMgLevel[] levels;
    private final DeviceBuffer[] levelB, levelZ;
    private final DeviceBuffer[] rz = new DeviceBuffer[2];
    private final IntDeviceBuffer[] done = new IntDeviceBuffer[2];
    private int[] lastIterations = new int[0];
    private long totalIterations;

    DeviceProjection(NsKernels kernels, DeviceArena arena, MacGrid grid, double tolerance,
            CgPreconditioner preconditioner, int capacity) {
        if (!(tolerance > 0)) throw new IllegalArgumentException("CG tolerance must be > 0, got " + tolerance);
        if (preconditioner == null) {
            throw new IllegalArgumentException("CG preconditioner must be given (MULTIGRID, RED_BLACK_SSOR or JACOBI)");
        }
        this.k = kernels;
        this.preconditioner = preconditioner;
        this.checkEvery = checkEvery(preconditioner);
        this.tol2 = tolerance * tolerance;
        this.floor2 = ROUNDOFF_FLOOR * ROUNDOFF_FLOOR;
        NsGeometry g = kernels.geometry();
        this.maxIterations = 10 * g.cells;
        CudaDtype t = kernels.dtype();
        long cells = (long) capacity * g.cells;
        q = arena.values(cells, t);
        r = arena.values(cells, t);
        d = arena.values(cells, t);
        ad = arena.values(cells, t);
        z = preconditioner == CgPreconditioner.JACOBI ? null : arena.values(cells, t);
        if (preconditioner == CgPreconditioner.MULTIGRID) {
            var hierarchy = NsMultigrid.levels(grid);
            levels = new DeviceMgLevel[hierarchy.size()];
            levelB = new DeviceBuffer[hierarchy.size()];
            levelZ = new DeviceBuffer[hierarchy.size()];
            for (int l = 0; l < levels.length; l++) {
                levels[l] = new DeviceMgLevel(hierarchy.get(l), arena);
                if (l > 0) {
                    levelB[l] = arena.values((long) capacity * levels[l].cells, t);
                    levelZ[l] = arena.values((long) capacity * levels[l].cells, t);
                }
            }
            levelB[0] = r;
            levelZ[0] = z;
        } else {
            levels = null;
            levelB = levelZ = null;
        }
        partials = arena.values(4L * capacity * g.chunks, CudaDtype.FLOAT64);
        stop = arena.values(capacity, CudaDtype.FLOAT64);
        for (int s = 0; s < 2; s++) {
            rz[s] = arena.values(capacity, CudaDtype.FLOAT64);
            done[s] = arena.ints(capacity);
        }
    }

    /** out = P a for problems [0, n); out may be a. */
    void apply(DeviceBuffer a, DeviceBuffer out, int n) {
        boolean jacobi = preconditioner == CgPreconditioner.JACOBI;
        // cg_start writes Jacobi's d and r.z partials; SSOR and multigrid overwrite both before the scalars read them
        k.cgStart(a, q, r, d, partials, n);
        if (!jacobi) precondition(done[0], true, n);
        k.cgStartScalars(partials, tol2, floor2, rz[0], stop, done[0], n);
        for (int it = 0; ; it++) {
            IntDeviceBuffer current = done[it % 2];
            if (it % checkEvery == 0 || it == maxIterations) {
                int[] flags = current.download(n);
                if (allDone(flags)) {
                    record(flags);
                    break;
                }
                if (it == maxIterations) {
                    throw new IllegalStateException("CG did not converge in " + maxIterations + " iterations");
                }
            }
            k.cgPoissonDot(d, ad, current, partials, n);
            if (jacobi) {
                k.cgUpdate(q, r, d, ad, rz[it % 2], current, partials, n);
                k.cgDirection(d, r, partials, rz[it % 2], rz[(it + 1) % 2], stop, current, done[(it + 1) % 2], it, n);
            } else {
                k.cgResidualUpdate(q, r, d, ad, rz[it % 2], current, partials, n);
                precondition(current, false, n);
                k.cgDirectionZ(d, z, partials, rz[it % 2], rz[(it + 1) % 2], stop, current, done[(it + 1) % 2], it, n);
            }
        }
        k.projectSubtract(a, q, n, out);
    }

    /** z = M^-1 r and the r.z partials; at the start also d = z. */
    private void precondition(IntDeviceBuffer current, boolean start, int n) {
        if (preconditioner == CgPreconditioner.MULTIGRID) {
            vcycle(0, current, start, n);
        } else {
            k.ssorBlack(r, z, CgPreconditioner.SSOR_OMEGA, current, start, n);
            k.ssorRed(r, z, d, CgPreconditioner.SSOR_OMEGA, current, start, partials, n);
        }
    }

    /** levelZ[l] = V-cycle(levelB[l]) from zero (kernels/ns/ns_multigrid.cuh); level 0 is r -> z. */
    private void vcycle(int l, IntDeviceBuffer current, boolean start, int n) {
        DeviceMgLevel level = levels[l];
        DeviceBuffer b = levelB[l], x = levelZ[l];
        if (l == levels.length - 1) {
            k.mgCoarsest(b, x, level, current, start, n);
            return;
        }
        DeviceMgLevel coarse = levels[l + 1];
        k.mgPresmooth(b, x, level, current, start, n);
        k.mgRestrict(b, x, level, levelB[l + 1], coarse, current, start, n);
        vcycle(l + 1, current, start, n);
        k.mgCorrect(x, levelZ[l + 1], level, coarse, CgPreconditioner.MG_SCALE, current, start, n);
        k.mgSmooth(b, x, d, level, 1, current, start, false, partials, n);
        k.mgSmooth(b, x, d, level, 0, current, start, l == 0, partials, n);
    }

    CgPreconditioner preconditioner() { return preconditioner; }

    static boolean allDone(int[] flags) {
        for (int f : flags) if (f < 0) return false;
        return true;
    }

    private void record(int[] flags) {
        lastIterations = flags;
        for (int f : flags) totalIterations += f;
    }

    /** CG iterations of each problem in the last {@link #apply}. */
    int[] lastIterations() { return lastIterations.clone(); }

    /** CG iterations summed over problems and calls. */
    long totalIterations() { return totalIterations; }
}
