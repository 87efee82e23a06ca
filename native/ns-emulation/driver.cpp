// Runs kernels/ns_*.cu on the CPU (cuda_emu.h) with the host orchestration of dev.reparam.cuda.ns
// (same kernels, order, ping-pong slots and done-flag protocol) and compares with the Java CPU
// reference written by NsDump.java. Quick grid: 32 x 32, three obstacles, 3 problems, 8 steps.
//   driver <data dir> [quick|step|all] [f64|f32] [mg|ssor|jacobi]   (CG preconditioner; default mg, as the Java)
#include "cuda_emu.h"
#include "../../kernels/ns_advection.cu"
#include "../../kernels/ns_projection.cu"
#include "../../kernels/ns_forces.cu"
#include "../../kernels/ns_loss.cu"
#include <fstream>
#include <random>
#include <string>

typedef std::vector<double> V;
static std::string DATA;
template <class X> std::vector<X> load(const char* n) {
    std::ifstream f(DATA + "/" + n, std::ios::binary);
    if (!f) { fprintf(stderr, "missing %s/%s (run NsDump first)\n", DATA.c_str(), n); exit(2); }
    f.seekg(0, std::ios::end); size_t b = f.tellg(); f.seekg(0);
    std::vector<X> v(b / sizeof(X)); f.read((char*)v.data(), b); return v;
}
const int W = 32, H = 32, P = 3, STEPS = 8; const double DT = 1, NU = 0.01;
const int SIZE = (W + 1) * H + W * (H + 1), CELLS = W * H, CHUNKS = (CELLS + 255) / 256;
const int OBS = (W + 1) * (H - H / 2) + W * (H - H / 2 + 1);
static std::vector<int> OPEN;
static int faceBlocks(int k) { return std::min(65536, (k * SIZE + 255) / 256); }
static double rel(const V& got, const V& want) { double d = 0, n = 0; for (size_t i = 0; i < want.size(); i++) { d += (got[i]-want[i])*(got[i]-want[i]); n += want[i]*want[i]; } return std::sqrt(d / n); }

// the entry points per dtype
template <class T> struct K;
#define ENTRIES(T, S) template <> struct K<T> { \
    static constexpr auto advect = ns_advect_forward_##S; static constexpr auto prepare = ns_advect_adjoint_prepare_##S; \
    static constexpr auto gather = ns_advect_adjoint_gather_##S; static constexpr auto start = ns_cg_start_##S; \
    static constexpr auto poisson = ns_cg_poisson_dot_##S; static constexpr auto update = ns_cg_update_##S; \
    static constexpr auto direction = ns_cg_direction_##S; static constexpr auto subtract = ns_project_subtract_##S; \
    static constexpr auto residualUpdate = ns_cg_residual_update_##S; static constexpr auto directionZ = ns_cg_direction_z_##S; \
    static constexpr auto ssorBlack = ns_ssor_black_##S; static constexpr auto ssorRed = ns_ssor_red_##S; \
    static constexpr auto mgPresmooth = ns_mg_presmooth_##S; static constexpr auto mgSmooth = ns_mg_smooth_##S; \
    static constexpr auto mgRestrict = ns_mg_restrict_##S; static constexpr auto mgCorrect = ns_mg_correct_##S; \
    static constexpr auto mgCoarsest = ns_mg_coarsest_##S; \
    static constexpr auto viscosity = ns_viscosity_##S; static constexpr auto force = ns_force_initial_##S; \
    static constexpr auto forceGrad = ns_force_gradient_##S; static constexpr auto rows = ns_gather_rows_##S; \
    static constexpr auto loss = ns_observe_loss_##S; };
ENTRIES(double, f64)
ENTRIES(float, f32)

template <class T> std::vector<T> cast(const V& a) { return std::vector<T>(a.begin(), a.end()); }
template <class T> V back(const std::vector<T>& a) { return V(a.begin(), a.end()); }

enum Pre { JACOBI_PRE, SSOR_PRE, MG_PRE };
static Pre PRE = MG_PRE;           // the CG preconditioner (CgPreconditioner)
static const double OMEGA = 1.0;   // CgPreconditioner.SSOR_OMEGA
static const double MG_SCALE = 1.8;  // CgPreconditioner.MG_SCALE
struct Level { int w, h; std::vector<int> east, north; int cells() const { return w * h; } int chunks() const { return (w * h + 255) / 256; } };
static std::vector<Level> LEVELS;  // NsMultigrid.levels
static void buildLevels() {
    Level f{W, H, std::vector<int>(CELLS), std::vector<int>(CELLS)};
    for (int j = 0; j < H; j++) for (int i = 0; i < W; i++) {
        f.east[j * W + i] = i + 1 < W && OPEN[j * (W + 1) + i + 1];
        f.north[j * W + i] = j + 1 < H && OPEN[(W + 1) * H + (j + 1) * W + i]; }
    LEVELS = {f};
    while (LEVELS.size() == 1 || LEVELS.back().w > 4 || LEVELS.back().h > 4) {
        const Level& l = LEVELS.back(); int wc = (l.w + 1) / 2, hc = (l.h + 1) / 2;
        Level c{wc, hc, std::vector<int>(wc * hc), std::vector<int>(wc * hc)};
        for (int j = 0; j < l.h; j++) for (int i = 0; i < l.w; i++) {
            int cc = (j / 2) * wc + i / 2;
            if (i % 2 == 1 && i + 1 < l.w) c.east[cc] += l.east[j * l.w + i];
            if (j % 2 == 1 && j + 1 < l.h) c.north[cc] += l.north[j * l.w + i]; }
        LEVELS.push_back(c);
    }
}
template <class T> struct Projection {  // DeviceProjection
    double tol;
    std::vector<T> q, r, d, ad, z; V partials, stop, rz[2]; std::vector<int> done[2], last;
    std::vector<std::vector<T>> lb, lz;  // multigrid: levels >= 1 (DeviceProjection.levelB, levelZ)
    Projection(double tol) : tol(tol), q(P*CELLS), r(P*CELLS), d(P*CELLS), ad(P*CELLS), z(P*CELLS, T(12345)), partials(4*P*CHUNKS), stop(P) {
        for (int s = 0; s < 2; s++) { rz[s].assign(P, 0); done[s].assign(P, 0); }
        for (auto& l : LEVELS) { lb.emplace_back(P * l.cells(), T(12345)); lz.emplace_back(P * l.cells(), T(12345)); } }
    T* B(int l) { return l == 0 ? r.data() : lb[l].data(); }
    T* Z(int l) { return l == 0 ? z.data() : lz[l].data(); }
    void vcycle(int l, std::vector<int>& cur, int start, int n) {  // DeviceProjection.vcycle
        const Level& L = LEVELS[l];
        if (l + 1 == (int)LEVELS.size()) {
            emu_launch(n, true, [&] { K<T>::mgCoarsest(B(l), Z(l), L.east.data(), L.north.data(), L.w, L.h, cur.data(), start); });
            return;
        }
        const Level& C = LEVELS[l + 1];
        emu_launch(n * L.chunks(), false, [&] { K<T>::mgPresmooth(B(l), Z(l), L.east.data(), L.north.data(), L.w, L.h, L.chunks(), cur.data(), start); });
        emu_launch(n * C.chunks(), false, [&] { K<T>::mgRestrict(B(l), Z(l), L.east.data(), L.north.data(), L.w, L.h, B(l + 1), C.w, C.h, C.chunks(), cur.data(), start); });
        vcycle(l + 1, cur, start, n);
        emu_launch(n * L.chunks(), false, [&] { K<T>::mgCorrect(Z(l), Z(l + 1), L.east.data(), L.north.data(), L.w, L.h, C.w, C.h, T(MG_SCALE), L.chunks(), cur.data(), start); });
        emu_launch(n * L.chunks(), true, [&] { K<T>::mgSmooth(B(l), Z(l), d.data(), L.east.data(), L.north.data(), L.w, L.h, L.chunks(), 1, cur.data(), start, 0, partials.data(), n); });
        emu_launch(n * L.chunks(), true, [&] { K<T>::mgSmooth(B(l), Z(l), d.data(), L.east.data(), L.north.data(), L.w, L.h, L.chunks(), 0, cur.data(), start, l == 0, partials.data(), n); });
    }
    void precondition(std::vector<int>& cur, int start, int n) {
        if (PRE == MG_PRE) vcycle(0, cur, start, n); else ssor(cur, start, n);
    }
    void ssor(std::vector<int>& cur, int start, int n) {
        emu_launch(n * CHUNKS, false, [&] { K<T>::ssorBlack(r.data(), z.data(), OPEN.data(), W, H, CHUNKS, T(OMEGA), cur.data(), start, n); });
        emu_launch(n * CHUNKS, true, [&] { K<T>::ssorRed(r.data(), z.data(), d.data(), OPEN.data(), W, H, CHUNKS, T(OMEGA), cur.data(), start, partials.data(), n); });
    }
    void apply(const std::vector<T>& a, std::vector<T>& out, int n) {
        emu_launch(n * CHUNKS, true, [&] { K<T>::start(a.data(), OPEN.data(), W, H, CHUNKS, q.data(), r.data(), d.data(), partials.data(), n); });
        if (PRE != JACOBI_PRE) precondition(done[0], 1, n);
        emu_launch(n, true, [&] { ns_cg_start_scalars_f64(partials.data(), CHUNKS, n, tol * tol, 1e-14 * 1e-14, rz[0].data(), stop.data(), done[0].data()); });
        int maxIt = 10 * CELLS;
        for (int it = 0;; it++) {
            auto& cur = done[it % 2];
            if (it % (PRE == MG_PRE ? 2 : 8) == 0 || it == maxIt) {  // DeviceProjection.checkEvery
                bool all = true; for (int p = 0; p < n; p++) all &= cur[p] >= 0;
                if (all) { last.assign(cur.begin(), cur.begin() + n); break; }
                if (it == maxIt) { printf("CG did not converge in %d iterations\n", maxIt); exit(1); }
            }
            emu_launch(n * CHUNKS, true, [&] { K<T>::poisson(d.data(), ad.data(), OPEN.data(), W, H, CHUNKS, cur.data(), partials.data(), n); });
            if (PRE == JACOBI_PRE) {
                emu_launch(n * CHUNKS, true, [&] { K<T>::update(q.data(), r.data(), d.data(), ad.data(), OPEN.data(), W, H, CHUNKS, rz[it % 2].data(), cur.data(), partials.data(), n); });
                emu_launch(n * CHUNKS, true, [&] { K<T>::direction(d.data(), r.data(), OPEN.data(), W, H, CHUNKS, partials.data(), rz[it % 2].data(), rz[(it + 1) % 2].data(), stop.data(), cur.data(), done[(it + 1) % 2].data(), it, n); });
            } else {
                emu_launch(n * CHUNKS, true, [&] { K<T>::residualUpdate(q.data(), r.data(), d.data(), ad.data(), W, H, CHUNKS, rz[it % 2].data(), cur.data(), partials.data(), n); });
                precondition(cur, 0, n);
                emu_launch(n * CHUNKS, true, [&] { K<T>::directionZ(d.data(), z.data(), W, H, CHUNKS, partials.data(), rz[it % 2].data(), rz[(it + 1) % 2].data(), stop.data(), cur.data(), done[(it + 1) % 2].data(), it, n); });
            }
        }
        emu_launch(faceBlocks(n), false, [&] { K<T>::subtract(a.data(), q.data(), OPEN.data(), W, H, n, out.data()); });
    }
};
template <class T> struct Advection {  // DeviceAdvection
    std::vector<int> base, reach; std::vector<T> coef;
    Advection() : base(2*P*SIZE), reach(P), coef(5*P*SIZE) {}
    void forward(const std::vector<T>& s, std::vector<T>& out, int n) { emu_launch(faceBlocks(n), false, [&] { K<T>::advect(s.data(), out.data(), OPEN.data(), W, H, T(DT), n); }); }
    void adjoint(const std::vector<T>& s, const std::vector<T>& ob, std::vector<T>& sb, int n) {
        emu_launch(faceBlocks(n), false, [&] { K<T>::prepare(s.data(), ob.data(), OPEN.data(), W, H, T(DT), n, base.data(), coef.data()); });
        emu_launch(n, true, [&] { ns_advect_reach_f64(base.data(), W, H, reach.data()); });
        emu_launch(faceBlocks(n), false, [&] { K<T>::gather(base.data(), coef.data(), reach.data(), W, H, n, sb.data()); });
    }
};
template <class T> struct Step {  // DeviceFluidStep
    Advection<T> adv; Projection<T> proj; std::vector<T> t1, t2; T c = T(DT * NU);
    Step(double tol) : proj(tol), t1(P*SIZE), t2(P*SIZE) {}
    void forward(const std::vector<T>& s, std::vector<T>& out, int n) {
        adv.forward(s, t1, n);
        emu_launch(faceBlocks(n), false, [&] { K<T>::viscosity(t1.data(), t2.data(), OPEN.data(), W, H, c, 0, n); });
        proj.apply(t2, out, n);
    }
    void adjoint(const std::vector<T>& s, const std::vector<T>& ob, std::vector<T>& sb, int n) {
        proj.apply(ob, t1, n);
        emu_launch(faceBlocks(n), false, [&] { K<T>::viscosity(t1.data(), t2.data(), OPEN.data(), W, H, c, 1, n); });
        adv.adjoint(s, t2, sb, n);
    }
};
// The two SSOR launches against the textbook four half-sweeps (forward red, black; backward black,
// red: z_c = (1 - omega) z_c + omega (r_c + sum over open neighbours z_n) / D_c, from z = 0), and
// the operator's symmetry and positivity: x.M^-1 y = y.M^-1 x, r.M^-1 r > 0.
template <class T> void checkSsor() {
    Projection<T> pr(1e-12);
    std::vector<int> all(P, -1);
    auto apply = [&](const V& in) {
        pr.r = cast<T>(in);
        pr.ssor(all, 1, P);
        return back(pr.z);
    };
    auto reference = [&](const V& r) {
        V z(P * CELLS, 0.0);
        auto sweep = [&](int colour) {
            for (int p = 0; p < P; p++) for (int j = 0; j < H; j++) for (int i = 0; i < W; i++) {
                if (((i + j) & 1) != colour) continue;
                int c = p * CELLS + j * W + i, u = j * (W + 1) + i, v = (W + 1) * H + j * W + i;
                int n = OPEN[u] + OPEN[u + 1] + OPEN[v] + OPEN[v + W];
                if (n == 0) continue;
                double s = r[c];
                if (OPEN[u]) s += z[c - 1];
                if (OPEN[u + 1]) s += z[c + 1];
                if (OPEN[v]) s += z[c - W];
                if (OPEN[v + W]) s += z[c + W];
                z[c] = (1 - OMEGA) * z[c] + OMEGA * s / n;
            }
        };
        sweep(0); sweep(1); sweep(1); sweep(0);
        return z;
    };
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1, 1);
    V x(P * CELLS), y(P * CELLS);
    for (auto& e : x) e = u(rng);
    for (auto& e : y) e = u(rng);
    V mx = apply(x), my = apply(y);
    double xmy = 0, ymx = 0, xmx = 0;
    for (int c = 0; c < P * CELLS; c++) { xmy += x[c] * my[c]; ymx += y[c] * mx[c]; xmx += x[c] * mx[c]; }
    printf("SSOR kernels vs four half-sweeps relative error %.3e; symmetry |x.My - y.Mx| / |x.My| %.3e; x.Mx %.3e\n",
           rel(mx, reference(x)), std::abs(xmy - ymx) / std::abs(xmy), xmx);
}

// The V-cycle kernels against a sequential V-cycle written from the definition (NsPreconditionerCount's
// mg), and the operator's symmetry and positivity.
static void refSweep(const Level& L, V& z, const V& b, int colour) {
    for (int j = 0; j < L.h; j++) for (int i = 0; i < L.w; i++) {
        if (((i + j) & 1) != colour) continue;
        int c = j * L.w + i; double s = b[c]; int dg = 0;
        if (i > 0) { s += L.east[c - 1] * z[c - 1]; dg += L.east[c - 1]; }
        if (i + 1 < L.w) { s += L.east[c] * z[c + 1]; dg += L.east[c]; }
        if (j > 0) { s += L.north[c - L.w] * z[c - L.w]; dg += L.north[c - L.w]; }
        if (j + 1 < L.h) { s += L.north[c] * z[c + L.w]; dg += L.north[c]; }
        if (dg > 0) z[c] = s / dg; }
}
static V refVcycle(size_t l, const V& b) {
    const Level& L = LEVELS[l]; V z(L.cells(), 0.0);
    if (l + 1 == LEVELS.size()) { for (int s = 0; s < 30; s++) { refSweep(L, z, b, 0); refSweep(L, z, b, 1); refSweep(L, z, b, 1); refSweep(L, z, b, 0); } return z; }
    refSweep(L, z, b, 0); refSweep(L, z, b, 1);
    const Level& C = LEVELS[l + 1]; V bc(C.cells(), 0.0);
    for (int j = 0; j < L.h; j++) for (int i = 0; i < L.w; i++) {
        int c = j * L.w + i; double az = 0; int dg = 0;
        if (i > 0) { az -= L.east[c - 1] * z[c - 1]; dg += L.east[c - 1]; }
        if (i + 1 < L.w) { az -= L.east[c] * z[c + 1]; dg += L.east[c]; }
        if (j > 0) { az -= L.north[c - L.w] * z[c - L.w]; dg += L.north[c - L.w]; }
        if (j + 1 < L.h) { az -= L.north[c] * z[c + L.w]; dg += L.north[c]; }
        if (dg > 0) bc[(j / 2) * C.w + i / 2] += b[c] - (dg * z[c] + az); }
    V zc = refVcycle(l + 1, bc);
    for (int j = 0; j < L.h; j++) for (int i = 0; i < L.w; i++) {
        int c = j * L.w + i, dg = (i > 0 ? L.east[c - 1] : 0) + L.east[c] + (j > 0 ? L.north[c - L.w] : 0) + L.north[c];
        if (dg > 0) z[c] += MG_SCALE * zc[(j / 2) * C.w + i / 2]; }
    refSweep(L, z, b, 1); refSweep(L, z, b, 0);
    return z;
}
template <class T> void checkMg() {
    Projection<T> pr(1e-12);
    std::vector<int> all(P, -1);
    auto apply = [&](const V& in) { pr.r = cast<T>(in); pr.vcycle(0, all, 1, P); return back(pr.z); };
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1, 1);
    V x(P * CELLS), y(P * CELLS), want(P * CELLS);
    for (auto& e : x) e = u(rng);
    for (auto& e : y) e = u(rng);
    V mx = apply(x), my = apply(y), mx2 = apply(x);
    for (int p = 0; p < P; p++) {
        V z = refVcycle(0, V(x.begin() + p * CELLS, x.begin() + (p + 1) * CELLS));
        std::copy(z.begin(), z.end(), want.begin() + p * CELLS); }
    double xmy = 0, ymx = 0, xmx = 0;
    for (int c = 0; c < P * CELLS; c++) { xmy += x[c] * my[c]; ymx += y[c] * mx[c]; xmx += x[c] * mx[c]; }
    printf("multigrid (%zu levels, coarsest %d x %d) kernels vs sequential V-cycle relative error %.3e; twice: %s; symmetry %.3e; x.Mx %.3e\n",
           LEVELS.size(), LEVELS.back().w, LEVELS.back().h, rel(mx, want), mx == mx2 ? "bit-identical" : "DIFFERENT",
           std::abs(xmy - ymx) / std::abs(xmy), xmx);
}

static void mask(V& a) { for (int p = 0; p < P; p++) for (int f = 0; f < SIZE; f++) if (!OPEN[f]) a[p*SIZE+f] = 0; }

template <class T> void run(const std::string& mode, double tol) {
    checkSsor<T>();
    checkMg<T>();
    V s = load<double>("s.bin"), bar = load<double>("bar.bin"), a = load<double>("a.bin");
    Step<T> st(tol); std::vector<T> out(P*SIZE), sb(P*SIZE), sT = cast<T>(s), barT = cast<T>(bar);
    st.adv.forward(sT, out, P);
    printf("advection          relative error %.3e\n", rel(back(out), load<double>("adv.bin")));
    st.adv.adjoint(sT, barT, sb, P);
    printf("advection adjoint  relative error %.3e (gather reach %d %d %d)\n", rel(back(sb), load<double>("advbar.bin")), st.adv.reach[0], st.adv.reach[1], st.adv.reach[2]);
    std::vector<T> sb2(P*SIZE); st.adv.adjoint(sT, barT, sb2, P);
    printf("advection adjoint  twice: %s\n", sb == sb2 ? "bit-identical" : "DIFFERENT");
    std::vector<T> fast = cast<T>(load<double>("fast.bin"));
    st.adv.forward(fast, out, P);
    printf("fast advection     relative error %.3e\n", rel(back(out), load<double>("advfast.bin")));
    st.adv.adjoint(fast, barT, sb, P);
    printf("fast adjoint       relative error %.3e (gather reach %d %d %d)\n", rel(back(sb), load<double>("advbarfast.bin")), st.adv.reach[0], st.adv.reach[1], st.adv.reach[2]);
    st.proj.apply(cast<T>(a), out, P);
    V o = back(out);
    printf("projection         relative error %.3e, CG iterations %d %d %d\n", rel(o, load<double>("proj.bin")), st.proj.last[0], st.proj.last[1], st.proj.last[2]);
    double md = 0, mdBefore = 0; int closedNonzero = 0;
    for (int p = 0; p < P; p++) for (int j = 0; j < H; j++) for (int i = 0; i < W; i++) {
        int u = j*(W+1)+i, v = (W+1)*H + j*W + i;
        auto div = [&](const V& x) { auto at = [&](int f) { return OPEN[f] ? x[p*SIZE+f] : 0.0; }; return at(u+1)-at(u)+at(v+W)-at(v); };
        md = std::max(md, std::abs(div(o))); mdBefore = std::max(mdBefore, std::abs(div(a))); }
    for (int p = 0; p < P; p++) for (int f = 0; f < SIZE; f++) if (!OPEN[f] && o[p*SIZE+f] != 0) closedNonzero++;
    printf("projection         max |div| %.3e (before %.3e), nonzero closed faces %d\n", md, mdBefore, closedNonzero);
    if (mode == "quick") return;
    st.forward(sT, out, P);
    printf("step               relative error %.3e, CG iterations %d %d %d\n", rel(back(out), load<double>("step.bin")), st.proj.last[0], st.proj.last[1], st.proj.last[2]);
    st.adjoint(sT, barT, sb, P); V sbd = back(sb); mask(sbd);
    printf("step VJP           relative error %.3e\n", rel(sbd, load<double>("stepbar.bin")));
    if (mode == "step") return;
    // DeviceNavierStokes.lossAndGradient with rows {2, 0, 1}
    V xiAll = load<double>("xi.bin"), targets = load<double>("targets.bin");
    std::vector<int> rows = {2, 0, 1};
    V xi(9); for (int j = 0; j < 3; j++) for (int c = 0; c < 3; c++) xi[3*j+c] = xiAll[3*rows[j]+c];
    std::vector<T> xiT = cast<T>(xi), allInit = cast<T>(s), allTargets = cast<T>(targets), init(P*SIZE), tg(P*OBS);
    std::vector<std::vector<T>> states(STEPS + 1, std::vector<T>(P*SIZE));
    emu_launch(std::min(65536, (P*SIZE+255)/256), false, [&] { K<T>::rows(allInit.data(), rows.data(), SIZE, P, init.data()); });
    emu_launch(std::min(65536, (P*OBS+255)/256), false, [&] { K<T>::rows(allTargets.data(), rows.data(), OBS, P, tg.data()); });
    emu_launch(faceBlocks(P), false, [&] { K<T>::force(init.data(), xiT.data(), OPEN.data(), W, H, P, states[0].data()); });
    for (int k = 0; k < STEPS; k++) st.forward(states[k], states[k+1], P);
    std::vector<T> b(P*SIZE), bn(P*SIZE); V grad(3*P), loss(P);
    emu_launch(P, true, [&] { K<T>::loss(states[STEPS].data(), tg.data(), W, H, b.data(), loss.data()); });
    for (int k = STEPS - 1; k >= 0; k--) { st.adjoint(states[k], b, bn, P); std::swap(b, bn); }
    emu_launch(P, true, [&] { K<T>::forceGrad(b.data(), xiT.data(), OPEN.data(), W, H, grad.data()); });
    V wl = load<double>("loss.bin"), wg = load<double>("grad.bin"), fin = load<double>("final.bin"), want(P), wantG(9), wantFin(P*SIZE), got = back(states[STEPS]);
    for (int j = 0; j < 3; j++) { want[j] = wl[rows[j]]; for (int c = 0; c < 3; c++) wantG[3*j+c] = wg[3*rows[j]+c];
        for (int f = 0; f < SIZE; f++) wantFin[j*SIZE+f] = fin[rows[j]*SIZE+f]; }
    printf("8-step final state relative error %.3e\n", rel(got, wantFin));
    printf("loss               relative error %.3e\n", rel(loss, want));
    printf("gradient           relative error %.3e\n", rel(back(grad), wantG));
}

int main(int argc, char** argv) {
    if (argc < 2) { fprintf(stderr, "usage: driver <data dir> [quick|step|all] [f64|f32] [mg|ssor|jacobi]\n"); return 2; }
    DATA = argv[1];
    std::string mode = argc > 2 ? argv[2] : "all", dtype = argc > 3 ? argv[3] : "f64", pre = argc > 4 ? argv[4] : "mg";
    if (pre != "mg" && pre != "ssor" && pre != "jacobi") { fprintf(stderr, "preconditioner must be mg, ssor or jacobi, got %s\n", pre.c_str()); return 2; }
    PRE = pre == "mg" ? MG_PRE : pre == "ssor" ? SSOR_PRE : JACOBI_PRE;
    printf("CG preconditioner: %s\n", pre.c_str());
    OPEN = load<int>("open.bin");
    buildLevels();
    setvbuf(stdout, nullptr, _IONBF, 0);
    if (dtype == "f32") run<float>(mode, 1e-5); else run<double>(mode, 1e-12);
}
