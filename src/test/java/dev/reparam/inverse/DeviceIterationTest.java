package dev.reparam.inverse;

import dev.reparam.experiments.Experiments;
import dev.reparam.nn.BatchNorm;
import dev.reparam.nn.Layer;
import dev.reparam.nn.Linear;
import dev.reparam.nn.Relu;
import dev.reparam.tensor.Backend;
import dev.reparam.tensor.BatchedLoss;
import dev.reparam.tensor.Bounds;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.DeviceLoss;
import dev.reparam.tensor.HostReadGuard;
import dev.reparam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A reparameterized iteration whose problem set evaluates on the backend's device makes no host
 * transfer at all (network with batch norm, the loss op, backward, Adam), so the CUDA backend
 * can capture it as a graph; and it optimises exactly what the host path does. Runs on the CPU
 * through {@link HostReadGuard}.
 */
class DeviceIterationTest {
    private static final int N = 16, DIM = 2;

    /** loss_i = mean_d (xi_id - target_id)^2 in unbounded xi (= z), with a device path of backend ops. */
    private static final class Quadratic implements ProblemSet {
        final int features;
        final double[] observations, targets = new double[N * DIM];

        Quadratic(int features) {
            this.features = features;
            this.observations = new double[N * features];
            SplittableRandom rng = new SplittableRandom(4);
            for (int i = 0; i < observations.length; i++) observations[i] = rng.nextDouble();
            for (int i = 0; i < N; i++) {
                targets[i * DIM] = observations[i * features] - observations[i * features + 1];
                targets[i * DIM + 1] = 2 * observations[i * features + 2];
            }
        }

        @Override public int size() { return N; }
        @Override public Bounds bounds() { return Bounds.unbounded(DIM); }
        @Override public double[] observations() { return observations; }
        @Override public int[] observationShape() { return new int[] {features}; }

        @Override
        public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
            for (int j = 0; j < problems.length; j++) {
                loss[j] = 0;
                for (int d = 0; d < DIM; d++) {
                    double r = xi[j * DIM + d] - targets[problems[j] * DIM + d];
                    loss[j] += r * r / DIM;
                    gradient[j * DIM + d] = 2 * r / DIM;
                }
            }
        }

        @Override
        public BatchedLoss batchedLoss(Backend be, Bounds bounds) {
            Tensor target = be.fromHost(targets, N, DIM), ones = be.zeros(N);
            be.fill(ones, 1.0);
            return new DeviceLoss() {
                Tensor lastZ;

                @Override
                public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
                    lastZ = z;
                    be.rowMeanSquaredError(z, target, loss);
                    be.fill(gradZ, 0);
                    be.rowMeanSquaredErrorBackward(z, target, ones, gradZ);
                }

                @Override
                public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
                    be.rowMeanSquaredErrorBackward(lastZ, target, upstream, dz);
                }
            };
        }
    }

    /** The same problems without the device path. */
    private static ProblemSet hostOnly(Quadratic q) {
        return new ProblemSet() {
            @Override public int size() { return q.size(); }
            @Override public Bounds bounds() { return q.bounds(); }
            @Override public double[] observations() { return q.observations(); }
            @Override public int[] observationShape() { return q.observationShape(); }

            @Override
            public void lossAndGradient(int[] problems, double[] xi, double[] loss, double[] gradient) {
                q.lossAndGradient(problems, xi, loss, gradient);
            }
        };
    }

    private static final Network NETWORK = new Network() {
        @Override
        public NetworkInput input(ProblemSet problems) {
            return new NetworkInput(problems.observations(), problems.observationShape());
        }

        @Override
        public List<Layer> layers(int[] inputShape, int outputDim) {
            return List.of(new Linear(16), new BatchNorm(), new Relu(), new Linear(outputDim));
        }
    };

    @Test
    void anIterationOnTheDevicePathTransfersNothingAndMatchesTheHostPath() {
        checkNoTransfers(new Quadratic(4), NETWORK, 12);
    }

    /** The wave packet experiment's network: conv1d, batch norm, ReLU, max pool, flatten, linear. */
    @Test
    void theWavePacketNetworkTransfersNothingEither() {
        checkNoTransfers(new Quadratic(256), Experiments.byName("wavepacket").network(), 3);
    }

    private static void checkNoTransfers(Quadratic problems, Network network, int iterations) {
        Reparameterized.Options options = new Reparameterized.Options(iterations, 1e-2, 0.05, 3); // clipping active
        HostReadGuard guard = new HostReadGuard();
        MethodResult device = new Reparameterized(guard.backend(), network, options)
                .solve(problems, ProgressListener.NONE);
        assertEquals(iterations, guard.bodies());
        assertEquals(List.of(), guard.transfersInBody());

        MethodResult host = new Reparameterized(CpuBackend.INSTANCE, network, options)
                .solve(hostOnly(problems), ProgressListener.NONE);
        for (int it = 0; it < iterations; it++) {
            assertArrayEquals(host.curve()[it], device.curve()[it], 1e-12, "iteration " + it);
        }
    }

    @Test
    void theHostPathIsSeenByTheGuard() {
        HostReadGuard guard = new HostReadGuard();
        new Reparameterized(guard.backend(), NETWORK, new Reparameterized.Options(2, 1e-2, 1.0, 3))
                .solve(hostOnly(new Quadratic(4)), ProgressListener.NONE);
        // per iteration: z to the host and the loss back, the upstream gradient to the host and dz back
        assertEquals(List.of("toHost", "fromHost", "toHost", "fromHost", "toHost", "fromHost", "toHost", "fromHost"),
                guard.transfersInBody());
    }
}
