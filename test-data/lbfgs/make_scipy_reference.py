#!/usr/bin/env python3
"""Reference results of SciPy's L-BFGS-B (no bounds, all defaults) for the batched L-BFGS tests.

Writes scipy_reference.json next to this file: for every problem its definition (kind, dim and,
for quadratics, A, b, the exact minimiser x_exact and fun_exact), x0 and SciPy's x, fun, nit, nfev, status and message.
Problems are grouped so that the Java test can run each group (same kind and dim) as one batch.

Run: python3 test-data/lbfgs/make_scipy_reference.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import minimize, rosen, rosen_der


def run(fun, jac, x0):
    res = minimize(fun, np.asarray(x0, dtype=float), jac=jac, method="L-BFGS-B")
    return {
        "x0": [float(v) for v in x0],
        "x": [float(v) for v in res.x],
        "fun": float(res.fun),
        "nit": int(res.nit),
        "nfev": int(res.nfev),
        "status": int(res.status),
        "message": str(res.message),
    }


def rosenbrock_problems():
    starts_2d = [(-1.2, 1.0), (0.0, 0.0), (2.0, 2.0), (-2.0, 3.0), (1.5, -0.5), (-0.5, 2.5), (3.0, -1.0)]
    problems = [dict(kind="rosenbrock", dim=2, **run(rosen, rosen_der, x0)) for x0 in starts_2d]
    # Higher dimensions: the classic alternating start and a deterministic "wavy" start.
    for dim in (4, 6, 10):
        classic = [-1.2 if i % 2 == 0 else 1.0 for i in range(dim)]
        wavy = [0.5 * np.sin(1.7 * i + 0.3) for i in range(dim)]
        for x0 in (classic, wavy):
            problems.append(dict(kind="rosenbrock", dim=dim, **run(rosen, rosen_der, x0)))
    return problems


def quadratic_problems():
    """0.5 x'Ax - b'x with A = Q diag(lambda) Q', eigenvalues log-spaced in [1, cond]."""
    rng = np.random.default_rng(20261123)
    problems = []
    for dim in (2, 5, 10, 20):
        for cond in (1.0, 1e2, 1e4):
            q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
            lam = np.logspace(0.0, np.log10(cond), dim)
            a = q @ np.diag(lam) @ q.T
            a = 0.5 * (a + a.T)  # exactly symmetric, so A x and A' x agree bit for bit
            b = rng.standard_normal(dim)
            x0 = rng.standard_normal(dim)
            fun = lambda x, a=a, b=b: 0.5 * x @ a @ x - b @ x
            jac = lambda x, a=a, b=b: a @ x - b
            p = dict(kind="quadratic", dim=dim, cond=cond, A=a.tolist(), b=b.tolist(), **run(fun, jac, x0))
            # The exact minimiser: on ill-conditioned problems the ftol test stops SciPy farther
            # than 1e-6 from it, and where exactly depends on rounding.
            x_exact = np.linalg.solve(a, b)
            p["x_exact"] = x_exact.tolist()
            p["fun_exact"] = float(fun(x_exact))
            problems.append(p)
    return problems


def main():
    out = {
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "method": "L-BFGS-B, no bounds, default options",
        "problems": rosenbrock_problems() + quadratic_problems(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy_reference.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
    for p in out["problems"]:
        print(p["kind"], p["dim"], "nit", p["nit"], "nfev", p["nfev"], p["message"])


if __name__ == "__main__":
    main()
