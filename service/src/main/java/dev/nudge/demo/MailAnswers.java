package dev.nudge.demo;

import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionJson;
import dev.nudge.event.CheckoutCompleted;
import dev.nudge.event.EventWriter;
import dev.nudge.event.Json;
import dev.nudge.kafka.KafkaProps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;

/**
 * The simulated shoppers' answer to what Nudge decided about them: reads the decisions (mails) and the audit topic
 * (holdouts) as they are written, and sends the order {@link MailEffect} says a shopper places, when the run's clock
 * reaches its time. So a demo run has conversions with a true effect known in advance, for the report to find.
 */
public final class MailAnswers extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(MailAnswers.class);
    private static final long STEP_MILLIS = 200;

    private final NudgeConfig config;
    private final MailEffect effect;
    private final DemoClock clock;
    private final DecisionJson decisions = new DecisionJson(Json.mapper());
    private final EventWriter writer = new EventWriter(Json.mapper());
    private final PriorityQueue<CheckoutCompleted> due = new PriorityQueue<>(
            Comparator.comparingLong(CheckoutCompleted::getEventTime));
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;

    public MailAnswers(NudgeConfig config, DemoClock clock) {
        NudgeConfig.DemoConfig demo = config.demo();
        this.config = config;
        this.clock = clock;
        this.effect = new MailEffect(demo.baseReturn(), demo.mailEffect(), demo.returnWithin(), demo.seed());
    }

    @Override
    public Future<?> start() {
        producer = KafkaProducer.create(vertx, KafkaProps.producer(config.kafka().bootstrapServers(),
                config.kafka().producerOverrides()));
        // a group of its own, from what comes now on: an earlier run's decisions were answered by that run
        consumer = KafkaConsumer.create(vertx, KafkaProps.consumer(config.kafka().bootstrapServers(),
                "nudge-demo-answers-" + UUID.randomUUID(), Map.of("auto.offset.reset", "latest")));
        consumer.handler(this::read);
        // started once the group gave it the partitions: what is decided from then on is answered
        Promise<Void> assigned = Promise.promise();
        consumer.partitionsAssignedHandler(partitions -> assigned.tryComplete());
        vertx.setPeriodic(STEP_MILLIS, t -> sendDue());
        return consumer.subscribe(Set.of(config.kafka().topics().decisions(), config.kafka().topics().audit()))
                .compose(v -> assigned.future());
    }

    private void read(KafkaConsumerRecord<String, byte[]> rec) {
        try {
            Decision d = decisions.read(rec.value());
            CheckoutCompleted order = effect.answer(d);
            if (order != null) {
                due.add(order);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("not a decision the shoppers answer: {}", e.toString());
        }
    }

    private void sendDue() {
        long now = clock.millis();
        while (!due.isEmpty() && due.peek().getEventTime() <= now) {
            CheckoutCompleted order = due.poll();
            producer.send(KafkaProducerRecord.create(config.kafka().topics().events(), order.customerId(),
                    writer.write(order), now, null));
        }
    }

    @Override
    public Future<?> stop() {
        return Future.all(consumer == null ? Future.succeededFuture() : consumer.close(),
                producer == null ? Future.succeededFuture() : producer.close());
    }
}
