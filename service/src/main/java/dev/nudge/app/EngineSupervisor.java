package dev.nudge.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.RuleSet;
import dev.nudge.metrics.Metrics;
import dev.nudge.pipeline.EngineVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Keeps {@code engine.instances} engine verticles running, replaces one that failed, and measures consumer lag. */
final class EngineSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);
    private static final long RESTART_DELAY_MILLIS = 1000;
    private static final long LAG_PERIOD_MILLIS = 5000;

    private final Vertx vertx;
    private final NudgeConfig config;
    private final Supplier<RuleSet> rules;
    private final Metrics metrics;
    private final ObjectMapper json;
    private final Admin admin;
    private final List<EngineVerticle> engines = new CopyOnWriteArrayList<>();
    private volatile long lag;

    EngineSupervisor(Vertx vertx, NudgeConfig config, Supplier<RuleSet> rules, Metrics metrics, ObjectMapper json,
                     Admin admin) {
        this.vertx = vertx;
        this.config = config;
        this.rules = rules;
        this.metrics = metrics;
        this.json = json;
        this.admin = admin;
        metrics.gauge("nudge.consumer.lag", "Events in the topic not yet processed by this process", () -> lag);
        metrics.gauge("nudge.engine.facts", "Facts held in working memory over all partitions",
                () -> engines.stream().mapToLong(EngineVerticle::factCount).sum());
    }

    Future<Void> start() {
        Future<Void> all = Future.succeededFuture();
        for (int i = 0; i < config.engine().instances(); i++) {
            all = all.compose(v -> deploy());
        }
        vertx.setPeriodic(LAG_PERIOD_MILLIS, id -> vertx.executeBlocking(this::measureLag, false));
        return all;
    }

    private Future<Void> deploy() {
        String[] id = new String[1];
        EngineVerticle[] engine = new EngineVerticle[1];
        engine[0] = new EngineVerticle(config, rules, metrics, json, () -> replace(id[0], engine[0]));
        return vertx.deployVerticle(engine[0], new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .onSuccess(d -> {
                    id[0] = d;
                    engines.add(engine[0]);
                }).mapEmpty();
    }

    private void replace(String deploymentId, EngineVerticle failed) {
        engines.remove(failed);
        vertx.undeploy(deploymentId).onComplete(x -> vertx.setTimer(RESTART_DELAY_MILLIS, t -> deploy()
                .onSuccess(v -> LOG.info("engine restarted"))
                .onFailure(e -> LOG.error("engine could not be restarted: {}", e.toString()))));
    }

    /** End offsets from the cluster minus what the engines processed; blocking, so off the event loop. */
    private Void measureLag() throws Exception {
        Map<TopicPartition, Long> positions = new HashMap<>();
        engines.forEach(e -> positions.putAll(e.positions()));
        if (positions.isEmpty()) {
            lag = 0;
            return null;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        positions.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        long sum = 0;
        for (var e : positions.entrySet()) {
            sum += Math.max(0, ends.get(e.getKey()).offset() - e.getValue());
        }
        lag = sum;
        return null;
    }
}
