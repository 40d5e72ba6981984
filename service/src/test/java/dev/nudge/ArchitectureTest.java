package dev.nudge;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The shape the packages keep: stages that depend one way, an engine without I/O, a decision contract of its own. */
class ArchitectureTest {

    private static JavaClasses nudge;

    @BeforeAll
    static void importClasses() {
        nudge = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nudge");
    }

    @Test
    void packagesDependOnEachOtherOneWayOnly() {
        slices().matching("dev.nudge.(*)..").should().beFreeOfCycles().check(nudge);
    }

    @Test
    void theDecisionContractNeedsNothingButJacksonAndTheJdk() {
        classes().that().resideInAPackage("dev.nudge.decision").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.nudge.decision", "java..", "com.fasterxml.jackson..").check(nudge);
    }

    @Test
    void theSendStageClassifiesDecisionsWithoutTheEngineOrDrools() {
        noClasses().that().resideInAPackage("dev.nudge.send").should().dependOnClassesThat()
                .resideInAnyPackage("dev.nudge.engine..", "dev.nudge.pipeline..", "org.drools..", "org.kie..")
                .check(nudge);
    }

    @Test
    void theEngineDoesNoIo() {
        noClasses().that().resideInAPackage("dev.nudge.engine").should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "org.apache.kafka..", "java.net..", "dev.nudge.pipeline..",
                        "dev.nudge.kafka..", "dev.nudge.send..", "dev.nudge.http..")
                .check(nudge);
    }
}
