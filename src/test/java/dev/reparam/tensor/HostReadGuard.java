package dev.reparam.tensor;

import dev.reparam.optim.AdamOptions;
import dev.reparam.tensor.cpu.CpuBackend;
import dev.reparam.tensor.cpu.HostStorage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A stand-in for a GPU backend, without a GPU: computes on the CPU, but records every host
 * transfer (toHost, fromHost, copyFromHost, sum, sumOfSquares) made while an iteration body runs
 * under its {@link IterationRunner} (and, separately, those made in bodies of runners asked for
 * as recordable, which a GPU backend would capture as graphs). The device-side operations a GPU backend provides
 * (batch norm's running statistics, Adam's bookkeeping, Supervised's parameter error) are done on
 * the CPU behind the guard, as kernels would be. A training loop that passes it with no transfers recorded is one whose
 * iteration can be captured as a CUDA graph.
 */
public final class HostReadGuard {
    private static final Set<String> HOST_TRANSFERS = Set.of("toHost", "fromHost", "copyFromHost", "sum",
            "sumOfSquares");

    private final List<String> transfersInBody = new ArrayList<>();
    private final List<String> transfersInRecordableBodies = new ArrayList<>();
    private boolean inBody, bodyRecordable;
    private int bodies, recordableBodies;
    private final Backend backend;

    public HostReadGuard() {
        this.backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> handle((Backend) proxy, method, args));
    }

    public Backend backend() {
        return backend;
    }

    /** "op" per host transfer made inside an iteration body, in order. */
    public List<String> transfersInBody() {
        return transfersInBody;
    }

    public int bodies() {
        return bodies;
    }

    /** "op" per host transfer made inside the body of a runner asked for with recordable = true. */
    public List<String> transfersInRecordableBodies() {
        return transfersInRecordableBodies;
    }

    /** Bodies run by runners asked for with recordable = true. */
    public int recordableBodies() {
        return recordableBodies;
    }

    private Object handle(Backend self, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (inBody && HOST_TRANSFERS.contains(name)) {
            transfersInBody.add(name);
            if (bodyRecordable) transfersInRecordableBodies.add(name);
        }
        switch (name) {
            case "name":
                return "host-read-guard";
            case "zeros":
                return new Tensor(self, new HostStorage(new double[Tensor.sizeOf((int[]) args[0])]), 0,
                (int[]) args[0]);
            case "fromHost":
                return new Tensor(self, new HostStorage(((double[]) args[0]).clone()), 0, (int[]) args[1]);
            case "iterationRunner":
                return runner((Boolean) args[0]);
            case "parameterError":
                return parameterError((Bounds) args[0], (double[]) args[1]);
            case "adam":
                return adam((Tensor) args[0], (Tensor) args[1], (Tensor) args[2], (Tensor) args[3],
                        new AdamOptions((Double) args[4], (Double) args[5], (Double) args[6], (Double) args[7],
                        (Double) args[8], (LrSchedule) args[9]));
            case "hashCode":
                return System.identityHashCode(self);
            case "equals":
                return self == args[0];
            case "toString":
                return "HostReadGuard";
            default:
                try {
                    return method.invoke(CpuBackend.INSTANCE, args); // CpuBackend reads the host storage of any tensor
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
        }
    }

    private IterationRunner runner(boolean recordable) {
        return new IterationRunner() {
            @Override
            public double[] run(Object key, Supplier<Tensor> body) {
                inBody = true;
                bodyRecordable = recordable;
                bodies++;
                if (recordable) recordableBodies++;
                Tensor out;
                try {
                    out = body.get();
                } finally {
                    inBody = false;
                    bodyRecordable = false;
                }
                return out.toHost();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Supervised's loss "on the device": ParameterErrorOp's host arithmetic, in its order (so the
     * results are its bits), on the tensors' host storage unseen by the guard.
     */
    private static DeviceLoss parameterError(Bounds bounds, double[] truth) {
        int dim = bounds.dim();
        double[] half = bounds.half(), xi = new double[truth.length], jacobian = new double[truth.length];
        double[] residual = new double[truth.length];
        CpuBackend cpu = CpuBackend.INSTANCE;
        return new DeviceLoss() {
            @Override
            public void evaluate(Tensor z, Tensor loss, Tensor gradZ) {
                double[] zv = cpu.toHost(z), e = new double[loss.size()];
                bounds.toPhysical(zv, xi);
                bounds.jacobianDiagonal(zv, jacobian);
                for (int i = 0; i < truth.length; i++) {
                    residual[i] = (xi[i] - truth[i]) / half[i % dim];
                    e[i / dim] += residual[i] * residual[i];
                }
                cpu.copyFromHost(e, loss);
            }

            @Override
            public void chain(Tensor upstream, Tensor gradZ, Tensor dz) {
                double[] w = cpu.toHost(upstream), g = new double[truth.length];
                for (int i = 0; i < g.length; i++) g[i] = w[i / dim] * 2 * residual[i] / half[i % dim] * jacobian[i];
                cpu.axpy(1.0, cpu.fromHost(g, dz.shape()), dz);
            }
        };
    }

    /** Adam's bookkeeping "on the device": the CPU's own step, unseen by the guard. */
    private static AdamSteps adam(Tensor params, Tensor grads, Tensor m, Tensor v, AdamOptions o) {
        return new AdamSteps() {
            int steps;

            @Override
            public void queueStep() {
                double norm = Math.sqrt(CpuBackend.INSTANCE.sumOfSquares(grads));
                steps++;
                CpuBackend.INSTANCE.adamUpdate(params, grads, m, v, o.lr(), o.beta1(), o.beta2(), o.eps(), steps,
                        Math.min(1, o.maxGradNorm() / norm));
            }

            @Override
            public Status status() {
                return new Status(steps, false, 0);
            }

            @Override
            public void close() {}
        };
    }
}
