package dev.nudge.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.RuleSet;
import dev.nudge.metrics.Metrics;
import dev.nudge.pipeline.EngineVerticle;
import dev.nudge.shadow.ShadowRules;
import dev.nudge.supervise.Supervisor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps {@code engine.instances} engine verticles running (each replaced whenever it fails, through a
 * {@link Supervisor}), says whether they all run, and measures the consumer lag (the engines', and the send stage's
 * when it runs in this process).
 */
final class EngineSupervisor {

    private static final long LAG_PERIOD_MILLIS = 5000;

    private final Vertx vertx;
    private final NudgeConfig config;
    private final Admin admin;
    private final List<Supervisor> engines = new ArrayList<>();
    private final Metrics metrics;
    private volatile long lag;
    // one measurement at a time, each bounded: with the broker away, calls would otherwise pile up on the workers
    private final AtomicBoolean measuring = new AtomicBoolean();

    EngineSupervisor(Vertx vertx, NudgeConfig config, Supplier<RuleSet> rules, ShadowRules shadow, Metrics metrics,
                     ObjectMapper json, Admin admin) {
        this.vertx = vertx;
        this.config = config;
        this.admin = admin;
        this.metrics = metrics;
        for (int i = 1; i <= config.engine().instances(); i++) {
            int instance = i;
            engines.add(new Supervisor(vertx, "engine " + instance,
                    onFailure -> new EngineVerticle(config, instance, rules, shadow, metrics, json,
                            onFailure),
                    new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
        }
        metrics.gauge("nudge.consumer.lag", "Events in the topic not yet processed: by this process's engines while "
                + "they all run, else by the whole consumer group", () -> lag);
        metrics.gauge("nudge.engine.facts", "Facts held in working memory over all partitions",
                () -> running().stream().mapToLong(EngineVerticle::factCount).sum());
        shadow.engines(() -> running().stream().mapToLong(EngineVerticle::shadowSessions).sum(),
                () -> running().stream().mapToLong(EngineVerticle::shadowFactCount).sum());
        metrics.gauge("nudge.shadow.facts", "Facts held in the shadow rules' working memory over all partitions (0 "
                + "when no shadow rules run)", shadow::facts);
        metrics.gauge("nudge.shadow.sessions", "Shadow rule sessions open, one per partition while shadow rules run",
                shadow::sessions);
        metrics.gauge("nudge.engines.running", "Engine verticles running and polling, of engine.instances",
                () -> engines.stream().filter(Supervisor::running).count());
        metrics.gauge("nudge.engines.configured", "Engine verticles this process should run (engine.instances)",
                () -> engines.size());
        for (String source : config.engine().sourceMaxLag().keySet()) {
            // a mail that events of this type would cancel is held while they are quiet (engine.source-max-lag)
            metrics.gauge("nudge.source.quiet", "1 while events of this type lag the newest of all by more than "
                    + "engine.source-max-lag (mails they would cancel are held), else 0", "source", source,
                    () -> running().stream().anyMatch(e -> e.sources().quiet().contains(source)) ? 1 : 0);
            metrics.gauge("nudge.source.lag.seconds", "How far, in event time, the newest event of this type lags "
                    + "the newest event of any type (0 before the first)", "source", source,
                    () -> running().stream().mapToLong(e -> e.sources().lagMillis(source)).max().orElse(0) / 1000.0);
        }
        metrics.gauge("nudge.engine.replacements", "Engine verticles replaced after failing for good, since the start",
                () -> engines.stream().mapToInt(Supervisor::replacements).sum());
    }

    Future<Void> start() {
        Future<Void> all = Future.succeededFuture();
        for (Supervisor s : engines) {
            all = all.compose(v -> s.start());
        }
        vertx.setPeriodic(LAG_PERIOD_MILLIS, id -> {
            if (measuring.compareAndSet(false, true)) {
                vertx.executeBlocking(this::measureLag, false).onComplete(x -> measuring.set(false));
            }
        });
        return all;
    }

    /** True when every engine verticle runs and polls: otherwise some partitions are not being decided. */
    boolean allRunning() {
        return engines.stream().allMatch(Supervisor::running);
    }

    private List<EngineVerticle> running() {
        return engines.stream().map(Supervisor::current).filter(EngineVerticle.class::isInstance)
                .map(EngineVerticle.class::cast).toList();
    }

    /**
     * End offsets minus what the engines processed; blocking, so off the event loop. While an engine is down its
     * partitions have no position here, so the lag is then the group's, from its committed offsets: a stage that is
     * not consuming shows as growing lag, never as 0. The send stage of this process, if it runs here, is measured
     * by its group's committed offsets (it commits a decision once its mail is settled), per partition only.
     */
    private Void measureLag() throws Exception {
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (allRunning()) {
            running().forEach(e -> positions.putAll(e.positions()));
        } else {
            positions.putAll(committed(config.kafka().consumerGroup(), config.kafka().topics().events()));
        }
        Map<TopicPartition, Long> send = config.send().enabled()
                ? committed(config.send().consumerGroup(), config.kafka().topics().decisions()) : Map.of();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        positions.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        send.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = latest.isEmpty() ? Map.<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>of()
                : admin.listOffsets(latest).all().get(LAG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        Map<Metrics.Partition, Long> byPartition = new HashMap<>();
        Map<Metrics.Partition, Long> at = new HashMap<>();
        long sum = 0;
        for (Map<TopicPartition, Long> stage : List.of(positions, send)) {
            for (var e : stage.entrySet()) {
                long behind = Math.max(0, ends.get(e.getKey()).offset() - e.getValue());
                if (stage == positions) {
                    sum += behind;
                }
                Metrics.Partition p = new Metrics.Partition(e.getKey().topic(), e.getKey().partition());
                byPartition.put(p, behind);
                at.put(p, e.getValue());
            }
        }
        lag = sum;
        metrics.consumerPartitions(byPartition, at);
        return null;
    }

    /** The committed offset of {@code group} in every partition of {@code topic} (0 where it committed none). */
    private Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(LAG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get(LAG_PERIOD_MILLIS, TimeUnit.MILLISECONDS)
                .get(topic).partitions()) {
            TopicPartition tp = new TopicPartition(topic, p.partition());
            OffsetAndMetadata c = committed.get(tp);
            out.put(tp, c == null ? 0 : c.offset());
        }
        return out;
    }
}
