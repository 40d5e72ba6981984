package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.kafka.PartitionReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;

/**
 * Reads one partition of the ledger topic back, for the new owner of the decisions partition of the same number:
 * every decision id the stage handled lately, with its last state.
 */
final class Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);

    private Ledger() {
    }

    /** Entries older than {@code since} are left out: a decision that old is not delivered again. */
    static LedgerIndex load(String bootstrap, String topic, int partition, ObjectMapper json, Instant since) {
        LedgerIndex entries = new LedgerIndex();
        PartitionReader.readAll(bootstrap, topic, partition, rec -> read(rec, json)
                .filter(e -> !e.at().isBefore(since)).ifPresent(entries::put));
        LOG.debug("send ledger partition {}: {} decisions known", partition, entries.size());
        return entries;
    }

    private static java.util.Optional<LedgerEntry> read(ConsumerRecord<String, byte[]> rec, ObjectMapper json) {
        if (rec.value() == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(json.readValue(rec.value(), LedgerEntry.class));
        } catch (IOException e) {
            LOG.warn("send ledger {}@{}: unreadable entry skipped: {}", rec.partition(), rec.offset(), e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
