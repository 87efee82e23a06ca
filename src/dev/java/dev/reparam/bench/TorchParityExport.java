package dev.reparam.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the reference data of the PyTorch parity checks in bench/torch (wave packet: a few
 * reparameterized iterations; KS: forward and adjoint) as NPY files into one folder.
 * Run: {@code java -cp target/reparam.jar dev.reparam.bench.TorchParityExport OUT_DIR [n]} (n = 16 by default).
 */
public final class TorchParityExport {
    static final long SEED = 0;
    static final int WAVE_PACKET_ITERATIONS = 5, KS_PROBLEMS = 8;

    private TorchParityExport() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TorchParityExport OUT_DIR [n]");
            System.exit(2);
        }
        int n;
        try {
            n = args.length == 2 ? Integer.parseInt(args[1]) : 16;
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            System.err.println("TorchParityExport: n must be an integer >= 1, got '" + args[1] + "'");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        export(dir, n);
        System.out.println("wrote wave-packet (n = " + n + ") and KS (n = " + KS_PROBLEMS + ") parity data to " + dir);
    }

    static void export(Path dir, int n) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        WavePacketParityExport.write(dir, n, SEED, WAVE_PACKET_ITERATIONS);
        KsParityExport.write(dir, KS_PROBLEMS, SEED);
    }
}
