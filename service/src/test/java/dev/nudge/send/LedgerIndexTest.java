package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger's memory: settled ids are known as settled, open entries keep their state until they settle. */
class LedgerIndexTest {

    private static LedgerEntry entry(String id, String state, int attempt) {
        return new LedgerEntry(id, "ana", "cart-abandonment", state, attempt, Instant.EPOCH, null);
    }

    @Test
    void aDecisionGoesFromOpenToSettledAndNeverBack() {
        LedgerIndex index = new LedgerIndex();
        String id = UUID.randomUUID().toString();
        index.put(entry(id, LedgerEntry.SENDING, 1));
        assertFalse(index.settled(id));
        assertEquals(LedgerEntry.SENDING, index.open(id).state());
        index.put(entry(id, LedgerEntry.RETRY, 1));
        assertEquals(1, index.open(id).attempt());
        index.put(entry(id, LedgerEntry.SENT, 2));
        assertTrue(index.settled(id));
        assertNull(index.open(id));
        // an older entry read after a newer one (two writers) does not reopen a settled decision
        index.put(entry(id, LedgerEntry.SENDING, 1));
        assertTrue(index.settled(id));
        assertNull(index.open(id));
        assertEquals(1, index.size());
    }

    @Test
    void idsThatAreNotUuidsAndUuidsInOtherSpellingsAreKeptApart() {
        LedgerIndex index = new LedgerIndex();
        index.put(entry("holdout-1", LedgerEntry.HOLDOUT, 0));
        String id = UUID.randomUUID().toString();
        index.put(entry(id, LedgerEntry.VOID, 0));
        assertTrue(index.settled("holdout-1"));
        assertTrue(index.settled(id));
        assertFalse(index.settled(id.toUpperCase()), "another id, although the same UUID");
        assertFalse(index.settled("holdout-2"));
    }
}
