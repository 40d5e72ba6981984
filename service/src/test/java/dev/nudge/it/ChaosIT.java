package dev.nudge.it;

import dev.nudge.chaos.ChaosOptions;
import dev.nudge.chaos.ChaosRun;
import dev.nudge.testing.Paths;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short chaos run, each part a process of its own: a broker, an SMTP sink and two Nudge instances, 15,000 records,
 * three {@code kill -9}, the broker away for 15 s and the relay for 10 s. No mail may be lost beyond "in doubt",
 * doubled, or sent after a purchase or an opt-out; every poison record is dead-lettered; and a killed instance's
 * partitions have a new owner well within the old 45 s session timeout.
 */
class ChaosIT {

    @Test
    void mailsSurviveKillsAndOutagesAcrossProcesses() throws Exception {
        ChaosOptions options = new ChaosOptions(2, 15_000, Duration.ofSeconds(90), 60, 3,
                List.of(Duration.ofSeconds(15)), Duration.ofSeconds(10), 4, 7, Duration.ofMinutes(3), "-Xmx512m",
                Paths.HOME, Paths.HOME.resolve("service/target/chaos-it"));
        ChaosRun.Result result = ChaosRun.run(options, System.out);
        result.report().forEach(System.out::println);

        var tally = result.tally();
        assertTrue(tally.expected() > 100, "the workload expects mails: " + tally.expected());
        assertEquals(tally.expected(), tally.mailed() + tally.inDoubt(), "every expected mail sent or in doubt");
        assertEquals(0, tally.mailedTwice(), "no mail twice");
        assertEquals(0, tally.mailedAgainstFate(), "no mail after a purchase or an opt-out");
        assertEquals(tally.poison(), tally.poisonDeadLettered(), "every poison record dead-lettered");
        assertTrue(result.passed());
        assertFalse(result.gapsMillis().isEmpty(), "a kill's partitions were handed over and measured");
        assertTrue(result.longestGap().compareTo(Duration.ofSeconds(30)) < 0,
                "a killed process's partitions get an owner within 30 s, not after Kafka's 45 s default: "
                        + result.longestGap());
    }
}
