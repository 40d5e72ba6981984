package dev.nudge.pipeline;

import dev.nudge.engine.DayMark;
import dev.nudge.engine.KeyDecided;
import dev.nudge.event.EventParser;
import dev.nudge.event.Json;
import dev.nudge.event.ParseResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Marks written to the customers topic read back as they were, and are never taken for events (or the reverse). */
class MarkRecordsTest {

    @Test
    void bothKindsOfMarkReadBackAsWritten() throws IOException {
        DayMark day = new DayMark("ana", "category-viewed", "running", "2026-03-02", 1772445600000L);
        KeyDecided decided = new KeyDecided("5a1e", "category-interest", "ana", "running", 1772618400000L);
        assertEquals(day, MarkRecords.read(MarkRecords.write(day)));
        assertEquals(decided, MarkRecords.read(MarkRecords.write(decided)));
        assertTrue(MarkRecords.isMark(MarkRecords.write(day)));
    }

    @Test
    void profilesAreNotMarksAndMarksAreNotEvents() {
        byte[] profile = "{\"eventId\":\"p1\",\"type\":\"CustomerProfile\",\"customerId\":\"ana\",\"timestamp\":\"2026-03-02T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(MarkRecords.isMark(profile));
        assertFalse(MarkRecords.isMark(null), "a tombstone");
        byte[] mark = MarkRecords.write(new DayMark("ana", "n", "k", "2026-03-02", 1L));
        assertInstanceOf(ParseResult.Rejected.class, new EventParser(Json.mapper()).parse(mark),
                "the explain page's reader of the customers topic skips marks");
    }

    @Test
    void aDamagedMarkIsAnErrorNotAWrongMark() {
        assertThrows(IOException.class, () -> MarkRecords.read("{\"mark\":\"day\",\"customerId\":\"ana\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> MarkRecords.read("{\"mark\":\"week\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
