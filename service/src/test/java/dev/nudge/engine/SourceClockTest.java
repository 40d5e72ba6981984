package dev.nudge.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A watched event type is quiet when its newest event lags the newest of all by more than its limit. */
class SourceClockTest {

    private static final long MINUTE = 60_000;

    @Test
    void quietOnlyAfterTheLimitAndOnlyOnceSeen() {
        SourceClock clock = new SourceClock(Map.of("CheckoutCompleted", Duration.ofHours(1)));
        clock.observe("PageVisited", 0);
        clock.observe("PageVisited", 300 * MINUTE);
        assertEquals(Set.of(), clock.quiet(), "a shop that never sent a checkout has no checkout outage");

        clock.observe("CheckoutCompleted", 300 * MINUTE);
        clock.observe("PageVisited", 360 * MINUTE);
        assertEquals(Set.of(), clock.quiet(), "exactly the limit is not quiet yet");
        clock.observe("PageVisited", 360 * MINUTE + 1);
        assertEquals(Set.of("CheckoutCompleted"), clock.quiet());

        clock.observe("CheckoutCompleted", 250 * MINUTE);
        assertEquals(Set.of("CheckoutCompleted"), clock.quiet(), "an old backlog does not end the silence");
        clock.observe("CheckoutCompleted", 330 * MINUTE);
        assertEquals(Set.of(), clock.quiet(), "caught up to within the limit");
    }

    @Test
    void theLagIsWhatTheLimitIsComparedWith() {
        SourceClock clock = new SourceClock(Map.of("CheckoutCompleted", Duration.ofHours(1)));
        clock.observe("PageVisited", 300 * MINUTE);
        assertEquals(0, clock.lagMillis("CheckoutCompleted"), "not seen yet: no lag (and not quiet)");
        clock.observe("CheckoutCompleted", 280 * MINUTE);
        assertEquals(20 * MINUTE, clock.lagMillis("CheckoutCompleted"));
        clock.observe("PageVisited", 400 * MINUTE);
        assertEquals(120 * MINUTE, clock.lagMillis("CheckoutCompleted"));
        assertEquals(Set.of("CheckoutCompleted"), clock.quiet());
        clock.observe("CheckoutCompleted", 410 * MINUTE);
        assertEquals(0, clock.lagMillis("CheckoutCompleted"), "the newest event of all");
        assertEquals(0, clock.lagMillis("PageVisited"), "an unwatched type has no lag");
    }

    @Test
    void unwatchedTypesAreNeverQuiet() {
        SourceClock clock = new SourceClock(Map.of());
        clock.observe("CheckoutCompleted", 0);
        clock.observe("PageVisited", 1000 * MINUTE);
        assertEquals(Set.of(), clock.quiet());
    }
}
