package dev.nudge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.Topics;
import dev.nudge.live.LiveFeed;
import dev.nudge.live.LiveFunnel;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The live page: {@code GET /live} (the page, or a redirect to the login form for a browser that is not an admin),
 * its script and style, and {@code GET /live/stream}, a WebSocket that carries each decision, hold, suppression, mail
 * and conversion as it is read from Kafka, and the funnel per campaign once a second. Subscribers live on the event
 * loop; a slow one loses messages (counted, see {@link LiveSubscriber}), never the server's memory.
 */
final class LiveRoutes {

    static final String STREAM = "/live/stream";
    /** Messages a page gets on connecting, so it does not open empty. */
    static final int REPLAYED = 100;
    /** Bytes a subscriber's connection may have queued before its messages are dropped. */
    static final int WRITE_QUEUE_BYTES = 128 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LiveRoutes.class);

    private final Vertx vertx;
    private final ObjectMapper json;
    private final Predicate<RoutingContext> isAdmin;
    private final Handler<RoutingContext> admin;
    private final LiveFunnel funnel = new LiveFunnel();
    private final Set<LiveSubscriber> subscribers = new HashSet<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Map<String, WebPages.Page> pages;
    private Context context;
    private LiveFeed feed;
    private long timer = -1;

    LiveRoutes(Vertx vertx, ObjectMapper json, Predicate<RoutingContext> isAdmin, Handler<RoutingContext> admin) {
        this.vertx = vertx;
        this.json = json;
        this.isAdmin = isAdmin;
        this.admin = admin;
        this.pages = Map.of("/live", WebPages.load("web/live/live.html"),
                "/live/live.js", WebPages.load("web/live/live.js"),
                "/live/live.css", WebPages.load("web/live/live.css"));
    }

    void mount(Router router) {
        router.get("/live").handler(rc -> {
            if (isAdmin.test(rc)) {
                pages.get("/live").send(rc);
            } else {
                rc.redirect("/login?next=%2Flive");
            }
        });
        router.get("/live/live.js").handler(rc -> pages.get("/live/live.js").send(rc));
        router.get("/live/live.css").handler(rc -> pages.get("/live/live.css").send(rc));
        router.get(STREAM).handler(admin).handler(this::upgrade);
    }

    /** Starts reading Kafka; called on the verticle's context, where the subscribers are then served. */
    void start(String bootstrap, Topics topics) {
        context = vertx.getOrCreateContext();
        feed = new LiveFeed(bootstrap, topics, json, funnel, messages -> context.runOnContext(v -> publish(messages)));
        feed.start();
        timer = vertx.setPeriodic(1000, t -> {
            if (!subscribers.isEmpty()) {
                String counts = funnelMessage();
                subscribers.forEach(s -> s.offer(counts));
            }
        });
    }

    void stop() throws InterruptedException {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (feed != null) {
            feed.close();
        }
    }

    private void publish(List<String> messages) {
        for (String m : messages) {
            recent.addLast(m);
            if (recent.size() > REPLAYED) {
                recent.removeFirst();
            }
            subscribers.forEach(s -> s.offer(m));
        }
    }

    private void upgrade(RoutingContext rc) {
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
            rc.response().putHeader("Upgrade", "websocket");
            HttpJson.send(rc, 426, new JsonObject().put("error", "GET " + STREAM + " is a WebSocket"));
            return;
        }
        if (!sameOrigin(rc)) {
            // a cookie rides along from any page; only the live page itself may open the stream
            HttpJson.send(rc, 403, new JsonObject().put("error", "the live stream is for the live page's origin only"));
            return;
        }
        if (feed == null) {
            HttpJson.send(rc, 503, new JsonObject().put("error", "the live stream is not running"));
            return;
        }
        rc.request().toWebSocket().onSuccess(this::subscribe).onFailure(e -> LOG.debug("live stream handshake: {}",
                e.toString()));
    }

    private void subscribe(ServerWebSocket ws) {
        ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        LiveSubscriber s = new LiveSubscriber(new LiveSubscriber.Outlet() {
            @Override
            public boolean full() {
                return ws.writeQueueFull();
            }

            @Override
            public void write(String text) {
                ws.writeTextMessage(text);
            }
        });
        // what the page sends is not read: the stream goes one way
        ws.handler(b -> { });
        ws.closeHandler(v -> subscribers.remove(s));
        ws.exceptionHandler(e -> subscribers.remove(s));
        s.offer("{\"type\":\"hello\",\"replayed\":" + recent.size() + "}");
        recent.forEach(s::offer);
        s.offer(funnelMessage());
        subscribers.add(s);
    }

    private String funnelMessage() {
        try {
            return json.writeValueAsString(Map.of("type", "funnel", "campaigns", funnel.snapshot()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when the upgrade comes from a page of this server, or from no page at all (a tool such as websocat). */
    static boolean sameOrigin(RoutingContext rc) {
        String origin = rc.request().getHeader("Origin");
        if (origin == null) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String host = rc.request().getHeader("Host");
            return host != null && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
