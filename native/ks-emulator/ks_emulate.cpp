// CPU execution of kernels/ks.cu (through cuda_shim.h) against the Java CPU solver's results:
//   ks_emulate <data file written by dev.reparam.cuda.ks.KsEmulationData>
// Runs ks_forward and ks_adjoint in float64 and float32 on the file's problems and prints the
// relative differences to the Java float64 reference. See run.sh.
#include "cuda_shim.h"
#include "emu_io.h"
#include "../../kernels/ks.cu"

#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

alignas(16) unsigned char ks_shared[1 << 20];

struct Data {
    int n, steps, interval, count, k;
    std::vector<double> table, params, u0s, targets, uT, loss, grad, gradU0;
    std::vector<int> rows, diverged;
};

static Data load(const char* path) {
    std::ifstream in = openData(path);
    Data d;
    int header[6];
    in.read(reinterpret_cast<char*>(header), sizeof header);
    d.n = header[0]; d.steps = header[1]; d.interval = header[2]; d.count = header[3]; d.k = header[4];
    int tableLength = header[5];
    read(in, d.table, tableLength);
    read(in, d.rows, d.k);
    read(in, d.params, 2 * d.k);
    read(in, d.u0s, (size_t)d.count * d.n);
    read(in, d.targets, (size_t)d.count * d.n);
    read(in, d.uT, (size_t)d.k * d.n);
    read(in, d.diverged, d.k);
    read(in, d.loss, d.k);
    read(in, d.grad, 2 * d.k);
    read(in, d.gradU0, (size_t)d.k * d.n);
    if (!in) { std::fprintf(stderr, "%s is truncated\n", path); std::exit(2); }
    return d;
}

// max |a - b| over max |b| within [from, to) for each problem's slice of width w, worst problem;
// NaN anywhere in a counts as failure (returns NaN).
static double relative(const std::vector<double>& a, const std::vector<double>& b, int w, const std::vector<int>& diverged) {
    double worst = 0;
    for (size_t p = 0; p < diverged.size(); p++) {
        if (diverged[p]) continue;
        double diff = 0, scale = 0;
        for (int i = 0; i < w; i++) {
            double x = a[p * w + i], y = b[p * w + i];
            if (std::isnan(x)) return NAN;
            diff = std::max(diff, std::fabs(x - y));
            scale = std::max(scale, std::fabs(y));
        }
        worst = std::max(worst, scale > 0 ? diff / scale : diff);
    }
    return worst;
}

template <typename T>
static int run(const Data& d, const char* name) {
    const int n = d.n, k = d.k, modes = n / 2 + 1, threads = std::max(32, n / 2);
    const int segments = (d.steps + d.interval - 1) / d.interval;
    auto cast = [](const std::vector<double>& v) { return std::vector<T>(v.begin(), v.end()); };
    std::vector<T> table = cast(d.table), params = cast(d.params), u0s = cast(d.u0s), targets = cast(d.targets);
    const T nan = std::numeric_limits<T>::quiet_NaN();
    std::vector<T> checkpoints((size_t)k * segments * 2 * modes, nan), uT((size_t)k * n, nan);
    std::vector<T> stages((size_t)k * d.interval * 4 * n, nan), gradU0((size_t)k * n, nan);
    std::vector<int> diverged(k, -1);
    std::vector<double> loss(k, NAN), grad(2 * k, NAN);
    std::vector<int> rows = d.rows;

    emu_launch(k, threads, [&] {
        ks_forward<T>(table.data(), n, d.steps, d.interval, rows.data(), params.data(), u0s.data(), checkpoints.data(),
                      uT.data(), diverged.data());
    });
    std::vector<T> simulated = uT;
    emu_launch(k, threads, [&] {
        ks_adjoint<T>(table.data(), n, d.steps, d.interval, rows.data(), params.data(), targets.data(), checkpoints.data(),
                      uT.data(), diverged.data(), stages.data(), loss.data(), grad.data(), gradU0.data());
    });

    int failures = 0;
    for (int p = 0; p < k; p++) {
        if (diverged[p] != d.diverged[p]) {
            std::printf("%s: problem %d diverged flag %d, Java says %d\n", name, p, diverged[p], d.diverged[p]);
            failures++;
        }
        if (d.diverged[p]) {
            bool ok = std::isinf(loss[p]) && grad[2 * p] == 0 && grad[2 * p + 1] == 0;
            for (int i = 0; i < n; i++) ok = ok && std::isnan((double)simulated[(size_t)p * n + i]) && gradU0[(size_t)p * n + i] == T(0);
            if (!ok) { std::printf("%s: diverged problem %d not reported as such\n", name, p); failures++; }
        }
    }
    std::vector<double> uTd(simulated.begin(), simulated.end()), gu(gradU0.begin(), gradU0.end());
    double eu = relative(uTd, d.uT, n, d.diverged), el = relative(loss, d.loss, 1, d.diverged);
    double eg = relative(grad, d.grad, 2, d.diverged), eu0 = relative(gu, d.gradU0, n, d.diverged);
    std::printf("%s: N=%d steps=%d C=%d k=%d  relative difference to Java: u(T) %.3g  loss %.3g  (alpha,beta) gradient %.3g  u0 gradient %.3g\n",
                name, n, d.steps, d.interval, k, eu, el, eg, eu0);
    bool f64 = sizeof(T) == 8;
    double bound = f64 ? 1e-10 : 1e-2;
    if (!(eu <= bound && el <= bound && eg <= bound && eu0 <= bound)) failures++;
    return failures;
}

int main(int argc, char** argv) {
    if (argc != 2) { std::fprintf(stderr, "usage: ks_emulate DATA\n"); return 2; }
    Data d = load(argv[1]);
    int failures = run<double>(d, "f64") + run<float>(d, "f32");
    std::printf(failures == 0 ? "ok\n" : "FAILED (%d)\n", failures);
    return failures == 0 ? 0 : 1;
}
