package dev.reparam.report;

import org.junit.jupiter.api.Test;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tick labelling of the figures' axes: log y axes with readable labels, n on the loss-against-n axis. */
class FigureAxesTest {
    private static void assertAxis(LogAxis axis, double min, double max, boolean decadeOnly) {
        assertEquals(min, axis.min(), 1e-12 * min, "min");
        assertEquals(max, axis.max(), 1e-12 * max, "max");
        assertEquals(decadeOnly, axis.decadeOnly(), "decadeOnly");
    }

    @Test
    void manyDecadesAreLabelledAtTheDecades() {
        assertAxis(LogAxis.of(1e-15, 0.3), 1e-15, 0.3, true);
        // two powers of ten inside: enough labels without widening
        assertAxis(LogAxis.of(9e-4, 2e-2), 9e-4, 2e-2, true);
    }

    @Test
    void overADecadeWithOnePowerOfTenWidensToTheNearerDecade() {
        // 3e-3 .. 6e-2 holds only 1e-2; 1e-1 is nearer to 6e-2 than 1e-3 is to 3e-3
        assertAxis(LogAxis.of(3e-3, 6e-2), 3e-3, 1e-1, true);
        assertAxis(LogAxis.of(1.5e-3, 4e-2), 1e-3, 4e-2, true);
    }

    @Test
    void underADecadeEveryTickIsLabelled() {
        assertAxis(LogAxis.of(4.7e-2, 6.05e-2), 4.7e-2, 6.05e-2, false);
        assertAxis(LogAxis.of(2e-3, 1.5e-2), 2e-3, 1.5e-2, false);
        // 1.1 decades: still all ticks, their labels are far enough apart
        assertAxis(LogAxis.of(7e-3, 9e-2), 7e-3, 9e-2, false);
    }

    @Test
    void aRangeWithAtMostOneTickGrowsToTheTicksAroundIt() {
        // inside 5e-2 .. 6e-2 XChart would label only 5e-2 (or, with no tick inside, repeat one label)
        assertAxis(LogAxis.of(5.05e-2, 5.4e-2), 5e-2, 6e-2, false);
        assertAxis(LogAxis.of(4.77e-2, 5.95e-2), 4e-2, 6e-2, false);
        assertAxis(LogAxis.of(9.5e-3, 9.9e-3), 9e-3, 1e-2, false);
        // a constant curve, on a tick and between ticks
        assertAxis(LogAxis.of(5e-2, 5e-2), 5e-2, 6e-2, false);
        assertAxis(LogAxis.of(0.25, 0.25), 0.2, 0.3, false);
    }

    @Test
    void ticksAroundAValue() {
        assertEquals(5e-2, LogAxis.tickAtOrBelow(5.4e-2), 1e-15);
        assertEquals(6e-2, LogAxis.tickAtOrAbove(5.4e-2), 1e-15);
        assertEquals(1e-3, LogAxis.tickAtOrBelow(1e-3), 1e-18);
        assertEquals(1e-3, LogAxis.tickAtOrAbove(1e-3), 1e-18);
        assertEquals(10, LogAxis.tickAtOrAbove(9.5), 1e-12);
    }

    @Test
    void logTickLabelsAreShortScientific() {
        DecimalFormat f = new DecimalFormat(LogAxis.PATTERN,
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        assertEquals("1E-3", f.format(1e-3));
        assertEquals("2E-3", f.format(2e-3));
        assertEquals("1E0", f.format(1));
    }

    @Test
    void badRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LogAxis.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LogAxis.of(2, 1));
        assertThrows(IllegalArgumentException.class, () -> LogAxis.of(1, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> LogAxis.of(Double.NaN, 1));
    }

    @Test
    void problemCountsLabelLog2Ticks() {
        assertEquals("2", Figures.problemCountLabel(1));
        assertEquals("256", Figures.problemCountLabel(8));
        assertEquals("1", Figures.problemCountLabel(0));
        assertEquals("3", Figures.problemCountLabel(Math.log(3) / Math.log(2)));
        assertEquals("", Figures.problemCountLabel(1.5));
        assertEquals("", Figures.problemCountLabel(-1));
        assertTrue(Figures.problemCountLabel(2.5).isEmpty());
        assertFalse(Figures.problemCountLabel(10).isEmpty());
    }
}
