package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleSet;
import dev.nudge.rules.LiveRules;
import dev.nudge.engine.Durations;
import dev.nudge.shadow.ShadowReport;
import dev.nudge.shadow.ShadowTally;
import dev.nudge.shadow.ShadowRules;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Shadow rules over HTTP, admins only: {@code POST /rules/shadow} starts (or replaces) them from the running rules with
 * the DRL files of the body in place, {@code GET /rules/shadow} answers the running difference (JSON, or text with
 * {@code ?format=text}), {@code POST /rules/shadow/promote} makes them the live rules in one reload, and
 * {@code DELETE /rules/shadow} withdraws them.
 */
final class ShadowRoutes {

    private final Vertx vertx;
    private final NudgeConfig config;
    private final ObjectMapper json;
    private final LiveRules live;
    private final ShadowRules shadow;
    // one compile or promotion at a time: each takes seconds, and two promotions must not interleave their writes
    private final AtomicBoolean busy = new AtomicBoolean();

    ShadowRoutes(Vertx vertx, NudgeConfig config, ObjectMapper json, LiveRules live, ShadowRules shadow) {
        this.vertx = vertx;
        this.config = config;
        this.json = json;
        this.live = live;
        this.shadow = shadow;
    }

    void mount(Router router, Handler<RoutingContext> admin) {
        router.post("/rules/shadow")
                .handler(BodyHandler.create().setBodyLimit(BacktestRoutes.MAX_BODY_BYTES).setHandleFileUploads(false))
                .handler(admin).handler(this::start);
        router.get("/rules/shadow").handler(admin).handler(this::report);
        router.delete("/rules/shadow").handler(admin).handler(this::withdraw);
        router.post("/rules/shadow/promote").handler(admin).handler(this::promote);
    }

    private void start(RoutingContext rc) {
        Map<String, String> files;
        try {
            JsonNode body = json.readTree(rc.body().asString() == null ? "{}" : rc.body().asString());
            files = CandidateRules.files(body.path("files"));
        } catch (IOException | IllegalArgumentException e) {
            HttpJson.send(rc, 400, new JsonObject().put("error", "expected {\"files\": {\"name.drl\": \"DRL\"}}: "
                    + e.getMessage()));
            return;
        }
        RuleSet current = live.get();
        if (!busy.compareAndSet(false, true)) {
            HttpJson.send(rc, 429, new JsonObject().put("error", "shadow rules are being started or promoted: try "
                    + "again when that is done"));
            return;
        }
        vertx.executeBlocking(() -> CandidateRules.compile(current, files, config.engine().replayHorizon()), false)
                .onComplete(ar -> {
                    busy.set(false);
                    if (ar.failed()) {
                        HttpJson.send(rc, 500, new JsonObject().put("error", "could not compile the shadow rules: "
                                + ar.cause().getMessage()));
                    } else if (!ar.result().ok()) {
                        HttpJson.send(rc, 422, new JsonObject()
                                .put("error", "the shadow rules do not compile: nothing changed")
                                .put("errors", CandidateRules.errors(ar.result().errors())));
                    } else {
                        RuleCompiler.Result r = ar.result();
                        ShadowRules.Run run = shadow.start(r.rules(), "POST /rules/shadow");
                        HttpJson.send(rc, 200, new JsonObject().put("status", ShadowReport.RUNNING)
                                .put("shadowVersion", r.rules().contentHash())
                                .put("liveVersion", current.contentHash())
                                .put("startedAt", run.startedAt().toString())
                                .put("files", new JsonArray(r.rules().files()))
                                .put("warnings", CandidateRules.errors(r.warnings())));
                    }
                });
    }

    /** Off the event loop: comparing up to 50,000 decisions a side takes a while, and the live page asks often. */
    private void report(RoutingContext rc) {
        String liveVersion = live.get().contentHash();
        Duration settle = ShadowTally.SETTLE;
        String asked = rc.request().getParam("settle");
        if (asked != null) {
            try {
                settle = Durations.parse(asked);
            } catch (IllegalArgumentException e) {
                HttpJson.send(rc, 400, new JsonObject().put("error", "settle: " + e.getMessage()));
                return;
            }
        }
        Duration window = settle;
        vertx.executeBlocking(() -> ShadowReport.of(shadow, liveVersion, window), false).onComplete(ar -> {
            if (ar.failed()) {
                HttpJson.send(rc, 500, new JsonObject().put("error", "could not compare: " + ar.cause().getMessage()));
            } else if ("text".equals(rc.request().getParam("format"))) {
                rc.response().putHeader("content-type", "text/plain; charset=utf-8").end(ar.result().text());
            } else {
                HttpJson.send(rc, json, ar.result());
            }
        });
    }

    private void withdraw(RoutingContext rc) {
        ShadowRules.Run run = shadow.current();
        if (run == null || !shadow.withdraw("withdrawn by DELETE /rules/shadow")) {
            HttpJson.send(rc, 404, new JsonObject().put("error", "no shadow rules run"));
            return;
        }
        HttpJson.send(rc, 200, new JsonObject().put("status", "withdrawn")
                .put("shadowVersion", run.rules().contentHash()));
    }

    /**
     * Writes the shadow rules into the rules folder and reloads them as the live rules, then ends the shadow run. A
     * folder that cannot be written changes nothing: 409, and the shadow rules keep running.
     */
    private void promote(RoutingContext rc) {
        ShadowRules.Run run = shadow.current();
        if (run == null) {
            HttpJson.send(rc, 404, new JsonObject().put("error", "no shadow rules run: nothing to promote"));
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            HttpJson.send(rc, 429, new JsonObject().put("error", "shadow rules are being started or promoted: try "
                    + "again when that is done"));
            return;
        }
        vertx.executeBlocking(() -> live.replaceWith(run.rules().sources()), false).onComplete(ar -> {
            busy.set(false);
            if (ar.failed() && ar.cause() instanceof LiveRules.FolderNotWritable e) {
                HttpJson.send(rc, 409, new JsonObject().put("error", e.getMessage() + ": nothing changed, the live "
                        + "rules stay and the shadow rules keep running").put("rulesDir", live.dir().toString()));
            } else if (ar.failed()) {
                HttpJson.send(rc, 500, new JsonObject().put("error", "could not write the rules folder ("
                        + ar.cause().getMessage() + "): it was put back, the live rules stay and the shadow rules "
                        + "keep running"));
            } else if (!ar.result().ok()) {
                HttpJson.send(rc, 422, new JsonObject().put("error", "the promoted rules did not load: the folder was "
                        + "put back, the live rules stay").put("errors", CandidateRules.errors(ar.result().errors())));
            } else {
                RuleSet promoted = ar.result().rules();
                if (shadow.current() == run) {
                    shadow.withdraw("promoted: now the live rules " + promoted.version());
                }
                HttpJson.send(rc, 200, new JsonObject().put("status", "promoted").put("version", promoted.version())
                        .put("files", new JsonArray(promoted.files())).put("rulesDir", live.dir().toString()));
            }
        });
    }
}
