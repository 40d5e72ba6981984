package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A try-out on the embedded broker without {@code send.unsubscribe-secret} (what {@code nudge run} does): the secret is
 * made once and kept with the broker's data, so the link of a mail sent by one start still works after a restart; a
 * configured secret always wins over the kept one.
 */
class UnsubscribeSecretIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void aLinkMailedBeforeARestartStillUnsubscribesAfterItUnlessASecretIsConfigured() throws Exception {
        Map<String, String> s = TestServices.settings("unused", 1);
        s.remove("kafka.bootstrap.servers");
        s.remove("send.unsubscribe-secret");
        s.put("kafka.embedded.data-dir", data.toString());
        s.put("kafka.embedded.port", "0");
        s.put("decisions.quiet-hours", "none");
        Path file = data.resolve("unsubscribe-secret");

        URI link;
        try (NudgeService first = NudgeService.start(TestServices.config(s))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            link = relative(UnsubscribeLinks.ofMail(first, "ana", "ana@example.com",
                    Instant.parse("2026-03-03T10:00:00Z")));
            assertEquals(200, get(first, link).statusCode());
        }
        String secret = Files.readString(file);

        try (NudgeService second = NudgeService.start(TestServices.config(s))) {
            assertEquals(secret, Files.readString(file), "the same secret, not a new one");
            HttpResponse<String> page = get(second, link);
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("a***@example.com"), page.body());
            HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + second.httpPort() + link))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, done.statusCode(), done.body());
        }

        s.put("send.unsubscribe-secret", "a-configured-secret-0123456789");
        try (NudgeService configured = NudgeService.start(TestServices.config(s))) {
            assertEquals(403, get(configured, link).statusCode(), "signed with the kept secret, not the configured");
            assertEquals(secret, Files.readString(file), "the kept secret is left as it was");
        }
    }

    /** The link's path and query: each start listens on a port of its own. */
    private static URI relative(URI link) {
        return URI.create(link.getRawPath() + "?" + link.getRawQuery());
    }

    private static HttpResponse<String> get(NudgeService service, URI link) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + link)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
