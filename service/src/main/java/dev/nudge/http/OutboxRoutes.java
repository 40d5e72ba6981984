package dev.nudge.http;

import dev.nudge.send.LocalSmtp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What the embedded SMTP server received, for the demo: {@code GET /outbox} lists the mails (newest first; JSON, or
 * a page for a browser, phone-sized too) with their subject, sender, recipient and time, and says whether they
 * survive a restart; {@code GET /outbox/{n}} shows mail n: its headers, then the mail as its recipient would see it, in
 * a sandboxed frame. Only with the embedded server (no relay).
 */
final class OutboxRoutes {

    private static final int LISTED = 200;
    /**
     * The pages run no script and load nothing but images and inline styles; the mail's own HTML sits in a frame
     * sandboxed without scripts, forms or this origin, so a mail cannot act as Nudge's pages.
     */
    static final String POLICY = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

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
                mails.add(summary(n, all.get(n)));
            }
        } catch (MessagingException e) {
            rc.fail(e);
            return;
        }
        Path kept = smtp.keptIn();
        String accept = rc.request().getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            html(rc, 200, OutboxPages.list(all.size(), mails, kept));
            return;
        }
        rc.response().putHeader("content-type", "application/json")
                .end(new JsonObject().put("received", all.size()).put("survivesRestart", kept != null)
                        .put("keptIn", kept == null ? null : kept.toString()).put("mails", mails).encodePrettily());
    }

    private static JsonObject summary(int n, MimeMessage m) throws MessagingException {
        return new JsonObject().put("n", n).put("from", header(m, "From")).put("to", header(m, "To"))
                .put("subject", m.getSubject()).put("date", header(m, "Date"))
                .put("time", m.getSentDate() == null ? null : TIME.format(m.getSentDate().toInstant()))
                .put("campaign", header(m, "X-Nudge-Campaign")).put("decisionId", header(m, "X-Nudge-Decision"))
                .put("listUnsubscribe", header(m, "List-Unsubscribe")).put("view", "/outbox/" + n);
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
        MimeMessage m = all.get(n);
        try {
            html(rc, 200, OutboxPages.mail(n, summary(n, m), OutboxPages.headers(m), LocalSmtp.part(m, "text/html"),
                    LocalSmtp.part(m, "text/plain")));
        } catch (MessagingException | IOException e) {
            rc.fail(e);
        }
    }

    private static void html(RoutingContext rc, int status, String page) {
        rc.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", POLICY).end(page);
    }

    /** A header's values, decoded (RFC 2047) and joined; "" when absent. */
    static String header(MimeMessage m, String name) throws MessagingException {
        String[] values = m.getHeader(name);
        if (values == null) {
            return "";
        }
        StringBuilder joined = new StringBuilder();
        for (String v : values) {
            if (!joined.isEmpty()) {
                joined.append(", ");
            }
            try {
                joined.append(jakarta.mail.internet.MimeUtility.decodeText(jakarta.mail.internet.MimeUtility.unfold(v)));
            } catch (java.io.UnsupportedEncodingException e) {
                joined.append(v);
            }
        }
        return joined.toString();
    }
}
