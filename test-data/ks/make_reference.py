"""Independent NumPy ETDRK4 reference for the forced Kuramoto-Sivashinsky solver.

u_t = alpha cos(4 pi x / L) - u_xx - u_xxxx - beta u u_x, periodic on [0, L), N points.
Kassam & Trefethen (2005) ETDRK4 on the half spectrum (np.fft.rfft / irfft, unlike the Java
solver's full complex FFT), coefficients from a full circle of 64 complex contour points (the
Java code uses the upper half-circle). Nyquist mode: true wavenumber in the linear operator,
zero in the derivative. Batched over problems (axis 0).

Writes reference_<profile>_{config,u0,alpha,beta,uT}.npy; config = [N, L, dt, steps].
Run: python3 test-data/ks/make_reference.py (from the repository root or this folder).
"""
import os
import numpy as np


def coefficients(n, length, dt, points=64):
    m = np.arange(n // 2 + 1)
    k = 2 * np.pi * m / length
    lin = k**2 - k**4
    g = -0.5j * np.where(m == n // 2, 0.0, k)
    r = np.exp(2j * np.pi * (np.arange(points) + 0.5) / points)
    z = dt * lin[:, None] + r[None, :]
    ez = np.exp(z)
    q = dt * np.mean((np.exp(z / 2) - 1) / z, axis=1).real
    f1 = dt * np.mean((-4 - z + ez * (4 - 3 * z + z**2)) / z**3, axis=1).real
    f2 = dt * np.mean((2 + z + ez * (z - 2)) / z**3, axis=1).real
    f3 = dt * np.mean((-4 - 3 * z - z**2 + ez * (4 - z)) / z**3, axis=1).real
    return np.exp(dt * lin), np.exp(dt * lin / 2), q, f1, f2, f3, g


def simulate(u0, alpha, beta, length, dt, steps):
    n = u0.shape[1]
    e, e2, q, f1, f2, f3, g = coefficients(n, length, dt)
    x = length * np.arange(n) / n
    forcing = alpha[:, None] * np.fft.rfft(np.cos(4 * np.pi * x / length))[None, :]
    bg = beta[:, None] * g[None, :]

    def nonlinear(v):
        u = np.fft.irfft(v, n=n, axis=1)
        return bg * np.fft.rfft(u * u, axis=1) + forcing

    v = np.fft.rfft(u0, axis=1)
    for _ in range(steps):
        nv = nonlinear(v)
        a = e2 * v + q * nv
        na = nonlinear(a)
        b = e2 * v + q * na
        nb = nonlinear(b)
        c = e2 * a + q * (2 * nb - nv)
        nc = nonlinear(c)
        v = e * v + nv * f1 + 2 * (na + nb) * f2 + nc * f3
    return np.fft.irfft(v, n=n, axis=1)


def initial_states(rng, count, n):
    """Sum of modes 1..8 with N(0, 1/k) cosine and sine coefficients, scaled to standard deviation 1."""
    j = np.arange(n)
    u = np.zeros((count, n))
    for mode in range(1, 9):
        a = rng.normal(0, np.sqrt(1 / mode), (count, 1))
        b = rng.normal(0, np.sqrt(1 / mode), (count, 1))
        u += a * np.cos(2 * np.pi * mode * j / n) + b * np.sin(2 * np.pi * mode * j / n)
    return u / u.std(axis=1, keepdims=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = np.random.default_rng(20260)
    for name, n, length in (("quick", 64, 22.0), ("paper", 128, 32 * np.pi)):
        count, dt, steps = 4, 0.25, 20  # t = 5
        u0 = initial_states(rng, count, n)
        alpha = rng.uniform(-1, 1, count)
        beta = rng.uniform(0.5, 1.5, count)
        ut = simulate(u0, alpha, beta, length, dt, steps)
        arrays = {"config": np.array([n, length, dt, steps], dtype=float), "u0": u0, "alpha": alpha, "beta": beta, "uT": ut}
        for key, value in arrays.items():
            np.save(os.path.join(here, f"reference_{name}_{key}.npy"), value)
        print(name, "max |u(T)|", np.abs(ut).max())


if __name__ == "__main__":
    main()
