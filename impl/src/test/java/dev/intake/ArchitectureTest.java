package dev.intake;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of the project, checked on the compiled classes. {@code dev.intake} itself holds the composition
 * root; each other package under it is a feature, except the generated wire layer ({@code api}) and the
 * infrastructure every feature builds on ({@code web}, {@code store}, {@code config}). A package added later is a
 * feature, and held to these rules, unless it is added to that list.
 */
class ArchitectureTest {
    static final String ROOT = "dev.intake";
    static final Set<String> NOT_FEATURES = Set.of("api", "web", "store", "config");
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // this module's classes only (the generated wire layer is a jar): scanning every jar of the class path
            // for the package took most of the fast tier's time
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages(ROOT);

    /** The feature a class belongs to: the package right under the root, unless it is one of the others. */
    static Optional<String> featureOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith(ROOT + ".")) {
            return Optional.empty();
        }
        String top = pkg.substring(ROOT.length() + 1).split("\\.")[0];
        return NOT_FEATURES.contains(top) ? Optional.empty() : Optional.of(top);
    }

    static Set<String> features() {
        return CLASSES.stream().map(ArchitectureTest::featureOf).flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theFeaturesAreFound() {
        assertThat(features()).contains("experiments", "sessions", "ingest", "analysis", "auth", "health", "meta",
                "metrics");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.intake.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** What one feature needs of another is an interface of its own, which the composition root implements. */
    @Test
    void featuresDoNotDependOnEachOther() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return featureOf(c).map(SliceIdentifier::of).orElse(SliceIdentifier.ignore());
            }

            @Override
            public String getDescription() {
                return "features";
            }
        }).should().notDependOnEachOther().check(CLASSES);
    }

    @Test
    void theInfrastructureDependsOnNoFeatureNorOnTheRoot() {
        noClasses().that().resideInAnyPackage("dev.intake.web..", "dev.intake.store..", "dev.intake.config..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are in a feature or in the composition root",
                        c -> featureOf(c).isPresent() || c.getPackageName().equals(ROOT)))
                .check(CLASSES);
    }

    /** Only the composition root wires features: nothing else outside a feature uses any of its classes. */
    @Test
    void onlyTheCompositionRootReachesIntoAFeature() {
        for (String feature : features()) {
            classes().that().resideInAPackage(ROOT + "." + feature + "..").should().onlyHaveDependentClassesThat()
                    .resideInAnyPackage(ROOT + "." + feature + "..", ROOT).check(CLASSES);
        }
    }

    /**
     * Each feature has one door: a single public class (its entry point); every other public type is an interface
     * that says what the feature needs from outside. Everything else is package-private.
     */
    @Test
    void eachFeatureHasOnePublicClassItsDoor() {
        Map<String, Set<String>> publicClasses = new TreeMap<>();
        features().forEach(f -> publicClasses.put(f, new TreeSet<>()));
        for (JavaClass c : CLASSES) {
            if (c.isTopLevelClass() && !c.isInterface() && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                featureOf(c).ifPresent(f -> publicClasses.get(f).add(c.getSimpleName()));
            }
        }
        publicClasses.forEach((feature, names) -> assertThat(names).as("public classes of feature " + feature)
                .hasSize(1));
    }

    @Test
    void theStoreKnowsNothingOfTheWireModels() {
        noClasses().that().resideInAPackage("dev.intake.store..").should().dependOnClassesThat()
                .resideInAPackage("dev.intake.api..").check(CLASSES);
    }

    @Test
    void theStoreAndTheConfigurationKnowNothingOfHttp() {
        noClasses().that().resideInAnyPackage("dev.intake.store..", "dev.intake.config..").should()
                .dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.glassfish.jersey..",
                        "org.eclipse.jetty..")
                .check(CLASSES);
    }
}
