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
 * What the embedded SMTP server received, for the demo: {@code GET /outbox} lists the mails (newest first; JSON, or
 * a page for a browser) and
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
        String accept = rc.request().getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page(all.size(), mails));
            return;
        }
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("received", all.size()).put("mails", mails).encodePrettily());
    }

    /** The list as a page, for a browser: newest first, each subject a link to the mail. */
    private static String page(int received, JsonArray mails) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < mails.size(); i++) {
            JsonObject m = mails.getJsonObject(i);
            rows.append("<tr><td>").append(UnsubscribeRoutes.escape(m.getString("date"))).append("</td><td>")
                    .append(UnsubscribeRoutes.escape(m.getString("to"))).append("</td><td>")
                    .append(UnsubscribeRoutes.escape(m.getString("campaign"))).append("</td><td><a href=\"")
                    .append(m.getString("view")).append("\">")
                    .append(UnsubscribeRoutes.escape(String.valueOf(m.getString("subject")))).append("</a></td></tr>");
        }
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Nudge outbox</title></head>"
                + "<body style=\"font-family:sans-serif;margin:2em\"><h1>Outbox: " + received + " mails received</h1>"
                + "<table cellpadding=\"6\"><tr><th align=\"left\">date</th><th align=\"left\">to</th>"
                + "<th align=\"left\">campaign</th><th align=\"left\">subject</th></tr>" + rows + "</table></body></html>";
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
