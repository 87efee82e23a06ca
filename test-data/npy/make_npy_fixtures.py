"""Writes the NPY fixtures read by dev.reparam.io.NpyFixturesTest.

Run from anywhere: python3 test-data/npy/make_npy_fixtures.py
The values are simple formulas (np.arange based) that the Java test recomputes, so no
expected-value file is needed; keep the two in step when changing either.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, array, version=None):
    path = os.path.join(HERE, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)


# One fixture per supported dtype; value formulas are mirrored in NpyFixturesTest.
save("f8_1d.npy", np.arange(6, dtype="<f8") * 0.25 - 1.0)              # shape (6,)
save("f4_3d.npy", (np.arange(24, dtype="<f4") / 4).reshape(2, 3, 4))   # shape (2, 3, 4)
save("i4_1d.npy", np.arange(-3, 4, dtype="<i4") * 1000)                # shape (7,)
save("i8_1d.npy", np.array([-(2**40), -1, 0, 2**40], dtype="<i8"))     # shape (4,)
save("u1_1d.npy", np.array([0, 1, 127, 128, 255], dtype="|u1"))        # shape (5,)
save("b1_1d.npy", np.array([True, False, True], dtype="|b1"))          # shape (3,)
save("f8_be_2d.npy", (np.arange(6, dtype=">f8") - 2.5).reshape(2, 3))  # big-endian, shape (2, 3)
save("f4_be_1d.npy", np.arange(4, dtype=">f4") * -1.5)                 # big-endian, shape (4,)
save("f8_scalar.npy", np.array(3.5, dtype="<f8"))                      # rank 0, shape ()
save("f8_empty.npy", np.zeros((2, 0), dtype="<f8"))                    # shape (2, 0), no data

# Newer header versions: 2.0 widens the length field, 3.0 makes the header UTF-8.
save("f8_v2.npy", np.arange(5, dtype="<f8"), version=(2, 0))
save("f8_v3.npy", np.arange(5, dtype="<f8"), version=(3, 0))

# Must be rejected by the reader.
save("fortran_2d.npy", np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)))
save("complex_1d.npy", np.arange(3, dtype="<c16"))
