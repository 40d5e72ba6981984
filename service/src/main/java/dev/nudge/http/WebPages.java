package dev.nudge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;

/** The static pages and scripts of the browser views (index, login, live, docs), read once from the classpath. */
final class WebPages {

    /** Admin views: no frames, nothing from elsewhere, not cached (they show customer ids). */
    static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'";

    private WebPages() {
    }

    /** One resource with its content type. */
    record Page(String contentType, Buffer body) {
        void send(RoutingContext rc) {
            send(rc, 200, body);
        }

        void send(RoutingContext rc, int status, Buffer body) {
            rc.response().setStatusCode(status).putHeader("content-type", contentType)
                    .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", POLICY).end(body);
        }

        String text() {
            return body.toString();
        }
    }

    static Page load(String resource) {
        try (InputStream in = WebPages.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            String type = resource.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : resource.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            return new Page(type, Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new IllegalStateException(resource + " could not be read", e);
        }
    }
}
