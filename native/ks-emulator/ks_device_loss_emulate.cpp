// CPU execution of CudaKsLoss's launch sequence (kernels/bound_map.cu around kernels/ks.cu, through
// cuda_shim.h) against UnconstrainedObjective over KsProblems:
//   ks_device_loss_emulate <data file written by dev.reparam.cuda.ks.KsDeviceLossEmulationData>
// bound_map_forward (z -> params), ks_forward and ks_adjoint over every problem (rows 0..count-1),
// bound_map_finish (loss with +inf -> the diverged loss, gradient in z), in float64 and float32.
// The elementwise kernels run on 2 blocks of 3 threads, so the grid-stride loops wrap.
#include "cuda_shim.h"
#include "emu_io.h"
#include "../../kernels/ks.cu"
#include "../../kernels/bound_map.cu"

#include <cstdio>
#include <fstream>
#include <limits>

alignas(16) unsigned char ks_shared[1 << 20];

struct Data {
    int n, steps, interval, count;
    double divergedLoss;
    std::vector<double> table, bounds, z, u0s, targets, loss, grad;
};

static Data load(const char* path) {
    std::ifstream in = openData(path);
    Data d;
    int header[5];
    in.read(reinterpret_cast<char*>(header), sizeof header);
    in.read(reinterpret_cast<char*>(&d.divergedLoss), sizeof d.divergedLoss);
    d.n = header[0]; d.steps = header[1]; d.interval = header[2]; d.count = header[3];
    read(in, d.table, header[4]);
    read(in, d.bounds, 6);
    read(in, d.z, 2 * d.count);
    read(in, d.u0s, (size_t)d.count * d.n);
    read(in, d.targets, (size_t)d.count * d.n);
    read(in, d.loss, d.count);
    read(in, d.grad, 2 * d.count);
    if (!in) { std::fprintf(stderr, "%s is truncated\n", path); std::exit(2); }
    return d;
}

template <typename T>
static int run(const Data& d, const char* name) {
    const int n = d.n, k = d.count, modes = n / 2 + 1, threads = std::max(32, n / 2);
    const int segments = (d.steps + d.interval - 1) / d.interval;
    auto cast = [](const std::vector<double>& v) { return std::vector<T>(v.begin(), v.end()); };
    std::vector<T> table = cast(d.table), z = cast(d.z), u0s = cast(d.u0s), targets = cast(d.targets);
    const T nan = std::numeric_limits<T>::quiet_NaN();
    std::vector<T> params(2 * k, nan), checkpoints((size_t)k * segments * 2 * modes, nan), uT((size_t)k * n, nan);
    std::vector<T> stages((size_t)k * d.interval * 4 * n, nan), loss(k, nan), gradZ(2 * k, nan);
    std::vector<int> rows(k), diverged(k, -1);
    for (int j = 0; j < k; j++) rows[j] = j;
    std::vector<double> lossXi(k, NAN), gradXi(2 * k, NAN);
    const double* bounds = d.bounds.data();

    emu_launch(2, 3, [&] { bound_map_forward<T>(z.data(), bounds, params.data(), 2 * k, 2); });
    emu_launch(k, threads, [&] {
        ks_forward<T>(table.data(), n, d.steps, d.interval, rows.data(), params.data(), u0s.data(), checkpoints.data(),
                      uT.data(), diverged.data());
    });
    emu_launch(k, threads, [&] {
        ks_adjoint<T>(table.data(), n, d.steps, d.interval, rows.data(), params.data(), targets.data(), checkpoints.data(),
                      uT.data(), diverged.data(), stages.data(), lossXi.data(), gradXi.data(), (T*)nullptr);
    });
    emu_launch(2, 3, [&] {
        bound_map_finish<T>(z.data(), lossXi.data(), gradXi.data(), bounds, loss.data(), gradZ.data(), 2 * k, 2,
                            d.divergedLoss);
    });

    const double bound = sizeof(T) == 8 ? 1e-10 : 1e-3;
    int failures = 0;
    double worstLoss = 0, worstGrad = 0;
    for (int j = 0; j < k; j++) {
        double l = loss[j], g0 = gradZ[2 * j], g1 = gradZ[2 * j + 1];
        if (d.loss[j] == d.divergedLoss) {
            // exact: the same constant (rounded to T) and a zero gradient
            if (!(l == (double)(T)d.divergedLoss && g0 == 0 && g1 == 0 && diverged[j] == 1)) {
                std::printf("%s: diverged problem %d gave loss %g, gradient (%g, %g)\n", name, j, l, g0, g1);
                failures++;
            }
            continue;
        }
        double el = std::fabs(l - d.loss[j]) / std::fabs(d.loss[j]);
        double scale = std::max(std::fabs(d.grad[2 * j]), std::fabs(d.grad[2 * j + 1]));
        double eg = std::max(std::fabs(g0 - d.grad[2 * j]), std::fabs(g1 - d.grad[2 * j + 1])) / scale;
        if (!(el <= bound && eg <= bound)) {
            std::printf("%s: problem %d loss %.17g vs %.17g, gradient (%.17g, %.17g) vs (%.17g, %.17g)\n", name, j, l, d.loss[j],
                        g0, g1, d.grad[2 * j], d.grad[2 * j + 1]);
            failures++;
        }
        worstLoss = std::max(worstLoss, el);
        worstGrad = std::max(worstGrad, eg);
    }
    std::printf("%s: N=%d steps=%d C=%d problems=%d  relative difference to UnconstrainedObjective: loss %.3g  gradient in z %.3g\n",
                name, n, d.steps, d.interval, k, worstLoss, worstGrad);
    return failures;
}

int main(int argc, char** argv) {
    if (argc != 2) { std::fprintf(stderr, "usage: ks_device_loss_emulate DATA\n"); return 2; }
    Data d = load(argv[1]);
    int failures = run<double>(d, "f64") + run<float>(d, "f32");
    std::printf(failures == 0 ? "ok\n" : "FAILED (%d)\n", failures);
    return failures == 0 ? 0 : 1;
}
