package dev.reparam;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.library.freeze.FreezingArchRule.freeze;

/**
 * The layering of docs/design.md as rules over the shipped classes. The violations that exist
 * today are recorded in src/test/resources/archunit-frozen (issue 12 removes them): they may
 * only shrink, and any new one fails the build.
 *
 * <pre>
 *   cli  ->  experiments, report, bench  ->  inverse (methods)  ->  engine
 *                      |                                       (tensor, autodiff, nn, optim, io, cuda)
 *                      +->  physics (simulators, each on its own)
 * </pre>
 */
@AnalyzeClasses(packages = "dev.reparam", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENGINE = {"dev.reparam.tensor..", "dev.reparam.autodiff..", "dev.reparam.nn..",
            "dev.reparam.optim..", "dev.reparam.io..", "dev.reparam.cuda.."};

    @ArchTest
    static final ArchRule layers = freeze(layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Cli").definedBy("dev.reparam.cli..")
            .layer("Application").definedBy("dev.reparam.experiments..", "dev.reparam.report..", "dev.reparam.bench..")
            .layer("Methods").definedBy("dev.reparam.inverse..")
            .layer("Physics").definedBy("dev.reparam.physics..")
            .layer("Engine").definedBy(ENGINE)
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Application").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Methods").mayOnlyBeAccessedByLayers("Cli", "Application")
            .whereLayer("Physics").mayOnlyBeAccessedByLayers("Application"));

    /** The CUDA backend is a backend: it knows tensors and kernels, not the methods or problems above it. */
    @ArchTest
    static final ArchRule cudaKnowsNothingAbove = freeze(noClasses().that().resideInAPackage("dev.reparam.cuda..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.reparam.inverse..", "dev.reparam.experiments..",
                    "dev.reparam.optim..", "dev.reparam.physics..", "dev.reparam.cli..", "dev.reparam.report.."));

    /** Each simulator stands alone. */
    @ArchTest
    static final ArchRule simulatorsAreIndependent = freeze(slices().matching("dev.reparam.physics.(*)..")
            .should().notDependOnEachOther());

    @ArchTest
    static final ArchRule noPackageCycles = freeze(slices().matching("dev.reparam.(*)..").should().beFreeOfCycles());
}
