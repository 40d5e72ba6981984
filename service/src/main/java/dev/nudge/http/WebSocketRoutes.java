package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import dev.nudge.metrics.Metrics;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContentDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /events/ws}: a persistent connection for a shop's servers, upgraded to a WebSocket once its write key
 * checks out (as {@code POST /events} checks it: no key or an unknown one, 401 and no upgrade). Each text frame then
 * carries what {@code POST /events} takes, and is answered by one text frame once Kafka has acknowledged its events;
 * see {@link WebSocketSession}.
 */
final class WebSocketRoutes {

    static final String PATH = "/events/ws";
    /** The most one frame may carry, as a Segment batch: larger, the connection is closed with 1009. */
    static final int MAX_FRAME_BYTES = SegmentRoutes.MAX_BATCH_BYTES;

    private final WriteKeys keys;
    private final EventIntake intake;
    private final EventPublisher publisher;
    private final Metrics metrics;
    private final int maxInFlight;

    WebSocketRoutes(WriteKeys keys, EventIntake intake, EventPublisher publisher, Metrics metrics, int maxInFlight) {
        this.keys = keys;
        this.intake = intake;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
    }

    void mount(Router router) {
        router.get(PATH).handler(keys::authenticate).handler(this::upgrade);
    }

    private void upgrade(RoutingContext rc) {
        IngestConfig.WriteKey key = WriteKeys.of(rc);
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
            rc.response().putHeader("Upgrade", "websocket");
            HttpJson.send(rc, 426, new JsonObject().put("error", "GET " + PATH + " is a WebSocket: connect with "
                    + "a WebSocket client (Upgrade: websocket), or POST /events for one request"));
            return;
        }
        ChannelPipeline pipeline = rc.request().connection() instanceof ConnectionBase c ? c.channel().pipeline()
                : null;
        rc.request().toWebSocket()
                .onSuccess(ws -> {
                    withoutBodyDecompression(pipeline);
                    new WebSocketSession(ws, key, keys, intake, publisher, metrics, maxInFlight).start();
                })
                .onFailure(e -> {
                    if (!rc.response().ended()) {
                        HttpJson.send(rc, 400, new JsonObject().put("error", "WebSocket handshake refused: "
                                + e.getMessage()));
                    }
                });
    }

    /**
     * The server decompresses gzip bodies (Netty's HttpContentDecoder, "inflater"), and Vert.x 5.0.7 leaves that
     * handler in the pipeline of an upgraded connection, where it asks the socket for more after every read whatever
     * the WebSocket's {@code pause()} said: measured, a paused connection went on reading 110 MB. Without it, a paused
     * WebSocket stops reading and TCP stops the client. Internal API of Vert.x: checked by WebSocketIngestIT.
     */
    private static void withoutBodyDecompression(ChannelPipeline pipeline) {
        if (pipeline == null) {
            return;
        }
        pipeline.forEach(handler -> {
            if (handler.getValue() instanceof HttpContentDecoder) {
                pipeline.remove(handler.getValue());
            }
        });
    }
}
