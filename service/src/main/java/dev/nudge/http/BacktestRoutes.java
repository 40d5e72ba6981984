package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.backtest.Backtest;
import dev.nudge.backtest.BacktestResult;
import dev.nudge.backtest.Window;
import dev.nudge.backtest.WindowReader;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.Durations;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code POST /rules/backtest}: replays the events topic through the running rules and through the same rules with
 * the DRL files of the body in place (a file set to null is left out), on a worker, and answers the comparison.
 * Takes file contents, never a path, so a request cannot make the service read its disk; one backtest at a time,
 * over at most {@link #MAX_SINCE} of event time.
 */
final class BacktestRoutes {

    static final Duration MAX_SINCE = Duration.ofDays(14);
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Vertx vertx;
    private final NudgeConfig config;
    private final ObjectMapper json;
    private final Supplier<RuleSet> running;
    private final AtomicBoolean busy = new AtomicBoolean();

    BacktestRoutes(Vertx vertx, NudgeConfig config, ObjectMapper json, Supplier<RuleSet> running) {
        this.vertx = vertx;
        this.config = config;
        this.json = json;
        this.running = running;
    }

    void mount(Router router, Handler<RoutingContext> admin) {
        // Vert.x wants the body handler before any other
        router.post("/rules/backtest")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
                .handler(admin).handler(this::backtest);
    }

    /** A request the caller can fix: answered 400 with its message. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Candidate rules that do not compile: answered 422 with their errors. */
    private static final class Rejected extends RuntimeException {
        final transient List<RuleError> errors;

        Rejected(List<RuleError> errors) {
            super("the candidate rules do not compile");
            this.errors = errors;
        }
    }

    private void backtest(RoutingContext rc) {
        Map<String, String> files;
        Duration since;
        try {
            JsonNode body = json.readTree(rc.body().asString() == null ? "{}" : rc.body().asString());
            files = CandidateRules.files(body.path("files"));
            since = Durations.parse(body.path("since").asText("7d"));
        } catch (IOException | IllegalArgumentException e) {
            HttpJson.send(rc, 400, new JsonObject().put("error", "expected {\"files\": {\"name.drl\": \"DRL\"}, "
                    + "\"since\": \"7d\"}: " + e.getMessage()));
            return;
        }
        if (since.isNegative() || since.isZero() || since.compareTo(MAX_SINCE) > 0) {
            HttpJson.send(rc, 400, new JsonObject().put("error", "since must be more than 0 and at most "
                    + MAX_SINCE.toDays() + "d"));
            return;
        }
        RuleSet current = running.get();
        if (current == null) {
            HttpJson.send(rc, 503, new JsonObject().put("error", "no rules are loaded"));
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            HttpJson.send(rc, 429, new JsonObject().put("error", "a backtest is running: try again when it is done"));
            return;
        }
        vertx.executeBlocking(() -> run(current, files, since), false).onComplete(ar -> {
            busy.set(false);
            if (ar.succeeded()) {
                HttpJson.send(rc, json, ar.result());
            } else if (ar.cause() instanceof Rejected r) {
                HttpJson.send(rc, 422, new JsonObject().put("error", r.getMessage())
                        .put("errors", CandidateRules.errors(r.errors)));
            } else {
                HttpJson.send(rc, 503, new JsonObject().put("error", "could not run the backtest: "
                        + ar.cause().getMessage()));
            }
        });
    }

    private BacktestResult run(RuleSet current, Map<String, String> changes, Duration since) throws IOException {
        long t0 = System.nanoTime();
        RuleCompiler.Result candidate = CandidateRules.compile(current, changes, null);
        long compileMillis = (System.nanoTime() - t0) / 1_000_000;
        if (!candidate.ok()) {
            throw new Rejected(candidate.errors());
        }
        Window window = new WindowReader(json).fromTopic(config.kafka().bootstrapServers(),
                config.kafka().topics().events(), since);
        return new Backtest(config.engine().settings()).run(window, current, 0, candidate.rules(), compileMillis);
    }
}
