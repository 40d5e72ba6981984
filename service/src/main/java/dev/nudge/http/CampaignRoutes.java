package dev.nudge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.report.CampaignReports;
import dev.nudge.report.Report;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * {@code GET /campaigns}: the campaign report as JSON, for admins ({@code ?closed=true}: only decisions whose
 * conversion window has closed). Reading the topics takes a while, so it runs on a
 * worker, and one report serves the requests of the next few seconds.
 */
final class CampaignRoutes {

    /** How long one reading of the topics answers: a dashboard polling every second does not rescan Kafka. */
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final CampaignReports reports;
    private final ObjectMapper json;
    // one report for each answer of ?closed
    private final Report[] last = new Report[2];
    private final long[] lastAtNanos = new long[2];

    CampaignRoutes(Vertx vertx, CampaignReports reports, ObjectMapper json) {
        this.vertx = vertx;
        this.reports = reports;
        this.json = json;
    }

    void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/campaigns").handler(admin).handler(this::campaigns);
    }

    private void campaigns(RoutingContext rc) {
        boolean closed = "true".equals(rc.request().getParam("closed"));
        vertx.executeBlocking(() -> report(closed), false).onComplete(ar -> {
            if (ar.failed()) {
                HttpJson.send(rc, 503, new JsonObject().put("error", "could not read the conversions topic: "
                        + ar.cause().getMessage()));
                return;
            }
            HttpJson.send(rc, json, ar.result());
        });
    }

    private synchronized Report report(boolean closed) {
        int i = closed ? 1 : 0;
        if (last[i] == null || System.nanoTime() - lastAtNanos[i] > FRESH_FOR.toNanos()) {
            last[i] = reports.read(closed);
            lastAtNanos[i] = System.nanoTime();
        }
        return last[i];
    }
}
