package dev.nudge.send;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitTest {

    @Test
    void aBurstOfATenthOfAMinuteThenTheConfiguredPace() {
        RateLimit limit = new RateLimit(600, 0);
        int burst = 0;
        while (limit.tryTake(0)) {
            burst++;
        }
        assertEquals(60, burst, "a tenth of a minute's mails at once");
        // 600 a minute is one every 100 ms
        assertEquals(100, limit.millisUntilNext(0));
        assertFalse(limit.tryTake(99));
        assertTrue(limit.tryTake(100));
        assertFalse(limit.tryTake(100));
    }

    @Test
    void oneMinuteSendsTheConfiguredNumberAfterTheBurst() {
        RateLimit limit = new RateLimit(120, 0);
        int sent = 0;
        for (long t = 0; t <= 60_000; t += 10) {
            while (limit.tryTake(t)) {
                sent++;
            }
        }
        assertEquals(12 + 120, sent, "the burst, then 120 in the minute");
    }

    @Test
    void aSlowRateStillSendsOneAtATime() {
        RateLimit limit = new RateLimit(1, 0);
        assertTrue(limit.tryTake(0));
        assertFalse(limit.tryTake(59_999));
        assertTrue(limit.tryTake(60_000));
    }
}
