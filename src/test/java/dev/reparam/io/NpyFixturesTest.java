package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reads the files written by test-data/npy/make_npy_fixtures.py; the expected values mirror its formulas. */
class NpyFixturesTest {
    private static final Path DIR = Path.of("test-data", "npy");

    private static double[] arange(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }

    private static void assertNpy(String name, int[] shape, double[] values) {
        NpyArray a = Npy.read(DIR.resolve(name));
        assertArrayEquals(shape, a.shape(), name + " shape");
        assertArrayEquals(values, a.data(), 0.0, name + " values");
    }

    @Test
    void readsFloat64() {
        assertNpy("f8_1d.npy", new int[] {6}, new double[] {-1, -0.75, -0.5, -0.25, 0, 0.25});
    }

    @Test
    void readsFloat32Rank3() {
        double[] expected = IntStream.range(0, 24).mapToDouble(i -> i / 4.0).toArray();
        assertNpy("f4_3d.npy", new int[] {2, 3, 4}, expected);
    }

    @Test
    void readsIntegers() {
        assertNpy("i4_1d.npy", new int[] {7}, new double[] {-3000, -2000, -1000, 0, 1000, 2000, 3000});
        double big = Math.pow(2, 40);
        assertNpy("i8_1d.npy", new int[] {4}, new double[] {-big, -1, 0, big});
        assertNpy("u1_1d.npy", new int[] {5}, new double[] {0, 1, 127, 128, 255});
    }

    @Test
    void readsBoolAsZeroOne() {
        assertNpy("b1_1d.npy", new int[] {3}, new double[] {1, 0, 1});
    }

    @Test
    void readsBigEndian() {
        assertNpy("f8_be_2d.npy", new int[] {2, 3}, new double[] {-2.5, -1.5, -0.5, 0.5, 1.5, 2.5});
        assertNpy("f4_be_1d.npy", new int[] {4}, new double[] {0, -1.5, -3, -4.5});
    }

    @Test
    void readsScalarAndEmpty() {
        assertNpy("f8_scalar.npy", new int[] {}, new double[] {3.5});
        assertNpy("f8_empty.npy", new int[] {2, 0}, new double[] {});
    }

    @Test
    void readsVersion2And3Headers() {
        assertNpy("f8_v2.npy", new int[] {5}, arange(5));
        assertNpy("f8_v3.npy", new int[] {5}, arange(5));
    }

    @Test
    void rejectsFortranOrder() {
        Path file = DIR.resolve("fortran_2d.npy");
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().contains("fortran_order arrays not supported"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void rejectsComplex() {
        var e = assertThrows(NpyFormatException.class, () -> Npy.read(DIR.resolve("complex_1d.npy")));
        assertTrue(e.getMessage().contains("unsupported dtype '<c16'"), e.getMessage());
    }
}
