"""Observed order of the KS ETDRK4 in dt (NumPy reference implementation), t = 4, against dt = 4 / 5120.

Shows the stiff order reduction for the experiment's initial states (modes 1..8, L = 22) next to
Kassam & Trefethen's smooth initial state on L = 32 pi. Run: python3 bench/ks_order_numpy.py
"""
import sys
import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/test-data/ks")
from make_reference import initial_states, simulate  # noqa: E402

T, STEPS = 4.0, (20, 40, 80, 160, 320, 640)


def orders(u0, alpha, beta, length):
    ref = simulate(u0, alpha, beta, length, T / 5120, 5120)
    errors = [np.abs(simulate(u0, alpha, beta, length, T / s, s) - ref).max() for s in STEPS]
    return errors, [np.log2(errors[i] / errors[i + 1]) for i in range(len(errors) - 1)]


def main():
    rng = np.random.default_rng(1)
    alpha, beta = np.array([0.7, -0.4]), np.array([1.2, 0.8])
    x = 32 * np.pi * np.arange(128) / 128
    smooth = np.tile(np.cos(x / 16) * (1 + np.sin(x / 16)), (2, 1))
    for name, u0, length in (("modes 1..8, N = 64, L = 22", initial_states(rng, 2, 64), 22.0),
                             ("cos(x/16)(1 + sin(x/16)), N = 128, L = 32 pi", smooth, 32 * np.pi)):
        errors, order = orders(u0, alpha, beta, length)
        print(name)
        for s, e, o in zip(STEPS, errors, order + [float("nan")]):
            print(f"  dt {T / s:.5f}  error {e:.2e}  order to next {o:.2f}")


if __name__ == "__main__":
    main()
