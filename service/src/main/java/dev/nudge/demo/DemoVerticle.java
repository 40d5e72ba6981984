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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;

/**
 * Publishes simulated shoppers' events to the events topic in accelerated real time: an event that arrives
 * {@code d} after the start is sent {@code d / speed} after it, stamped with the run's own times and ids. Its
 * simulated time starts at the wall clock, or just after the newest event a previous run left in the topic, and, at
 * night, at the end of the quiet hours; a resumed run has shoppers of its own ({@link ResumePoint}).
 */
public final class DemoVerticle extends VerticleBase {

    private static final long STEP_MILLIS = 50;
    /** After the newest event of a previous run: the new run's events are never stale behind it. */
    private static final long RESUME_GAP_MILLIS = 60_000;

    private final NudgeConfig config;
    private Iterator<SimulatedEvent> events;
    private ResumePoint resume;
    private String customerPrefix = "";
    private final String shop;
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

    /**
     * {@code clock}: set to the shoppers' time once they start, for the rest of the run to receive events on;
     * {@code shop}: the demo shop's address, whose pages and pictures the shoppers' mails show.
     */
    public DemoVerticle(NudgeConfig config, ObjectMapper json, DemoClock clock, String shop) {
        this.shop = shop;
        this.clock = clock;
        this.config = config;
        this.writer = new EventWriter(json);
        this.json = json;
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx, KafkaProps.producer(config.kafka().bootstrapServers(),
                config.kafka().producerOverrides()));
        return vertx.executeBlocking(() -> ResumePoint.read(config.kafka().bootstrapServers(),
                config.kafka().topics(), json)).map(found -> {
                    resume = found;
                    wallStart = System.currentTimeMillis();
                    long earliest = found.resumed() ? Math.max(wallStart, found.newestEventTime() + RESUME_GAP_MILLIS)
                            : wallStart;
                    timeBase = DemoDay.start(earliest, config.engine().quietHours());
                    // a resumed run's shoppers differ: the earlier runs' mails would hold the same ones back
                    NudgeConfig.DemoConfig demo = config.demo();
                    events = new DemoTraffic(demo.shoppers(), demo.seed() + found.run() - 1, shop);
                    customerPrefix = found.customerPrefix();
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
            CustomerEvent e = Restamp.of(next.event(), runId, customerPrefix, time);
            // sent at its simulated arrival: the shoppers' clock runs ahead of the wall clock, and the engine judges
            // an event's clock skew against the time its record was sent
            long sentAt = timeBase + (next.arrivalMillis() - simStart);
            producer.send(KafkaProducerRecord.create(config.kafka().topics().events(), e.customerId(), writer.write(e),
                    sentAt, null));
            next = events.hasNext() ? events.next() : null;
        }
    }

    /** One line on what this run starts from, once started: the simulated time, and what earlier runs left. */
    public String banner() {
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(timeBase));
        String night = timeBase > wallStart && (!resume.resumed()
                || timeBase > resume.newestEventTime() + RESUME_GAP_MILLIS)
                ? ", moved past the quiet hours so mails flow" : "";
        if (!resume.resumed()) {
            return "Demo: simulated time starts at " + at + night + ".";
        }
        return String.format(Locale.ROOT, "Demo resumed (run %d): simulated time %s, after the last run's newest "
                        + "event%s; %s still open, %s sent so far; this run's shoppers are %scust-….",
                resume.run(), at, night, count(resume.openCarts(), "cart"), count(resume.mailsSent(), "mail"),
                customerPrefix);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public Future<?> stop() {
        return producer.close();
    }
}
