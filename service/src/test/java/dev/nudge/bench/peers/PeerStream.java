package dev.nudge.bench.peers;

import dev.nudge.demo.ShopperSimulator;
import dev.nudge.demo.SimulatedEvent;
import dev.nudge.demo.SimulatorConfig;
import dev.nudge.event.CustomerEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one stream every engine of the comparison is fed: the benchmark's simulated shoppers ({@link ShopperSimulator},
 * so carts, checkouts, product views, pages, profiles and consent), with a share of deliveries repeated but none late,
 * so the deliveries are in event-time order (a repeat carries its original time and is dropped before it can move a
 * clock). Held in memory, so the generator's cost is in no engine's time.
 *
 * @param events the deliveries in order, repeats included
 * @param start  the start of the simulated period
 */
record PeerStream(List<CustomerEvent> events, long start) {

    static PeerStream generate(long seed, int customers, long events, Duration span, double duplicateRate) {
        SimulatorConfig config = new SimulatorConfig(seed, customers, events, SimulatorConfig.DEFAULT_START, span,
                duplicateRate, 0.0, Duration.ofSeconds(30));
        ShopperSimulator simulator = new ShopperSimulator(config);
        List<CustomerEvent> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, events));
        long newest = Long.MIN_VALUE;
        while (simulator.hasNext()) {
            SimulatedEvent delivery = simulator.next();
            CustomerEvent e = delivery.event();
            if (delivery.kind() != SimulatedEvent.Kind.DUPLICATE && e.getEventTime() < newest) {
                // the engines are fed in event-time order; a first delivery out of order would be a generator change
                throw new IllegalStateException("the simulator delivered " + e.eventId() + " out of event-time order");
            }
            newest = Math.max(newest, e.getEventTime());
            out.add(e);
        }
        return new PeerStream(Collections.unmodifiableList(out), config.start().toEpochMilli());
    }

    /** Event time after the stream at which every engine must have decided everything: 4 days after the newest. */
    long end() {
        long newest = start;
        for (CustomerEvent e : events) {
            newest = Math.max(newest, e.getEventTime());
        }
        return newest + Duration.ofDays(4).toMillis();
    }

    int size() {
        return events.size();
    }
}
