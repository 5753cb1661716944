package dev.intake;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layout rules of the project, checked on the compiled classes. */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.intake");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.intake.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theStoreKnowsNothingOfTheWireModels() {
        noClasses().that().resideInAPackage("dev.intake.store..").should().dependOnClassesThat()
                .resideInAPackage("dev.intake.api..").check(CLASSES);
    }

    @Test
    void onlyResourcesWebAndTheAuthFilterUseJaxRs() {
        noClasses().that().resideOutsideOfPackages("dev.intake.web..", "dev.intake.api..")
                .and().haveSimpleNameNotEndingWith("Resource").and().doNotHaveSimpleName("AuthFilter")
                .and().doNotHaveSimpleName("App")
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..").check(CLASSES);
    }
}
