package dev.nudge.send;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one partition's ledger says, as small as it can be held: for a settled decision only that it is settled (its
 * id as a UUID where it is one, which Nudge's ids are), and the whole entry only for the few still open (with the relay,
 * or waiting to be retried). A week of a busy shop's decisions stays in memory this way.
 */
final class LedgerIndex {

    private final Set<UUID> settledIds = ConcurrentHashMap.newKeySet();
    // ids that are not UUIDs: decisions written by hand or by another producer
    private final Set<String> settledOther = ConcurrentHashMap.newKeySet();
    private final Map<String, LedgerEntry> open = new ConcurrentHashMap<>();

    void put(LedgerEntry e) {
        if (e.settled()) {
            UUID id = uuid(e.decisionId());
            if (id != null) {
                settledIds.add(id);
            } else {
                settledOther.add(e.decisionId());
            }
            open.remove(e.decisionId());
        } else if (!settled(e.decisionId())) {
            open.put(e.decisionId(), e);
        }
    }

    /** True when nothing more will happen to this decision: a copy of it is not sent again. */
    boolean settled(String decisionId) {
        UUID id = uuid(decisionId);
        return id != null ? settledIds.contains(id) : settledOther.contains(decisionId);
    }

    /** The entry of a decision handed to the relay or waiting for a retry, or null. */
    LedgerEntry open(String decisionId) {
        return open.get(decisionId);
    }

    int size() {
        return settledIds.size() + settledOther.size() + open.size();
    }

    private static UUID uuid(String id) {
        // UUID.fromString accepts shortened forms; only the canonical 36 characters map back to the same id
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID u = UUID.fromString(id);
            return u.toString().equals(id) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
