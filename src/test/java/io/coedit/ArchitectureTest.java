package io.coedit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaParameter;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

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

    /** Every rule of who gets an ack, and when, lives in {@code PendingAcks}: nobody else writes an ack frame. */
    @Test
    void acksAreDecidedInOnePlace() {
        noClasses()
                .that()
                .doNotHaveSimpleName("PendingAcks")
                .should()
                .callMethod("io.coedit.ws.ServerMessages", "ack", "long", "java.lang.String")
                .check(classes);
    }

    /** Rooms are the registry's: the handler and the dispatcher ask the registry, never reach into a room. */
    @Test
    void onlyTheRegistryReachesIntoARoom() {
        noClasses()
                .that()
                .doNotHaveSimpleName("RoomRegistry")
                .and()
                .doNotHaveSimpleName("DocumentRoom")
                .and()
                .areNotNestedClasses()
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.coedit.ws.DocumentRoom")
                .check(classes);
    }

    /** Spring finds each executor by its qualifier, never by the name of the parameter it is injected into. */
    @Test
    void injectedExecutorsAreQualified() {
        methods()
                .that()
                .areAnnotatedWith(Bean.class)
                .should(haveQualifiedExecutorParameters())
                .allowEmptyShould(true)
                .check(classes);
        constructors()
                .that()
                .areDeclaredInClassesThat()
                .areAnnotatedWith(Component.class)
                .should(haveQualifiedExecutorParameters())
                .allowEmptyShould(true)
                .check(classes);
    }

    private static <T extends JavaCodeUnit> ArchCondition<T> haveQualifiedExecutorParameters() {
        return new ArchCondition<>("have a qualifier on every executor parameter") {
            @Override
            public void check(T unit, ConditionEvents events) {
                for (JavaParameter parameter : unit.getParameters()) {
                    // the JDK's executor interfaces, of which there are several beans; a type of ours is unambiguous
                    boolean executor = parameter.getRawType().isAssignableTo(Executor.class)
                            && parameter.getRawType().getPackageName().equals("java.util.concurrent");
                    boolean qualified = parameter.getAnnotations().stream()
                            .anyMatch(annotation -> annotation.getRawType().isMetaAnnotatedWith(Qualifier.class));
                    if (executor && !qualified) {
                        events.add(SimpleConditionEvent.violated(
                                unit, unit.getFullName() + " takes an executor without a qualifier"));
                    }
                }
            }
        };
    }

    /** {@code coedit.cluster.mode} is read by {@code ClusterMode} alone; configuration chooses its mode through it. */
    @Test
    void theClusterModeIsReadInOnePlace() throws IOException {
        List<String> readers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                boolean reads = source.contains("getProperty(\"coedit.cluster.mode\"")
                        || source.contains("bind(\"coedit.cluster.mode\"")
                        || (source.contains("@ConditionalOnProperty") && source.contains("coedit.cluster.mode"));
                if (reads && !file.endsWith("ClusterMode.java")) {
                    readers.add(file.toString());
                }
            }
        }
        assertThat(readers).isEmpty();
        noClasses()
                .that()
                .doNotHaveSimpleName("ClusterMode")
                .should()
                .accessField("io.coedit.system.ClusterMode", "PROPERTY")
                .andShould()
                .beAnnotatedWith(ConditionalOnProperty.class)
                .check(classes.that(resideOutsideOfPackage("io.coedit.system..")));
    }

    /**
     * One lifecycle style: a part with background work is a {@code SmartLifecycle} with its phase in
     * {@code LifecyclePhases}; neither JSR-250 callbacks nor {@code @Bean(initMethod)} start or stop anything.
     */
    @Test
    void backgroundWorkStartsAndStopsAsASmartLifecycle() {
        noMethods()
                .should()
                .beAnnotatedWith(PostConstruct.class)
                .orShould()
                .beAnnotatedWith(PreDestroy.class)
                .check(classes);
        methods()
                .that()
                .areAnnotatedWith(Bean.class)
                .should(new ArchCondition<>("not name an init method") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        if (!method.getAnnotationOfType(Bean.class).initMethod().isEmpty()) {
                            events.add(SimpleConditionEvent.violated(method, method.getFullName() + " has one"));
                        }
                    }
                })
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
