package dev.nudge.pipeline;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CheckpointTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void replayStartsWhereTheWatermarkWasAHorizonAgo() {
        Checkpoint c = new Checkpoint(2 * HOUR, 0);
        for (int i = 0; i <= 300; i++) {   // one record a minute for five hours, offsets 100, 101, ...
            c.observe(100 + i, i * MINUTE);
        }
        // at 5h, facts from 3h on may be alive: the record read at watermark 3h is offset 280
        assertEquals(280, c.replayFrom(5 * HOUR));
        // it never moves back
        assertEquals(280, c.replayFrom(4 * HOUR));
    }

    @Test
    void withoutHistoryTheWholeKnownRangeIsReplayed() {
        Checkpoint c = new Checkpoint(2 * HOUR, 42);
        c.observe(42, 0);
        c.observe(43, 10 * MINUTE);
        assertEquals(42, c.replayFrom(30 * MINUTE));
    }

    @Test
    void markSurvivesTheRoundTripThroughCommitMetadata() {
        Checkpoint.Mark m = new Checkpoint.Mark(1_772_442_000_000L, 1234);
        assertEquals(Optional.of(m), Checkpoint.Mark.decode(m.encode()));
        assertEquals(Optional.empty(), Checkpoint.Mark.decode(""));
        assertEquals(Optional.empty(), Checkpoint.Mark.decode(null));
    }
}
