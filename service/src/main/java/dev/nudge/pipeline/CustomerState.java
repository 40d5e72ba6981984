package dev.nudge.pipeline;

import dev.nudge.engine.PartitionEngine;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition of the compacted customers topic back into a new partition owner's session: profiles and
 * consent signals older than the replay horizon, so an unsubscribe from last year still holds after a restart.
 */
final class CustomerState {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerState.class);

    private CustomerState() {
    }

    static int restore(String bootstrap, String topic, int partition, EventParser parser, PartitionEngine engine) {
        int[] restored = {0};
        PartitionReader.readAll(bootstrap, topic, partition, rec -> {
            if (parser.parse(rec.value()) instanceof ParseResult.Parsed p) {
                engine.restore(p.event());
                restored[0]++;
            }
        });
        LOG.debug("partition {}: {} customer facts restored from {}", partition, restored[0], topic);
        return restored[0];
    }
}
