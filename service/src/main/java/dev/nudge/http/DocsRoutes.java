package dev.nudge.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET /docs}: the README and the {@code docs/} pages of the running release, packed in its jar and rendered
 * from Markdown as the repository shows them, so the landing page can link to documentation that matches the code
 * even where there is no public copy.
 */
final class DocsRoutes {

    static final String ROOT = "/docs/";
    static final String HOME = ROOT + "README.md";
    // a plain file name: nothing can climb out of the docs
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "svg", "image/svg+xml",
            "jpg", "image/jpeg", "json", "application/json", "txt", "text/plain; charset=utf-8");
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(),
            HeadingAnchorExtension.create());

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    // the pages are the release's own, and the policy of WebPages runs no script: their HTML (pictures side by side)
    // shows as the repository shows it
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();
    private final String frame = WebPages.load("web/docs.html").text();
    private final Map<String, WebPages.Page> cache = new ConcurrentHashMap<>();

    void mount(Router router) {
        router.get("/docs").handler(rc -> rc.redirect(HOME));
        router.get(ROOT + ":file").handler(rc -> page(rc, rc.pathParam("file")));
        router.get(ROOT + "docs/:file").handler(rc -> page(rc, "docs/" + rc.pathParam("file")));
    }

    private void page(RoutingContext rc, String path) {
        WebPages.Page page = NAME.matcher(path.substring(path.lastIndexOf('/') + 1)).matches()
                ? cache.computeIfAbsent(path, this::load) : null;
        if (page == null) {
            rc.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("Not in the documentation this release carries: " + path
                            + ". The README (/docs/README.md) and docs/ are; the sources are in the repository.\n");
            return;
        }
        page.send(rc);
    }

    /** The rendered page or the file, or null when the release carries no such file. */
    private WebPages.Page load(String path) {
        try (InputStream in = DocsRoutes.class.getResourceAsStream("/nudge-docs/" + path)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            if (path.endsWith(".md")) {
                String html = renderer.render(parser.parse(new String(bytes, StandardCharsets.UTF_8)));
                String title = path.substring(path.lastIndexOf('/') + 1);
                return new WebPages.Page("text/html; charset=utf-8", Buffer.buffer(
                        frame.replace("{{title}}", UnsubscribeRoutes.escape(title)).replace("{{body}}", html)));
            }
            String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
            return type == null ? null : new WebPages.Page(type, Buffer.buffer(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("docs/" + path + " could not be read", e);
        }
    }
}
