package dev.nudge.config;

import dev.nudge.engine.Holdouts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The whole typed configuration of Nudge, parsed once from {@link Settings}; every default is named here. */
public record NudgeConfig(KafkaConfig kafka, EngineConfig engine, HttpConfig http, DemoConfig demo) {

    public static final Path DEFAULT_FILE = Path.of("deploy", "nudge.properties");

    /** Where Kafka is and what the topics are called. */
    public record KafkaConfig(String bootstrapServers, Path embeddedDataDir, int embeddedPort, Topics topics,
                              String consumerGroup, Map<String, String> producerOverrides,
                              Map<String, String> consumerOverrides) {
        /** True when Nudge must start its own broker. */
        public boolean embedded() {
            return bootstrapServers == null;
        }

        public KafkaConfig withBootstrapServers(String servers) {
            return new KafkaConfig(servers, embeddedDataDir, embeddedPort, topics, consumerGroup,
                    producerOverrides, consumerOverrides);
        }
    }

    /** How rules run against event time. */
    public record EngineConfig(Path rulesDir, Duration allowedLateness, Duration idleTick, double clockSpeed,
                               Duration dedupWindow, Duration replayHorizon, int instances, Holdouts holdouts,
                               Duration staleAfter) {
        public EngineConfig withClockSpeed(double speed) {
            return new EngineConfig(rulesDir, allowedLateness, idleTick, speed, dedupWindow, replayHorizon, instances,
                    holdouts, staleAfter);
        }
    }

    /** The HTTP API. */
    public record HttpConfig(String host, int port) {
    }

    /** The simulated shoppers of {@code nudge run}. */
    public record DemoConfig(boolean enabled, int shoppers, double speed, long seed) {
    }

    public static NudgeConfig load(Path file) throws IOException {
        return from(Settings.load(file, System.getenv()));
    }

    public static NudgeConfig from(Settings s) {
        Topics topics = new Topics(
                s.string("kafka.topic.events", "nudge.events"),
                s.string("kafka.topic.decisions", "nudge.decisions"),
                s.string("kafka.topic.dead-letters", "nudge.dead-letters"),
                s.string("kafka.topic.audit", "nudge.audit"),
                s.integer("kafka.topic.partitions", 4));
        KafkaConfig kafka = new KafkaConfig(
                s.string("kafka.bootstrap.servers", null),
                Path.of(s.string("kafka.embedded.data-dir", "target/nudge-kafka")),
                s.integer("kafka.embedded.port", 9092),
                topics,
                s.string("kafka.consumer.group", "nudge-engine"),
                s.withPrefix("kafka.producer."),
                s.withPrefix("kafka.consumer.client."));
        EngineConfig engine = new EngineConfig(
                Path.of(s.string("engine.rules-dir", "rules")),
                s.duration("engine.allowed-lateness", Duration.ofMinutes(1)),
                s.duration("engine.idle-tick", Duration.ofSeconds(1)),
                s.decimal("engine.clock-speed", 1.0),
                s.duration("engine.dedup-window", Duration.ofHours(24)),
                s.duration("engine.replay-horizon", Duration.ofHours(74)),
                s.integer("engine.instances", 1),
                holdouts(s),
                s.duration("engine.stale-after", Duration.ofHours(1)));
        HttpConfig http = new HttpConfig(s.string("http.host", "127.0.0.1"), s.integer("http.port", 8080));
        DemoConfig demo = new DemoConfig(
                s.bool("demo.enabled", false),
                s.integer("demo.shoppers", 40),
                s.decimal("demo.speed", 120.0),
                s.integer("demo.seed", 42));
        return new NudgeConfig(kafka, engine, http, demo);
    }

    /** {@code decisions.holdout-percent} for every campaign, {@code decisions.holdout-percent.<campaign>} for one. */
    private static Holdouts holdouts(Settings s) {
        String key = "decisions.holdout-percent";
        Map<String, Double> byCampaign = new java.util.HashMap<>();
        s.withPrefix(key + ".").forEach((campaign, v) -> byCampaign.put(campaign, s.decimal(key + "." + campaign, 0)));
        try {
            return new Holdouts(s.decimal(key, 0), byCampaign);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + key + ": " + e.getMessage());
        }
    }

    public NudgeConfig withKafka(KafkaConfig k) {
        return new NudgeConfig(k, engine, http, demo);
    }

    public NudgeConfig withEngine(EngineConfig e) {
        return new NudgeConfig(kafka, e, http, demo);
    }
}
