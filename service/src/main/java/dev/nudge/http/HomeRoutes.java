package dev.nudge.http;

import io.vertx.ext.web.Router;

/** {@code GET /}: a page of links to what a person looks at (the live page, the outbox, metrics, the API, the docs). */
final class HomeRoutes {

    private final WebPages.Page index = WebPages.load("web/index.html");

    void mount(Router router) {
        router.get("/").handler(index::send);
    }
}
