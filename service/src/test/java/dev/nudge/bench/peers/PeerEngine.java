package dev.nudge.bench.peers;

import dev.nudge.event.CustomerEvent;

import java.util.List;

/**
 * One engine of the comparison, fresh for each pass: it is fed the stream one delivery at a time, in event-time
 * order (duplicates included: dropping them is its own work), then told to run event time on so that every pending
 * trigger is decided.
 */
interface PeerEngine extends AutoCloseable {

    /** Takes one delivery, duplicates included. */
    void accept(CustomerEvent event);

    /** Runs event time on to {@code endMillis} and returns every mail decided since the start, in no set order. */
    List<Mail> finish(long endMillis);

    @Override
    void close();
}
