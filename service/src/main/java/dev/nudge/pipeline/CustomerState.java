package dev.nudge.pipeline;

import dev.nudge.engine.PartitionEngine;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Reads one partition of the compacted customers topic back into a new partition owner's session: profiles and
 * consent signals older than the replay horizon, so an unsubscribe from last year still holds after a restart, and
 * the marks long windows count (days marked, mails decided per re-eligibility key), so a week of days survives a
 * restart that re-reads only 74 hours of events.
 */
final class CustomerState {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerState.class);

    private CustomerState() {
    }

    static int restore(String bootstrap, String topic, int partition, EventParser parser, PartitionEngine engine) {
        int[] restored = {0, 0};
        long start = System.nanoTime();
        PartitionReader.readAll(bootstrap, topic, partition, rec -> {
            if (rec.value() == null) {
                return; // a forgotten mark, until compaction removes it
            }
            if (MarkRecords.isMark(rec.value())) {
                try {
                    engine.restoreMark(MarkRecords.read(rec.value()));
                    restored[1]++;
                } catch (IOException e) {
                    LOG.warn("partition {}: skipped a mark of {} that could not be read: {}", partition, rec.key(),
                            e.getMessage());
                }
            } else if (parser.parse(rec.value()) instanceof ParseResult.Parsed p) {
                engine.restore(p.event());
                restored[0]++;
            }
        });
        LOG.debug("partition {}: {} customer facts and {} marks restored from {} in {} ms", partition, restored[0],
                restored[1], topic, (System.nanoTime() - start) / 1_000_000);
        return restored[0] + restored[1];
    }
}
