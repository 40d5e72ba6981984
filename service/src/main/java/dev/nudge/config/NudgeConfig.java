package dev.nudge.config;

import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.Holdouts;
import dev.nudge.engine.QuietHours;
import dev.nudge.event.EventParser;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The whole typed configuration of Nudge, parsed once from {@link Settings}; every default is named here. */
public record NudgeConfig(KafkaConfig kafka, EngineConfig engine, HttpConfig http, DemoConfig demo,
                          ExplainConfig explain, SendConfig send, IngestConfig ingest) {

    public static final Path DEFAULT_FILE = Path.of("deploy", "nudge.properties");
    /** No marketing mail from 21:00 to 08:00 in the customer's time zone. */
    public static final String DEFAULT_QUIET_HOURS = "21:00-08:00";
    /** Checkouts silent for an hour while other events flow: abandonment mails wait for them. */
    public static final Duration DEFAULT_CHECKOUT_MAX_LAG = Duration.ofHours(1);

    /** Where Kafka is and what the topics are called. */
    public record KafkaConfig(String bootstrapServers, Path embeddedDataDir, int embeddedPort, Topics topics,
                              String consumerGroup, Map<String, String> producerOverrides,
                              Map<String, String> consumerOverrides, String instanceId) {
        /** True when Nudge must start its own broker. */
        public boolean embedded() {
            return bootstrapServers == null;
        }

        public KafkaConfig withBootstrapServers(String servers) {
            return new KafkaConfig(servers, embeddedDataDir, embeddedPort, topics, consumerGroup,
                    producerOverrides, consumerOverrides, instanceId);
        }

        /**
         * The consumer overrides of one of this process's group members ({@code engine-1}, {@code send}): with
         * {@code kafka.consumer.instance-id} set, a static member, {@code <instance-id>-<member>}, so a restarted
         * process takes its partitions back without a rebalance.
         */
        public Map<String, String> consumerOverrides(String member) {
            if (instanceId == null) {
                return consumerOverrides;
            }
            Map<String, String> p = new HashMap<>(consumerOverrides);
            p.put("group.instance.id", instanceId + "-" + member);
            return p;
        }
    }

    /** How rules run against event time. */
    public record EngineConfig(Path rulesDir, Duration allowedLateness, Duration idleTick, double clockSpeed,
                               Duration dedupWindow, Duration replayHorizon, int instances, Holdouts holdouts,
                               Duration staleAfter, QuietHours quietHours, Map<String, Duration> sourceMaxLag,
                               boolean watchRules, Duration maxClockSkew, Path shadowRulesDir) {
        public EngineConfig withClockSpeed(double speed) {
            return new EngineConfig(rulesDir, allowedLateness, idleTick, speed, dedupWindow, replayHorizon, instances,
                    holdouts, staleAfter, quietHours, sourceMaxLag, watchRules, maxClockSkew, shadowRulesDir);
        }

        /** What each partition's session needs of this. */
        public EngineSettings settings() {
            return new EngineSettings(allowedLateness, dedupWindow, staleAfter, holdouts, quietHours, sourceMaxLag,
                    maxClockSkew);
        }
    }

    /** The HTTP API. */
    public record HttpConfig(String host, int port, String adminToken) {
        /** True when admin endpoints can be used at all: a token is configured. */
        public boolean adminEnabled() {
            return adminToken != null && !adminToken.isBlank();
        }

        @Override
        public String toString() {
            // the token is a secret: never in a log line
            return "HttpConfig[host=" + host + ", port=" + port + ", adminToken=" + (adminEnabled() ? "***" : "none") + "]";
        }
    }

    /** How much of the decision history {@code GET /customers/{id}/decisions} keeps: event time back, and bounds. */
    public record ExplainConfig(Duration window, int maxCustomers, int perCustomer) {
    }

    /**
     * The simulated shoppers of {@code nudge run}; {@code baseReturn} of those a decision is about come back and buy
     * within {@code returnWithin} anyway, and {@code mailEffect} of the others because they were mailed.
     */
    public record DemoConfig(boolean enabled, int shoppers, double speed, long seed, double mailEffect,
                             double baseReturn, Duration returnWithin) {
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
                s.string("kafka.topic.customers", "nudge.customers"),
                s.string("kafka.topic.sent", "nudge.sent"),
                s.string("kafka.topic.send-dead-letters", "nudge.send-dead-letters"),
                s.string("kafka.topic.conversions", "nudge.conversions"),
                s.string("kafka.topic.shadow-decisions", Topics.SHADOW_DECISIONS),
                s.integer("kafka.topic.partitions", 4),
                s.integer("kafka.topic.replication-factor", 1));
        KafkaConfig kafka = new KafkaConfig(
                s.string("kafka.bootstrap.servers", null),
                Path.of(s.string("kafka.embedded.data-dir", "target/nudge-kafka")),
                s.integer("kafka.embedded.port", 9092),
                topics,
                s.string("kafka.consumer.group", "nudge-engine"),
                s.withPrefix("kafka.producer."),
                s.withPrefix("kafka.consumer.client."),
                s.string("kafka.consumer.instance-id", null));
        EngineConfig engine = new EngineConfig(
                Path.of(s.string("engine.rules-dir", "rules")),
                s.duration("engine.allowed-lateness", Duration.ofMinutes(1)),
                s.duration("engine.idle-tick", Duration.ofSeconds(1)),
                s.decimal("engine.clock-speed", 1.0),
                s.duration("engine.dedup-window", Duration.ofHours(24)),
                s.duration("engine.replay-horizon", Duration.ofHours(74)),
                s.integer("engine.instances", 1),
                holdouts(s),
                s.duration("engine.stale-after", Duration.ofHours(1)),
                quietHours(s),
                sourceMaxLag(s),
                watchRules(s),
                s.duration("engine.max-clock-skew", EngineSettings.DEFAULT_MAX_CLOCK_SKEW),
                shadowRulesDir(s));
        HttpConfig http = new HttpConfig(s.string("http.host", "127.0.0.1"), s.integer("http.port", 8080),
                s.string("admin.token", null));
        DemoConfig demo = new DemoConfig(
                s.bool("demo.enabled", false),
                s.integer("demo.shoppers", 100),
                s.decimal("demo.speed", 120.0),
                s.integer("demo.seed", 42),
                s.decimal("demo.mail-effect", 0.10),
                s.decimal("demo.base-return", 0.05),
                s.duration("demo.return-within", Duration.ofHours(48)));
        ExplainConfig explain = new ExplainConfig(
                s.duration("explain.window", Duration.ofDays(7)),
                s.integer("explain.max-customers", 100_000),
                s.integer("explain.per-customer", 50));
        return new NudgeConfig(kafka, engine, http, demo, explain, SendConfig.from(s), IngestConfig.from(s));
    }

    /**
     * {@code decisions.holdout-percent} for every campaign, {@code decisions.holdout-percent.<campaign>} for one;
     * {@code decisions.variants.<campaign>=30m,2h} for a campaign that runs an experiment between trigger variants.
     */
    private static Holdouts holdouts(Settings s) {
        String key = "decisions.holdout-percent";
        Map<String, Double> byCampaign = new java.util.HashMap<>();
        s.withPrefix(key + ".").forEach((campaign, v) -> byCampaign.put(campaign, s.decimal(key + "." + campaign, 0)));
        Map<String, java.util.List<String>> variants = new java.util.HashMap<>();
        s.withPrefix("decisions.variants.").forEach((campaign, v) -> variants.put(campaign,
                java.util.Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()));
        try {
            return new Holdouts(s.decimal(key, 0), byCampaign, variants);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + key + " / decisions.variants: " + e.getMessage());
        }
    }

    /** {@code rules.shadow-dir}: a folder of rules to run as shadow rules from the start; empty or unset for none. */
    private static Path shadowRulesDir(Settings s) {
        String dir = s.string("rules.shadow-dir", "");
        return dir == null || dir.isBlank() ? null : Path.of(dir.trim());
    }

    /** {@code rules.reload}: {@code watch} (staging) or {@code manual} (production, the default). */
    private static boolean watchRules(Settings s) {
        String mode = s.string("rules.reload", "manual").trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("watch") && !mode.equals("manual")) {
            throw new IllegalArgumentException("setting rules.reload must be watch or manual, got '" + mode + "'");
        }
        return mode.equals("watch");
    }

    /** {@code decisions.quiet-hours} (21:00-08:00, empty for none) in {@code decisions.time-zone} unless profiles say. */
    private static QuietHours quietHours(Settings s) {
        try {
            return QuietHours.parse(s.string("decisions.quiet-hours", DEFAULT_QUIET_HOURS),
                    s.string("decisions.time-zone", "UTC"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("settings decisions.quiet-hours / decisions.time-zone: " + e.getMessage());
        }
    }

    /** {@code engine.source-max-lag.<EventType>}: how long that type may stay silent; checkouts are watched by default. */
    private static Map<String, Duration> sourceMaxLag(Settings s) {
        String key = "engine.source-max-lag";
        Map<String, Duration> lags = new java.util.TreeMap<>(Map.of("CheckoutCompleted", DEFAULT_CHECKOUT_MAX_LAG));
        // the file's keys, then the environment's (NUDGE_ENGINE_SOURCE_MAX_LAG_CHECKOUTCOMPLETED), which win
        Map<String, String> given = new java.util.LinkedHashMap<>(s.withPrefix(key + "."));
        given.putAll(s.withPrefix(key.replace('-', '.') + "."));
        given.forEach((name, v) -> {
            // environment variables come in upper case: match the type whatever its case
            String type = EventParser.TYPES.stream().filter(t -> t.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("setting " + key + "." + name
                            + ": not an event type (" + String.join(", ", EventParser.TYPES) + ")"));
            try {
                Duration d = v.trim().equals("0") ? Duration.ZERO : Settings.parseDuration(v);
                if (d.isZero()) {
                    lags.remove(type);
                } else {
                    lags.put(type, d);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("setting " + key + "." + name
                        + " must be a duration such as 1h, got '" + v + "'");
            }
        });
        return lags;
    }

    public NudgeConfig withKafka(KafkaConfig k) {
        return new NudgeConfig(k, engine, http, demo, explain, send, ingest);
    }

    public NudgeConfig withEngine(EngineConfig e) {
        return new NudgeConfig(kafka, e, http, demo, explain, send, ingest);
    }

    public NudgeConfig withSend(SendConfig s) {
        return new NudgeConfig(kafka, engine, http, demo, explain, s, ingest);
    }

    public NudgeConfig withIngest(IngestConfig i) {
        return new NudgeConfig(kafka, engine, http, demo, explain, send, i);
    }
}
