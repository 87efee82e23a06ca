package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.CudaDtype;
import dev.reparam.cuda.DeviceBuffer;
import dev.reparam.cuda.IntDeviceBuffer;
import dev.reparam.cuda.Kernel;
import dev.reparam.cuda.KernelArgs;
import dev.reparam.cuda.LaunchGeometry;
import dev.reparam.cuda.LoadedKernels;

/**
 * The launches of the Navier-Stokes kernels (kernels/ns/*.cu) for one grid and dtype: one method
 * per kernel, arguments in the kernel's declaration order, so this file is the one place to read
 * against the kernels' signatures. {@code k} is the number of problems in the batch.
 */
final class NsKernels {
    private final LoadedKernels kernels;
    private final CudaDtype t;
    private final NsGeometry g;
    private final IntDeviceBuffer open;

    NsKernels(LoadedKernels kernels, CudaDtype dtype, NsGeometry geometry, IntDeviceBuffer open) {
        this.kernels = kernels;
        this.t = dtype;
        this.g = geometry;
        this.open = open;
    }

    CudaDtype dtype() { return t; }

    NsGeometry geometry() { return g; }

    private KernelArgs args() {
        return new KernelArgs(t);
    }

    // ---- ns_advection.cu ----------------------------------------------------------------------
    void advectForward(DeviceBuffer s, DeviceBuffer out, double dt, int k) {
        kernels.launch(Kernel.NS_ADVECT_FORWARD, t, g.faceBlocks(k),
                args().buffer("s", s).buffer("out", out).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).scalar("dt", dt).i32("problems", k));
    }

    /** base [2 k size] ints, coef [5 k size] values (five arrays of k size: tx, ty, b, own, cross). */
    void advectAdjointPrepare(DeviceBuffer s, DeviceBuffer outBar, double dt, int k, IntDeviceBuffer base,
            DeviceBuffer coef) {
        kernels.launch(Kernel.NS_ADVECT_ADJOINT_PREPARE, t, g.faceBlocks(k),
                args().buffer("s", s).buffer("outBar", outBar)
                .buffer("open", open).i32("w", g.w).i32("h", g.h).scalar("dt", dt).i32("problems", k)
                .buffer("base", base).buffer("coef", coef));
    }

    /** One block per problem. */
    void advectReach(IntDeviceBuffer base, IntDeviceBuffer reach, int k) {
        kernels.launch(Kernel.NS_ADVECT_REACH, t, k, args().buffer("base", base).i32("w", g.w).i32("h", g.h)
                .buffer("reach", reach));
    }

    void advectAdjointGather(IntDeviceBuffer base, DeviceBuffer coef, IntDeviceBuffer reach, int k, DeviceBuffer sBar) {
        kernels.launch(Kernel.NS_ADVECT_ADJOINT_GATHER, t, g.faceBlocks(k),
                args().buffer("base", base).buffer("coef", coef)
                .buffer("reach", reach).i32("w", g.w).i32("h", g.h).i32("problems", k).buffer("sBar", sBar));
    }

    // ---- ns_projection.cu ---------------------------------------------------------------------
    void cgStart(DeviceBuffer a, DeviceBuffer q, DeviceBuffer r, DeviceBuffer d, DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_CG_START, t, g.cellBlocks(k),
                args().buffer("a", a).buffer("open", open).i32("w", g.w).i32("h", g.h)
                .i32("chunks", g.chunks).buffer("q", q).buffer("r", r).buffer("d", d).buffer("partials", partials)
                .i32("problems", k));
    }

    /** One block per problem. */
    void cgStartScalars(DeviceBuffer partials, double tol2, double floor2, DeviceBuffer rz, DeviceBuffer stop,
            IntDeviceBuffer done, int k) {
        kernels.launch(Kernel.NS_CG_START_SCALARS, t, k, args().buffer("partials", partials).i32("chunks", g.chunks)
                .i32("problems", k)
                .f64("tol2", tol2).f64("floor2", floor2).buffer("rz", rz).buffer("stop", stop).buffer("done", done));
    }

    void cgPoissonDot(DeviceBuffer d, DeviceBuffer ad, IntDeviceBuffer done, DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_CG_POISSON_DOT, t, g.cellBlocks(k),
                args().buffer("d", d).buffer("ad", ad).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).buffer("done", done).buffer("partials", partials)
                .i32("problems", k));
    }

    void cgUpdate(DeviceBuffer q, DeviceBuffer r, DeviceBuffer d, DeviceBuffer ad, DeviceBuffer rz,
            IntDeviceBuffer done, DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_CG_UPDATE, t, g.cellBlocks(k),
                args().buffer("q", q).buffer("r", r).buffer("d", d).buffer("ad", ad)
                .buffer("open", open).i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).buffer("rz", rz)
                .buffer("done", done).buffer("partials", partials).i32("problems", k));
    }

    void cgDirection(DeviceBuffer d, DeviceBuffer r, DeviceBuffer partials, DeviceBuffer rzIn, DeviceBuffer rzOut,
            DeviceBuffer stop, IntDeviceBuffer doneIn, IntDeviceBuffer doneOut, int iteration, int k) {
        kernels.launch(Kernel.NS_CG_DIRECTION, t, g.cellBlocks(k),
                args().buffer("d", d).buffer("r", r).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).buffer("partials", partials).buffer("rzIn", rzIn)
                .buffer("rzOut", rzOut).buffer("stop", stop).buffer("doneIn", doneIn).buffer("doneOut", doneOut)
                .i32("iteration", iteration).i32("problems", k));
    }

    /** q += alpha d, r -= alpha Ad and the r.r partials; the r.z partials come from {@link #ssorRed}. */
    void cgResidualUpdate(DeviceBuffer q, DeviceBuffer r, DeviceBuffer d, DeviceBuffer ad, DeviceBuffer rz,
            IntDeviceBuffer done, DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_CG_RESIDUAL_UPDATE, t, g.cellBlocks(k),
                args().buffer("q", q).buffer("r", r).buffer("d", d)
                .buffer("ad", ad).i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).buffer("rz", rz)
                .buffer("done", done).buffer("partials", partials).i32("problems", k));
    }

    /** d = z + beta d: the direction update when z is the preconditioner's output buffer. */
    void cgDirectionZ(DeviceBuffer d, DeviceBuffer z, DeviceBuffer partials, DeviceBuffer rzIn, DeviceBuffer rzOut,
            DeviceBuffer stop, IntDeviceBuffer doneIn, IntDeviceBuffer doneOut, int iteration, int k) {
        kernels.launch(Kernel.NS_CG_DIRECTION_Z, t, g.cellBlocks(k), args().buffer("d", d).buffer("z", z).i32("w", g.w)
                .i32("h", g.h).i32("chunks", g.chunks).buffer("partials", partials).buffer("rzIn", rzIn)
                .buffer("rzOut", rzOut)
                .buffer("stop", stop).buffer("doneIn", doneIn).buffer("doneOut", doneOut).i32("iteration", iteration)
                .i32("problems", k));
    }

    /** The black half of red-black SSOR; start: every problem runs (done is read only when false). */
    void ssorBlack(DeviceBuffer r, DeviceBuffer z, double omega, IntDeviceBuffer done, boolean start, int k) {
        kernels.launch(Kernel.NS_SSOR_BLACK, t, g.cellBlocks(k),
                args().buffer("r", r).buffer("z", z).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).scalar("omega", omega).buffer("done", done)
                .i32("start", start ? 1 : 0).i32("problems", k));
    }

    /** The red half of red-black SSOR and the r.z partials; start: also d = z. */
    void ssorRed(DeviceBuffer r, DeviceBuffer z, DeviceBuffer d, double omega, IntDeviceBuffer done, boolean start,
                 DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_SSOR_RED, t, g.cellBlocks(k), args().buffer("r", r).buffer("z", z).buffer("d", d)
                .buffer("open", open).i32("w", g.w).i32("h", g.h).i32("chunks", g.chunks).scalar("omega", omega)
                .buffer("done", done).i32("start", start ? 1 : 0).buffer("partials", partials).i32("problems", k));
    }

    // multigrid (ns_multigrid.cuh): a level's couplings live in a DeviceMgLevel
    private static int levelBlocks(DeviceMgLevel l, int k) {
        return Math.multiplyExact(k, l.chunks);
    }

    void mgPresmooth(DeviceBuffer b, DeviceBuffer z, DeviceMgLevel l, IntDeviceBuffer done, boolean start, int k) {
        kernels.launch(Kernel.NS_MG_PRESMOOTH, t, levelBlocks(l, k),
                args().buffer("b", b).buffer("z", z).buffer("east", l.east)
                .buffer("north", l.north).i32("w", l.w).i32("h", l.h).i32("chunks", l.chunks).buffer("done", done)
                .i32("start", start ? 1 : 0));
    }

    /**
     * colour 0 red, 1 black; rzPartial: level 0's last sweep, which writes the r.z partials (and d = z at the start).
     */
    void mgSmooth(DeviceBuffer b, DeviceBuffer z, DeviceBuffer d, DeviceMgLevel l, int colour, IntDeviceBuffer done,
            boolean start, boolean rzPartial, DeviceBuffer partials, int k) {
        kernels.launch(Kernel.NS_MG_SMOOTH, t, levelBlocks(l, k), args().buffer("b", b).buffer("z", z).buffer("d", d)
                .buffer("east", l.east).buffer("north", l.north).i32("w", l.w).i32("h", l.h).i32("chunks", l.chunks)
                .i32("colour", colour)
                .buffer("done", done).i32("start", start ? 1 : 0).i32("rzPartial", rzPartial ? 1 : 0)
                .buffer("partials", partials).i32("problems", k));
    }

    /** One thread per cell of the coarse level c. */
    void mgRestrict(DeviceBuffer b, DeviceBuffer z, DeviceMgLevel l, DeviceBuffer bc, DeviceMgLevel c,
            IntDeviceBuffer done, boolean start, int k) {
        kernels.launch(Kernel.NS_MG_RESTRICT, t, levelBlocks(c, k),
                args().buffer("b", b).buffer("z", z).buffer("east", l.east)
                .buffer("north", l.north).i32("w", l.w).i32("h", l.h).buffer("bc", bc).i32("wc", c.w).i32("hc", c.h)
                .i32("chunksC", c.chunks).buffer("done", done).i32("start", start ? 1 : 0));
    }

    void mgCorrect(DeviceBuffer z, DeviceBuffer zc, DeviceMgLevel l, DeviceMgLevel c, double scale,
            IntDeviceBuffer done, boolean start, int k) {
        kernels.launch(Kernel.NS_MG_CORRECT, t, levelBlocks(l, k),
                args().buffer("z", z).buffer("zc", zc).buffer("east", l.east)
                .buffer("north", l.north).i32("w", l.w).i32("h", l.h).i32("wc", c.w).i32("hc", c.h)
                .scalar("scale", scale).i32("chunks", l.chunks).buffer("done", done).i32("start", start ? 1 : 0));
    }

    /** One block per problem. */
    void mgCoarsest(DeviceBuffer b, DeviceBuffer z, DeviceMgLevel l, IntDeviceBuffer done, boolean start, int k) {
        kernels.launch(Kernel.NS_MG_COARSEST, t, k, args().buffer("b", b).buffer("z", z).buffer("east", l.east)
                .buffer("north", l.north)
                .i32("w", l.w).i32("h", l.h).buffer("done", done).i32("start", start ? 1 : 0));
    }

    void projectSubtract(DeviceBuffer a, DeviceBuffer q, int k, DeviceBuffer out) {
        kernels.launch(Kernel.NS_PROJECT_SUBTRACT, t, g.faceBlocks(k),
                args().buffer("a", a).buffer("q", q).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).i32("problems", k).buffer("out", out));
    }

    // ---- ns_forces.cu -------------------------------------------------------------------------
    void viscosity(DeviceBuffer a, DeviceBuffer out, double c, boolean transpose, int k) {
        kernels.launch(Kernel.NS_VISCOSITY, t, g.faceBlocks(k),
                args().buffer("a", a).buffer("out", out).buffer("open", open)
                .i32("w", g.w).i32("h", g.h).scalar("c", c).i32("transpose", transpose ? 1 : 0).i32("problems", k));
    }

    void forceInitial(DeviceBuffer initial, DeviceBuffer params, int k, DeviceBuffer out) {
        kernels.launch(Kernel.NS_FORCE_INITIAL, t, g.faceBlocks(k),
                args().buffer("initial", initial).buffer("params", params)
                .buffer("open", open).i32("w", g.w).i32("h", g.h).i32("problems", k).buffer("out", out));
    }

    /** One block per problem; grad is a float64 buffer whatever the dtype. */
    void forceGradient(DeviceBuffer bar, DeviceBuffer params, int k, DeviceBuffer grad) {
        kernels.launch(Kernel.NS_FORCE_GRADIENT, t, k, args().buffer("bar", bar).buffer("params", params)
                .buffer("open", open).i32("w", g.w).i32("h", g.h).buffer("grad", grad));
    }

    // ---- ns_loss.cu ---------------------------------------------------------------------------
    void gatherRows(DeviceBuffer src, IntDeviceBuffer rows, int length, int k, DeviceBuffer dst) {
        kernels.launch(Kernel.NS_GATHER_ROWS, t, LaunchGeometry.elementwiseBlocks(Math.toIntExact((long) k * length)),
                args().buffer("src", src).buffer("rows", rows).i32("length", length).i32("k", k).buffer("dst", dst));
    }

    /** One block per problem; loss is a float64 buffer whatever the dtype. */
    void observeLoss(DeviceBuffer state, DeviceBuffer targets, int k, DeviceBuffer bar, DeviceBuffer loss) {
        kernels.launch(Kernel.NS_OBSERVE_LOSS, t, k, args().buffer("state", state).buffer("targets", targets)
                .i32("w", g.w).i32("h", g.h).buffer("bar", bar).buffer("loss", loss));
    }
}
