package io.coedit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the feature packages layered: leaves import nothing of ours, adapters are imported by nobody, transport
 * never reaches a store, and no two features depend on each other.
 */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.coedit");

    @Test
    void otIsPureJava() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.ot..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.coedit.ot..", "java..")
                .check(classes);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.coedit.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void systemImportsNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.system..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.coedit.ot..",
                        "io.coedit.document..",
                        "io.coedit.cluster..",
                        "io.coedit.ws..",
                        "io.coedit.web..",
                        "io.coedit.events..",
                        "io.coedit.security..",
                        "io.coedit.storage..")
                .check(classes);
    }

    /** The Redis adapter plugs into ports ({@code DocumentRelay}, {@code EventBus}, ...): no one knows it. */
    @Test
    void theClusterAdapterIsImportedByNobody() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.coedit.cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.coedit.cluster..")
                .check(classes);
    }

    @Test
    void webSocketTransportDoesNotDependOnTheCluster() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.ws..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.coedit.cluster..")
                .check(classes);
    }

    @Test
    void securityImportsNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.security..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.coedit.document..",
                        "io.coedit.cluster..",
                        "io.coedit.ws..",
                        "io.coedit.web..",
                        "io.coedit.ot..",
                        "io.coedit.events..",
                        "io.coedit.storage..")
                .check(classes);
    }

    @Test
    void documentsKnowNothingOfTransportOrCluster() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.document..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.coedit.ws..", "io.coedit.web..", "io.coedit.cluster..", "io.coedit.security..")
                .check(classes);
    }

    @Test
    void clusterNeverImportsTransport() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.coedit.ws..", "io.coedit.web..")
                .check(classes);
    }

    @Test
    void eventsKnowNothingOfTransportOrCluster() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.coedit.ws..", "io.coedit.web..", "io.coedit.cluster..", "io.coedit.storage..")
                .check(classes);
    }

    @Test
    void transportNeverTouchesAStoreDirectly() {
        noClasses()
                .that()
                .resideInAnyPackage("io.coedit.ws..", "io.coedit.web..")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("DocumentStore")
                .check(classes);
    }

    @Test
    void webAndWebSocketDoNotDependOnEachOther() {
        noClasses()
                .that()
                .resideInAPackage("io.coedit.web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.coedit.ws..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("io.coedit.ws..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.coedit.web..")
                .check(classes);
    }
}
