package dev.nudge.app;

import dev.nudge.rules.RulesWatcher;
import dev.nudge.rules.LiveRules;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.event.Json;
import dev.nudge.explain.DecisionLog;
import dev.nudge.decision.DecisionJson;
import dev.nudge.explain.DecisionLogReader;
import dev.nudge.http.HttpVerticle;
import dev.nudge.kafka.EmbeddedKafka;
import dev.nudge.kafka.TopicAdmin;
import dev.nudge.metrics.Metrics;
import dev.nudge.send.SendStage;
import dev.nudge.shadow.ShadowRules;
import dev.nudge.send.UnsubscribeSecretFile;
import dev.nudge.send.UnsubscribeTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A running Nudge: broker (when embedded), topics, compiled rules, the engine and the HTTP API, stopped as one. */
public final class NudgeService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NudgeService.class);

    private final NudgeConfig config;
    private final EmbeddedKafka broker;
    private final Vertx vertx;
    private final Admin admin;
    private final Metrics metrics;
    private final HttpVerticle http;
    private final DecisionLogReader decisionLog;
    private RulesWatcher watcher;
    private SendStage send;

    private NudgeService(NudgeConfig config, EmbeddedKafka broker, Vertx vertx, Admin admin, Metrics metrics,
                         HttpVerticle http, DecisionLogReader decisionLog) {
        this.decisionLog = decisionLog;
        this.config = config;
        this.broker = broker;
        this.vertx = vertx;
        this.admin = admin;
        this.metrics = metrics;
        this.http = http;
    }

    /** Starts everything or fails with the reason; a half-started service is stopped again. */
    public static NudgeService start(NudgeConfig config) throws Exception {
        return start(config, null);
    }

    /** As {@link #start(NudgeConfig)}, with the demo shop of {@code nudge run} (null for none). */
    public static NudgeService start(NudgeConfig config, dev.nudge.demo.DemoShop shop) throws Exception {
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC(), config.engine().replayHorizon())
                .compile(config.engine().rulesDir());
        if (!compiled.ok()) {
            throw new IllegalStateException("rules in " + config.engine().rulesDir() + " do not compile:\n  "
                    + String.join("\n  ", compiled.errors().stream().map(Object::toString).toList()));
        }
        RuleSet rules = compiled.rules();
        compiled.warnings().forEach(w -> LOG.warn("rules: {}", w));
        LOG.info("{} rule files loaded from {} (version {})", rules.files().size(), config.engine().rulesDir(),
                rules.version());
        EmbeddedKafka broker = null;
        if (config.kafka().embedded()) {
            broker = EmbeddedKafka.start(config.kafka().embeddedDataDir(), config.kafka().embeddedPort());
            config = config.withKafka(config.kafka().withBootstrapServers(broker.bootstrapServers()));
            if (config.send().unsubscribeSecret() == null) {
                config = config.withSend(config.send().withUnsubscribeSecret(keptSecret(config, broker)));
            }
        }
        Vertx vertx = null;
        Admin admin = null;
        DecisionLogReader reader = null;
        SendStage send = null;
        try {
            send = config.send().enabled() ? SendStage.prepare(config.send()) : null;
            TopicAdmin.ensureTopics(config.kafka().bootstrapServers(), config.kafka().topics());
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()));
            vertx = Vertx.vertx();
            ObjectMapper json = Json.mapper();
            Metrics metrics = new Metrics();
            LiveRules current = new LiveRules(config.engine().rulesDir(), rules, Clock.systemUTC(), metrics,
                    config.engine().replayHorizon());
            ShadowRules shadow = new ShadowRules(Clock.systemUTC());
            startShadow(config, shadow);
            EngineSupervisor engines = new EngineSupervisor(vertx, config, current, shadow, metrics, json, admin);
            await(engines.start());
            Admin a = admin;
            Vertx v = vertx;
            DecisionLog log = new DecisionLog(config.explain().maxCustomers(), config.explain().perCustomer(),
                    new DecisionJson(json));
            reader = new DecisionLogReader(log, config.kafka().bootstrapServers(), config.kafka().topics(), json,
                    config.explain().window(), Clock.systemUTC());
            reader.start();
            RulesWatcher watcher = config.engine().watchRules() ? new RulesWatcher(current) : null;
            String secret = config.send().unsubscribeSecret();
            UnsubscribeTokens tokens = send != null ? send.tokens() : secret != null ? new UnsubscribeTokens(secret) : null;
            SendStage sending = send;
            HttpVerticle http = new HttpVerticle(config, metrics, json,
                    () -> readiness(v, a, current.get(), engines, sending), log, current, tokens,
                    send == null ? null : send.localSmtp(), shop, shadow);
            await(vertx.deployVerticle(http));
            if (send != null) {
                await(send.deploy(vertx, config, "http://" + config.http().host() + ":" + http.port(), metrics, json));
            }
            LOG.info("Nudge is up: HTTP on http://{}:{}, Kafka at {}", config.http().host(), http.port(),
                    config.kafka().bootstrapServers());
            NudgeService service = new NudgeService(config, broker, vertx, admin, metrics, http, reader);
            service.watcher = watcher;
            service.send = send;
            return service;
        } catch (Exception e) {
            if (send != null) {
                send.close();
            }
            if (reader != null) {
                reader.close();
            }
            if (vertx != null) {
                await(vertx.close());
            }
            if (admin != null) {
                admin.close();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * {@code rules.shadow-dir}: its rules run as shadow rules from the start. Rules there that do not compile leave the
     * service running without shadow rules, their errors in the log and in {@code GET /rules/shadow}.
     */
    private static void startShadow(NudgeConfig config, ShadowRules shadow) throws java.io.IOException {
        java.nio.file.Path dir = config.engine().shadowRulesDir();
        if (dir == null) {
            return;
        }
        RuleCompiler.Result compiled = new RuleCompiler(Clock.systemUTC(), config.engine().replayHorizon())
                .compile(dir);
        if (compiled.ok()) {
            shadow.start(compiled.rules(), dir.toString());
        } else {
            LOG.error("shadow rules in {} do not compile; no shadow rules run:\n  {}", dir,
                    String.join("\n  ", compiled.errors().stream().map(Object::toString).toList()));
            shadow.refused(dir.toString(), compiled.errors());
        }
    }

    /**
     * A try-out on the embedded broker keeps its unsubscribe secret with the broker's data: the links of the mails it
     * sent work as long as the data that made them is kept. A configured secret always wins; elsewhere (a broker of
     * one's own) a missing secret stays the send stage's random one, with its warning.
     */
    private static String keptSecret(NudgeConfig config, EmbeddedKafka broker) {
        try {
            UnsubscribeSecretFile.Kept kept = UnsubscribeSecretFile.keep(config.kafka().embeddedDataDir());
            LOG.info("unsubscribe links are signed with the secret {} in {}, so they keep working after a restart "
                    + "(set send.unsubscribe-secret in production)", kept.created() ? "made now and kept"
                    : "kept by an earlier run", kept.file());
            return kept.secret();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Ready when the broker answers, rules are loaded, and every stage of this process runs and polls: a stage that
     * failed and is waiting for its replacement makes the answer 503, so an orchestrator can act.
     */
    private static Future<JsonObject> readiness(Vertx vertx, Admin admin, RuleSet rules, EngineSupervisor engines,
                                                SendStage send) {
        return vertx.executeBlocking(() -> {
            boolean broker = TopicAdmin.reachable(admin, 2000);
            boolean engine = engines.allRunning();
            boolean sending = send == null || send.running();
            return new JsonObject().put("ready", broker && rules != null && engine && sending).put("broker", broker)
                    .put("rules", rules == null ? null : rules.version()).put("engine", engine ? "running" : "down")
                    .put("send", send == null ? "elsewhere" : sending ? "running" : "down");
        });
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    public NudgeConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The send stage running in this process, or null when it runs elsewhere ({@code send.enabled=false}). */
    public SendStage send() {
        return send;
    }

    /** The operations the HTTP API answers ({@code GET /ready}, ...), as {@code /openapi.json} should list them. */
    public List<String> httpOperations() {
        return http.operations();
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() throws Exception {
        try {
            if (watcher != null) {
                watcher.close();
            }
            decisionLog.close();
            await(vertx.close());
            if (send != null) {
                send.close();
            }
        } finally {
            metrics.close();
            admin.close();
            if (broker != null) {
                broker.close();
            }
        }
    }
}
