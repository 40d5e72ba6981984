package dev.nudge.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EventWriter;
import dev.nudge.kafka.KafkaProps;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.time.Instant;
import java.util.Iterator;

/**
 * Publishes simulated shoppers' events to the events topic in accelerated real time: an event that arrives
 * {@code d} after the start is sent {@code d / speed} after it, stamped with the run's own times and ids. Its
 * simulated time starts at the wall clock, or just after the newest event a previous run left in the topic.
 */
public final class DemoVerticle extends VerticleBase {

    private static final long STEP_MILLIS = 50;
    /** After the newest event of a previous run: the new run's events are never stale behind it. */
    private static final long RESUME_GAP_MILLIS = 60_000;

    private final NudgeConfig config;
    private final Iterator<SimulatedEvent> events;
    private final EventWriter writer;
    private final ObjectMapper json;
    private final DemoClock clock;
    private KafkaProducer<String, byte[]> producer;
    private SimulatedEvent next;
    private long simStart;
    private long wallStart;
    // event time of the first simulated event: the wall clock, or later when a previous run left newer events
    private long timeBase;
    private String runId;

    /** {@code clock}: set to the shoppers' time once they start, for the rest of the run to receive events on. */
    public DemoVerticle(NudgeConfig config, Iterator<SimulatedEvent> events, ObjectMapper json, DemoClock clock) {
        this.clock = clock;
        this.config = config;
        this.events = events;
        this.writer = new EventWriter(json);
        this.json = json;
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx, KafkaProps.producer(config.kafka().bootstrapServers(),
                config.kafka().producerOverrides()));
        return vertx.executeBlocking(() -> ResumePoint.newestEventTime(config.kafka().bootstrapServers(),
                config.kafka().topics().events(), json)).map(newest -> {
                    wallStart = System.currentTimeMillis();
                    timeBase = Math.max(wallStart, newest == Long.MIN_VALUE ? wallStart : newest + RESUME_GAP_MILLIS);
                    runId = Long.toString(wallStart, 36) + "-";
                    clock.anchor(wallStart, timeBase, config.demo().speed());
                    if (events.hasNext()) {
                        next = events.next();
                        simStart = next.arrivalMillis();
                    }
                    vertx.setPeriodic(STEP_MILLIS, id -> publishDue());
                    return null;
                });
    }

    private void publishDue() {
        double speed = config.demo().speed();
        long simNow = simStart + (long) ((System.currentTimeMillis() - wallStart) * speed);
        // deliveries go out at their arrival time, so late and repeated events reach the service as they would
        while (next != null && next.arrivalMillis() <= simNow) {
            Instant time = Instant.ofEpochMilli(timeBase + (next.event().getEventTime() - simStart));
            CustomerEvent e = Restamp.of(next.event(), runId, time);
            // sent at its simulated arrival: the shoppers' clock runs ahead of the wall clock, and the engine judges
            // an event's clock skew against the time its record was sent
            long sentAt = timeBase + (next.arrivalMillis() - simStart);
            producer.send(KafkaProducerRecord.create(config.kafka().topics().events(), e.customerId(), writer.write(e),
                    sentAt, null));
            next = events.hasNext() ? events.next() : null;
        }
    }

    @Override
    public Future<?> stop() {
        return producer.close();
    }
}
