package dev.nudge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.explain.DecisionLog;
import dev.nudge.explain.Explanation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code GET /customers/{id}/decisions}: "why did this customer (not) get the mail?". What Nudge knows of the customer
 * (events received, consent state) and their recent decisions with what became of each, as JSON ({@code ?pretty}
 * indents it) or, for a browser, as a page. A customer Nudge knows nothing of is a 404 that says so, not an empty list.
 * Admins only: it shows what a customer had in their cart.
 */
final class CustomerRoutes {

    static final String PATH = "/customers/:customerId/decisions";

    private final DecisionLog log;
    private final ObjectMapper json;
    private final Duration window;
    private final Predicate<RoutingContext> isAdmin;
    private final Handler<RoutingContext> admin;

    CustomerRoutes(DecisionLog log, ObjectMapper json, Duration window, Predicate<RoutingContext> isAdmin,
                   Handler<RoutingContext> admin) {
        this.log = log;
        this.json = json;
        this.window = window;
        this.isAdmin = isAdmin;
        this.admin = admin;
    }

    void mount(Router router) {
        router.get(PATH).handler(this::answer);
    }

    private void answer(RoutingContext rc) {
        boolean page = !rc.queryParams().contains("pretty") && wantsHtml(rc);
        if (!isAdmin.test(rc)) {
            if (page) {
                rc.redirect("/login?next=" + URLEncoder.encode(rc.request().uri(), StandardCharsets.UTF_8));
            } else {
                admin.handle(rc);
            }
            return;
        }
        String customer = rc.pathParam("customerId");
        ObjectNode body = json.createObjectNode().put("customerId", customer);
        Optional<ObjectNode> known = log.explain(customer);
        body.put("known", known.isPresent()).put("window", window.toString());
        if (known.isPresent()) {
            body.setAll(known.get());
        } else {
            body.put("error", unknown(window, log.caughtUp()));
            if (!log.caughtUp()) {
                body.put("catchingUp", true);
            }
            body.putArray("decisions");
        }
        int status = known.isPresent() ? 200 : 404;
        if (page) {
            CustomerPage.send(rc, status, body, readable(window));
            return;
        }
        try {
            String text = rc.queryParams().contains("pretty")
                    ? json.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n"
                    : json.writeValueAsString(body);
            rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(Buffer.buffer(text));
        } catch (JsonProcessingException e) {
            rc.fail(e);
        }
    }

    /** Why the answer is empty: nothing seen in the window, or not read that far yet. */
    static String unknown(Duration window, boolean caughtUp) {
        return "no event of this customer in the last " + readable(window) + " (explain.window), no decision about"
                + " them and no profile or consent signal on record" + (caughtUp ? ""
                : "; Nudge is still reading its topics since it started: ask again in a moment");
    }

    /** A browser asks for HTML first; an API client (curl's {@code *}{@code /*}, JSON) gets JSON. */
    private static boolean wantsHtml(RoutingContext rc) {
        String accept = rc.request().getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    /** {@code 7 days}, {@code 12 hours}, or the ISO form for anything else. */
    static String readable(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toString();
    }

    /** The page a browser gets: the same answer, as sentences. */
    private static final class CustomerPage {

        static void send(RoutingContext rc, int status, JsonNode body, String window) {
            String customer = esc(body.path("customerId").asText());
            StringBuilder html = new StringBuilder(2048).append("""
                    <!doctype html>
                    <html lang="en">
                    <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <title>Nudge: customer %1$s</title>
                    <link rel="stylesheet" href="/live/live.css">
                    </head>
                    <body>
                    <header>
                      <h1><a href="/">Nudge</a> customer <span class="customer">%1$s</span></h1>
                      <nav><a href="/live">live</a> <a href="?pretty">as JSON</a></nav>
                    </header>
                    <main class="narrow">
                    """.formatted(customer));
            if (!body.path("known").asBoolean()) {
                html.append("<p id=\"unknown\">Nudge knows nothing of this customer: ")
                        .append(esc(body.path("error").asText())).append(".</p>\n");
            } else {
                JsonNode consent = body.path("consent");
                html.append("<h2>What Nudge knows</h2>\n<ul class=\"links\">\n<li id=\"consent\">Consent: ")
                        .append(esc(consent.path("says").asText())).append("</li>\n<li id=\"events\">")
                        .append(events(body, window)).append("</li>\n</ul>\n<h2>Decisions, newest first</h2>\n");
                JsonNode decisions = body.path("decisions");
                if (decisions.isEmpty()) {
                    html.append("<p id=\"none\">No decision about this customer in the last ").append(esc(window))
                            .append(": no trigger has fired for them (a cart waits 30 minutes, for example).</p>\n");
                } else {
                    html.append("<ol id=\"decisions\" class=\"decisions\">\n");
                    for (JsonNode d : decisions) {
                        // a mail the send stage could not deliver is marked as one not mailed
                        String not = d.path("outcome").asText().startsWith("not mailed") ? " not-mailed" : "";
                        html.append("<li class=\"kind-").append(esc(d.path("kind").asText())).append(not)
                                .append("\">")
                                .append(esc(d.path("says").asText())).append(" <span class=\"small\">decision ")
                                .append(esc(d.path("decisionId").asText())).append("</span>")
                                .append(previewLink(d)).append("</li>\n");
                    }
                    html.append("</ol>\n");
                }
            }
            html.append("</main>\n</body>\n</html>\n");
            WebPages.Page page = new WebPages.Page("text/html; charset=utf-8", Buffer.buffer(html.toString()));
            page.send(rc, status, page.body());
        }

        /** A link to the mail of a decision that has one (a mail, a fallback, a holdout), rendered as it was. */
        private static String previewLink(JsonNode d) {
            String kind = d.path("kind").asText();
            if (!kind.equals("mail") && !kind.equals("fallback") && !kind.equals("holdout")) {
                return "";
            }
            return " <a class=\"preview\" href=\"/preview/" + esc(URLEncoder.encode(d.path("decisionId").asText(),
                    StandardCharsets.UTF_8).replace("+", "%20")) + "\">preview the mail</a>";
        }

        private static String events(JsonNode body, String window) {
            long n = body.path("eventsSeen").asLong();
            if (n == 0) {
                return "No event received in the last " + esc(window) + " (or since Nudge started reading).";
            }
            return n + (n == 1 ? " event" : " events") + " received in the last " + esc(window) + ", the newest at "
                    + Explanation.time(Instant.parse(body.path("lastEventReceivedAt").asText())) + ".";
        }

        private static String esc(String s) {
            return UnsubscribeRoutes.escape(s);
        }
    }
}
