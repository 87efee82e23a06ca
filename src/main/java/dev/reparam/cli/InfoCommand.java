package dev.reparam.cli;

import dev.reparam.cuda.Backends;
import dev.reparam.cuda.CudaAvailability;
import dev.reparam.cuda.CudaDriver;
import dev.reparam.cuda.CudaDtype;
import dev.reparam.experiments.Experiments;
import dev.reparam.io.Version;
import dev.reparam.tensor.Parallel;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** Prints version, backend (whether CUDA could run here, and its GEMM), threads, and what can be solved. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print version, backend and threads.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("reparam      " + Version.get());
        System.out.println("java         " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + ")");
        CudaAvailability cuda = CudaAvailability.probe();
        System.out.println("backend      solve --backend auto would use: "
                + Backends.describe(Backends.Choice.AUTO, CudaDtype.FLOAT64, cuda));
        System.out.println("             " + CudaAvailability.infoLine());
        System.out.println("cuda driver  " + CudaDriver.infoLine());
        System.out.println("gemm         on CUDA: " + CudaAvailability.gemmInfoLine());
        System.out.println("threads      " + Parallel.threads());
        System.out.println("experiments  " + String.join(", ", Experiments.names()));
        return 0;
    }
}
