package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The landing page links to the documentation of the running release, which Nudge serves from its own jar. */
@ExtendWith(BrokerExtension.class)
class DocsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theReadmeAndItsPicturesAreServedAndNothingElse() throws Exception {
        try (NudgeService service = NudgeService.start(TestServices.config(
                TestServices.settings(BrokerExtension.bootstrap, 1)))) {
            String base = "http://127.0.0.1:" + service.httpPort();
            assertTrue(get(base + "/").body().contains("<a href=\"/docs/README.md\">"), "the landing page links it");

            HttpResponse<String> readme = get(base + "/docs/README.md");
            assertEquals(200, readme.statusCode());
            assertTrue(readme.headers().firstValue("content-type").orElse("").startsWith("text/html"));
            assertTrue(readme.body().contains("<a href=\"docs/campaign-report.md\">"),
                    "the README links the guides of docs/: " + readme.body());

            String report = get(base + "/docs/docs/campaign-report.md").body();
            assertTrue(report.contains("<h2 id=\"campaign-report\">Campaign report</h2>"),
                    "headings get the anchors the docs' own links use");
            assertTrue(report.contains("<table>") && report.contains("<th>figure</th>"), "tables are rendered");
            assertTrue(get(base + "/docs/docs/live-page.md").body().contains("src=\"live-desktop.png\""),
                    "pictures are linked as in the repository");
            HttpResponse<String> picture = get(base + "/docs/docs/live-desktop.png");
            assertEquals(200, picture.statusCode(), "the picture's link from /docs/docs/live-page.md resolves");
            assertEquals("image/png", picture.headers().firstValue("content-type").orElseThrow());

            assertEquals(302, get(base + "/docs").statusCode());
            for (String outside : new String[] {"/docs/pom.xml", "/docs/..%2Fpom.xml", "/docs/docs/..%2F..%2Fpom.xml",
                    "/docs/nudge.properties"}) {
                HttpResponse<String> r = get(base + outside);
                assertEquals(404, r.statusCode(), outside + ": " + r.body());
            }
        }
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
