package dev.nudge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /nudge.js}: the first-party snippet shop pages load with a {@code <script>} tag. Cached for an hour and
 * then revalidated by its ETag, so a new release reaches the pages within the hour and costs a 304 otherwise.
 */
final class SnippetRoutes {

    static final String PATH = "/nudge.js";

    private final Buffer script;
    private final String etag;

    SnippetRoutes() {
        script = WebPages.load("web/nudge.js").body();
        try {
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes()), 0, 8)
                    + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    void mount(Router router) {
        router.get(PATH).handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        rc.response().putHeader("Cache-Control", "public, max-age=3600").putHeader("ETag", etag);
        if (etag.equals(rc.request().getHeader("If-None-Match"))) {
            rc.response().setStatusCode(304).end();
            return;
        }
        rc.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff").end(script);
    }
}
