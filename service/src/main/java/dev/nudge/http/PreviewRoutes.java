package dev.nudge.http;

import dev.nudge.decision.Decision;
import dev.nudge.explain.DecisionLog;
import dev.nudge.send.MailPreview;
import dev.nudge.send.MailRenderException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /preview/{decisionId}}: the mail a decision kept by the explanation log would produce, rendered as the
 * send stage renders it and never sent: its headers, the HTML part in a sandboxed frame, the text part. Admins only
 * (it shows a customer's cart); a browser that is not one is sent to the login form.
 */
final class PreviewRoutes {

    static final String PATH = "/preview/:decisionId";

    private final Vertx vertx;
    private final DecisionLog log;
    private final Supplier<MailPreview> previews;
    private final Predicate<RoutingContext> isAdmin;
    private final Handler<RoutingContext> admin;

    PreviewRoutes(Vertx vertx, DecisionLog log, Supplier<MailPreview> previews, Predicate<RoutingContext> isAdmin,
                  Handler<RoutingContext> admin) {
        this.vertx = vertx;
        this.log = log;
        this.previews = previews;
        this.isAdmin = isAdmin;
        this.admin = admin;
    }

    void mount(Router router) {
        router.get(PATH).handler(this::answer);
    }

    private void answer(RoutingContext rc) {
        if (!isAdmin.test(rc)) {
            String accept = rc.request().getHeader("Accept");
            if (accept != null && accept.contains("text/html")) {
                rc.redirect("/login?next=" + URLEncoder.encode(rc.request().uri(), StandardCharsets.UTF_8));
            } else {
                admin.handle(rc);
            }
            return;
        }
        String id = rc.pathParam("decisionId");
        Optional<Decision> found = log.find(id);
        if (found.isEmpty()) {
            send(rc, 404, PreviewPage.unknown(id));
            return;
        }
        Decision d = found.get();
        // templates are files: rendered off the event loop
        vertx.executeBlocking(() -> page(d)).onComplete(r -> {
            if (r.succeeded()) {
                send(rc, 200, r.result());
            } else {
                rc.fail(r.cause());
            }
        });
    }

    private String page(Decision d) {
        MailPreview preview;
        try {
            preview = previews.get();
        } catch (IllegalArgumentException e) {
            return PreviewPage.failed(d, e.getMessage(), null);
        }
        try {
            return PreviewPage.mail(d, preview.render(d, true), null);
        } catch (MailRenderException e) {
            try {
                return PreviewPage.mail(d, preview.render(d, false), e.getMessage());
            } catch (MailRenderException again) {
                return PreviewPage.failed(d, e.getMessage(), again.getMessage());
            }
        }
    }

    private static void send(RoutingContext rc, int status, String page) {
        rc.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", OutboxRoutes.POLICY).end(page);
    }
}
