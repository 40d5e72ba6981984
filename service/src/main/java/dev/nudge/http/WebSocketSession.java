package dev.nudge.http;

import dev.nudge.config.IngestConfig;
import dev.nudge.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket connection of {@code GET /events/ws}. Each text frame (one event or an array, as {@code POST /events}
 * takes them) is checked and published with the connection's write key, then answered in the order the frames came,
 * {@code {"frame": n, "status": 202, "results": [...]}}, once Kafka has acknowledged all its events. Nothing is
 * dropped and nothing is buffered without bound: while more than {@code ingest.ws.max-in-flight} events wait for
 * Kafka or for their answer to be written (a client that does not read its answers), the connection is not read, and
 * TCP slows the client down.
 */
final class WebSocketSession {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
    /** Close codes of RFC 6455: a message too big, a policy violation. */
    private static final short TOO_BIG = 1009;
    private static final short POLICY = 1008;

    /** A frame's answer, written when it and every frame before it are done. */
    private static final class Pending {
        final int events;
        JsonObject answer;

        Pending(int events) {
            this.events = events;
        }
    }

    private final ServerWebSocket ws;
    private final IngestConfig.WriteKey key;
    private final WriteKeys keys;
    private final EventIntake intake;
    private final EventPublisher publisher;
    private final Metrics metrics;
    private final int maxInFlight;
    private final ArrayDeque<Pending> unanswered = new ArrayDeque<>();
    /** The text message being put together from its fragments, or null; a binary one is only counted. */
    private Buffer text;
    private long messageBytes = -1;
    private long frames;
    private int inFlight;
    private boolean paused;
    private boolean closed;

    WebSocketSession(ServerWebSocket ws, IngestConfig.WriteKey key, WriteKeys keys, EventIntake intake,
                     EventPublisher publisher, Metrics metrics, int maxInFlight) {
        this.ws = ws;
        this.key = key;
        this.keys = keys;
        this.intake = intake;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxInFlight = maxInFlight;
    }

    void start() {
        ws.frameHandler(this::frame);
        ws.drainHandler(v -> {
            flush();
            resumeIfRoom();
        });
        ws.closeHandler(v -> closed = true);
        ws.exceptionHandler(e -> LOG.debug("WebSocket of write key '{}': {}", key.name(), e.toString()));
    }

    /** Puts messages together from their frames, within {@link WebSocketRoutes#MAX_FRAME_BYTES}. */
    private void frame(WebSocketFrame f) {
        if (f.isText() || f.isBinary()) {
            text = f.isText() ? Buffer.buffer() : null;
            messageBytes = 0;
        } else if (!f.isContinuation() || messageBytes < 0) {
            return;
        }
        Buffer data = f.binaryData();
        messageBytes += data.length();
        if (messageBytes > WebSocketRoutes.MAX_FRAME_BYTES) {
            text = null;
            messageBytes = -1;
            ws.close(TOO_BIG, "a frame may carry at most " + WebSocketRoutes.MAX_FRAME_BYTES / 1024
                    + " KB: send fewer events a frame");
            return;
        }
        if (text != null) {
            text.appendBuffer(data);
        }
        if (!f.isFinal()) {
            return;
        }
        long n = ++frames;
        Buffer message = text;
        text = null;
        messageBytes = -1;
        if (message == null) {
            answerNow(n, 415, "binary frames are not read: send each event, or an array of events, as a text frame "
                    + "of JSON", null);
        } else {
            take(n, message.getBytes());
        }
    }

    private void take(long n, byte[] body) {
        if (!keys.current(key)) {
            // a close reason holds at most 123 bytes: no key name, which may be longer
            ws.close(POLICY, "write key revoked");
            return;
        }
        List<EventIntake.Item> items = intake.read(body);
        KeyRates.Verdict pace = keys.take(key, items.size());
        if (pace instanceof KeyRates.Wait w) {
            answerNow(n, 429, "write key '" + key.name() + "' may send " + key.rate() + " events a second: send this "
                    + "frame again in " + w.seconds() + " s", w.seconds());
            return;
        }
        if (pace instanceof KeyRates.TooMany t) {
            answerNow(n, 413, items.size() + " events at once: write key '" + key.name() + "' may send at most "
                    + t.most() + " at once", null);
            return;
        }
        List<Future<?>> writes = new ArrayList<>();
        JsonArray results = new JsonArray();
        int status = 202;
        for (EventIntake.Item item : items) {
            JsonObject r = new JsonObject().put("index", item.index());
            if (item.valid() && !key.allows(item.event().type())) {
                status = 403;
                r.put("eventId", item.event().eventId()).put("status", "rejected")
                        .put("error", WriteKeys.forbidden(key, item.event().type()));
            } else if (item.valid()) {
                r.put("eventId", item.event().eventId()).put("status", "accepted");
                writes.add(publisher.publish(item, key));
            } else {
                status = status == 202 ? 400 : status;
                r.put("status", "rejected").put("error", item.error());
                writes.add(publisher.deadLetter(item.raw(), item.error(),
                        "WS " + WebSocketRoutes.PATH + " frame " + n + " [" + item.index() + "]", key));
            }
            results.add(r);
        }
        Pending p = admit(Math.max(1, items.size()));
        int answer = status;
        Future.all(writes).onComplete(ar -> {
            p.answer = ar.succeeded()
                    ? new JsonObject().put("frame", n).put("status", answer).put("results", results)
                    : new JsonObject().put("frame", n).put("status", 503).put("error", "events could not be "
                    + "written to Kafka: " + ar.cause().getMessage() + "; send the frame again").put("results", results);
            flush();
            resumeIfRoom();
        });
    }

    /** An answer that needs no Kafka, written in its turn. */
    private void answerNow(long n, int status, String error, Long retryAfter) {
        Pending p = admit(1);
        p.answer = new JsonObject().put("frame", n).put("status", status).put("error", error);
        if (retryAfter != null) {
            p.answer.put("retryAfter", retryAfter);
        }
        flush();
    }

    private Pending admit(int events) {
        Pending p = new Pending(events);
        unanswered.add(p);
        inFlight += events;
        if (inFlight >= maxInFlight && !paused) {
            paused = true;
            ws.pause();
            metrics.wsPaused();
        }
        return p;
    }

    /** Writes the answers that are ready, in frame order, as long as the client reads them. */
    private void flush() {
        while (!unanswered.isEmpty() && unanswered.peek().answer != null && (closed || !ws.writeQueueFull())) {
            Pending p = unanswered.poll();
            inFlight -= p.events;
            if (!closed) {
                ws.writeTextMessage(p.answer.encode());
            }
        }
    }

    private void resumeIfRoom() {
        if (paused && inFlight < maxInFlight && !closed && !ws.writeQueueFull()) {
            paused = false;
            ws.resume();
        }
    }
}
