package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    private static Backoff backoff(double random) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> random);
    }

    @Test
    void waitsDoubleFromTheFirstUpToTheLongest() {
        // with the random half at its top, the wait is the whole ceiling
        Backoff top = backoff(1.0);
        assertEquals(1_000, top.millisAfter(1));
        assertEquals(2_000, top.millisAfter(2));
        assertEquals(16_000, top.millisAfter(5));
        assertEquals(30_000, top.millisAfter(6));
        assertEquals(30_000, top.millisAfter(60), "no overflow after many attempts");
    }

    @Test
    void halfOfEachWaitIsRandomSoMailsRefusedTogetherComeBackApart() {
        assertEquals(4_000, backoff(0.0).millisAfter(4));
        assertEquals(6_000, backoff(0.5).millisAfter(4));
        assertEquals(8_000, backoff(1.0).millisAfter(4));
    }
}
