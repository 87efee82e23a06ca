package dev.reparam.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void factoryChecksLengthAgainstShape() {
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[0], -1));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[0], 1 << 16, 1 << 16));
        assertEquals(6, NpyArray.of(new double[6], 2, 3).size());
        assertEquals(0, NpyArray.of(new double[0], 1 << 16, 1 << 16, 0).size());
    }

    @Test
    void scalarHasEmptyShapeAndOneValue() {
        NpyArray scalar = NpyArray.of(new double[] {2.5});
        assertEquals(0, scalar.rank());
        assertEquals(2.5, scalar.get(0));
        assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new double[0]));
    }

    @Test
    void isImmutable() {
        double[] data = {1, 2};
        int[] shape = {2};
        NpyArray a = NpyArray.of(data, shape);
        data[0] = 99;
        shape[0] = 7;
        a.data()[1] = 99;
        a.shape()[0] = 7;
        assertArrayEquals(new double[] {1, 2}, a.data());
        assertArrayEquals(new int[] {2}, a.shape());
        assertEquals(NpyArray.of(new double[] {1, 2}, 2), a);
    }
}
