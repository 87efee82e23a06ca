package dev.reparam.bench;

import dev.reparam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte and FLOP models against values worked out by hand, and the shapes the cases take from the networks. */
class WorkModelsTest {
    private static Map<String, KernelCases.Case> casesAtN2() {
        List<KernelCases.Case> cases = KernelCases.forWavePacket(new TensorSource(CpuBackend.INSTANCE, 1), 8, 2, 0);
        return cases.stream().collect(Collectors.toMap(KernelCases.Case::op, Function.identity()));
    }

    @Test
    void elementwiseModels() {
        // add: read a and b, write out, 1000 doubles each; one add per element
        assertEquals(new Work(24_000, 1000), WorkModels.add(1000, 8));
        // axpy in float32: read x, read y, write y; multiply and add
        assertEquals(new Work(12_000, 2000), WorkModels.axpy(1000, 4));
        assertEquals(new Work(16_000, 0), WorkModels.copy(1000, 8));
    }

    @Test
    void linearOfTheWavePacketsFirstDenseLayer() {
        KernelCases.Case c = casesAtN2().get("linear");
        assertEquals("x[2,256] w[64,256]", c.shape());
        // x 2*256 + W 64*256 + b 64 + y 2*64 = 17088 doubles; 2*2*256*64 multiply-adds + 2*64 bias adds
        assertEquals(new Work(17_088 * 8, 65_536 + 128), c.work());
        // backward: reads x 512, W 16384, dy 128; read+write dx 512, dW 16384, db 64 -> 17024 + 2*16960 = 50944
        // doubles; 2 * 65536 for the products, 512 + 16384 accumulations, 128 bias adds
        assertEquals(new Work(50_944 * 8, 131_072 + 512 + 16_384 + 128), casesAtN2().get("linearBackward").work());
    }

    @Test
    void conv1dOfTheWavePacketsCostliestConvolution() {
        KernelCases.Case c = casesAtN2().get("conv1d");
        // layers 2-4 tie at 163,840 multiply-adds per sample; the first of them is 16 -> 16 channels on 128 samples
        assertEquals("x[2,16,128] w[16,16,5]", c.shape());
        // x 4096 + w 1280 + b 16 + y 4096 doubles; outputs 4096 * (2 * 16 * 5) + 4096 bias adds
        assertEquals(new Work(9_488 * 8, 655_360 + 4_096), c.work());
    }

    @Test
    void adamOverEveryWavePacketParameter() {
        // conv 96+1296+2592+5152+5152, batch norm 32+32+64+64+64, dense 16448+65
        int params = 96 + 1296 + 2592 + 5152 + 5152 + 32 + 32 + 64 + 64 + 64 + 16448 + 65;
        KernelCases.Case c = casesAtN2().get("adamUpdate");
        assertEquals("params[" + params + "]", c.shape());
        // read p, g, m, v and write p, m, v; 15 FLOPs per parameter
        assertEquals(new Work(7L * params * 8, 15L * params), c.work());
    }

    @Test
    void batchNormAndPoolingOfTheFirstBlock() {
        Map<String, KernelCases.Case> cases = casesAtN2();
        // x[2,16,256]: 8192 elements read and written, gamma, beta, mean, invStd 16 each
        assertEquals(new Work((2 * 8192 + 64) * 8, 8 * 8192), cases.get("batchNorm").work());
        // 1 x 2 windows: read 8192, write 4096, one compare per window element
        assertEquals(new Work((8192 + 4096) * 8, 8192), cases.get("maxPool2d").work());
    }

    @Test
    void rotationKeepsAtLeastTwoSetsAndAtMostSixtyFour() {
        assertEquals(64, KernelBench.rotationSets(new Work(8, 1)));
        assertEquals(2, KernelBench.rotationSets(new Work(1L << 40, 1)));
        assertEquals(8, KernelBench.rotationSets(new Work(32L << 20, 1)));
        assertEquals(9, KernelBench.rotationSets(new Work((32L << 20) - 1, 1)));
    }

    @Test
    void statsUseNearestRankPercentiles() {
        double[] s = new double[20];
        for (int i = 0; i < 20; i++) s[i] = 20 - i; // 20, 19, ..., 1
        Stats st = Stats.of(s);
        assertEquals(new Stats(20, 10.5, 1, 2, 18), st);
    }
}
