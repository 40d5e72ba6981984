package dev.nudge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Predicate;

/**
 * {@code GET /}: a page of links to everything a person can open here, saying which need the admin login and leaving
 * out what this process does not serve (the outbox without the embedded SMTP server, the shop outside the demo).
 */
final class HomeRoutes {

    private final String page = WebPages.load("web/index.html").text();
    private final boolean outbox;
    private final boolean shop;
    private final boolean adminEnabled;
    private final Predicate<RoutingContext> isAdmin;

    HomeRoutes(boolean outbox, boolean shop, boolean adminEnabled, Predicate<RoutingContext> isAdmin) {
        this.outbox = outbox;
        this.shop = shop;
        this.adminEnabled = adminEnabled;
        this.isAdmin = isAdmin;
    }

    void mount(Router router) {
        router.get("/").handler(this::send);
    }

    private void send(RoutingContext rc) {
        boolean admin = isAdmin.test(rc);
        String lock = admin ? "" : adminEnabled ? " <span class=\"small\">(admin: log in)</span>"
                : " <span class=\"small\">(closed: start Nudge with an admin token)</span>";
        StringBuilder watch = new StringBuilder();
        watch.append(item("/live", "Live", "decisions, holds, suppressions, mails and conversions as they happen, "
                + "the funnel and the lift of each campaign" + lock));
        if (outbox) {
            watch.append(item("/outbox", "Outbox", "the mails sent, as their recipients see them (the embedded SMTP "
                    + "server of this run)"));
        }
        if (shop) {
            watch.append(item("/shop/", "Demo shop", "sign in, fill a cart, leave: its mail comes within seconds"));
        }
        StringBuilder inspect = new StringBuilder();
        inspect.append(item("/campaigns", "Campaign report", "each campaign's conversions and lift against its "
                + "holdout, JSON" + lock));
        inspect.append(item("/rules", "Rules", "the rules that run, their version and last reload, JSON" + lock));
        inspect.append("  <li>Why did a customer (not) get a mail? <code>/customers/&lt;id&gt;/decisions</code>"
                + lock + "</li>\n");
        inspect.append(item("/metrics", "Metrics", "Prometheus text format"));
        inspect.append("  <li><a href=\"/ready\">Readiness</a> and <a href=\"/health\">health</a></li>\n");
        String session = admin ? "<form method=\"post\" action=\"/logout\" class=\"inline\"><button type=\"submit\" "
                + "class=\"quiet\">Log out</button></form>" : adminEnabled ? "<a href=\"/login\">Log in</a>" : "";
        String html = page.replace("{{watch}}", watch.toString().stripTrailing())
                .replace("{{inspect}}", inspect.toString().stripTrailing()).replace("{{session}}", session);
        WebPages.Page p = new WebPages.Page("text/html; charset=utf-8", Buffer.buffer(html));
        p.send(rc);
    }

    private static String item(String href, String name, String what) {
        return "  <li><a href=\"" + href + "\">" + name + "</a>: " + what + "</li>\n";
    }
}
