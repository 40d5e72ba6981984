package dev.nudge.http;

import dev.nudge.send.LocalSmtp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.List;

/**
 * What the embedded SMTP server received, for the demo: {@code GET /outbox} lists the mails (newest first) and
 * {@code GET /outbox/{n}} shows mail n as its recipient would see it. Only with the embedded server (no relay).
 */
final class OutboxRoutes {

    private static final int LISTED = 200;

    private final LocalSmtp smtp;

    OutboxRoutes(LocalSmtp smtp) {
        this.smtp = smtp;
    }

    void mount(Router router) {
        router.get("/outbox").blockingHandler(this::list, false);
        router.get("/outbox/:n").blockingHandler(this::show, false);
    }

    private void list(RoutingContext rc) {
        List<MimeMessage> all = smtp.received();
        JsonArray mails = new JsonArray();
        try {
            for (int n = all.size() - 1; n >= 0 && mails.size() < LISTED; n--) {
                MimeMessage m = all.get(n);
                mails.add(new JsonObject().put("n", n).put("to", String.join(", ", header(m, "To")))
                        .put("subject", m.getSubject()).put("date", String.join("", header(m, "Date")))
                        .put("campaign", String.join("", header(m, "X-Nudge-Campaign")))
                        .put("decisionId", String.join("", header(m, "X-Nudge-Decision")))
                        .put("listUnsubscribe", String.join("", header(m, "List-Unsubscribe")))
                        .put("view", "/outbox/" + n));
            }
        } catch (MessagingException e) {
            rc.fail(e);
            return;
        }
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("received", all.size()).put("mails", mails).encodePrettily());
    }

    private void show(RoutingContext rc) {
        List<MimeMessage> all = smtp.received();
        int n;
        try {
            n = Integer.parseInt(rc.pathParam("n"));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n >= all.size()) {
            rc.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "no mail " + rc.pathParam("n") + " (0.." + (all.size() - 1)
                            + ")").encode());
            return;
        }
        try {
            String html = LocalSmtp.part(all.get(n), "text/html");
            if (html == null) {
                String text = LocalSmtp.part(all.get(n), "text/plain");
                html = "<pre>" + UnsubscribeRoutes.escape(text == null ? "" : text) + "</pre>";
            }
            rc.response().putHeader("content-type", "text/html; charset=utf-8")
                    // the mail's own HTML, shown as it is: no scripts, nothing loaded but images
                    .putHeader("Content-Security-Policy", "default-src 'none'; img-src * data:; style-src 'unsafe-inline'")
                    .end(html);
        } catch (MessagingException | IOException e) {
            rc.fail(e);
        }
    }

    private static List<String> header(MimeMessage m, String name) throws MessagingException {
        String[] values = m.getHeader(name);
        return values == null ? List.of() : List.of(values);
    }
}
