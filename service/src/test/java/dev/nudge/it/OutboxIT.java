package dev.nudge.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.send.LocalSmtp;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's outbox as a newcomer meets it, over real SMTP and real HTTP: a cart mail that looks like a shop's (its
 * name and postal address, prices in its currency, a product picture that loads), listed with subject, from and to,
 * shown with its headers, and still there after Nudge restarts over the same folder.
 */
@ExtendWith(BrokerExtension.class)
class OutboxIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aCartMailLooksLikeTheShopsIsListedShownWithItsHeadersAndSurvivesARestart(@TempDir Path outbox)
            throws Exception {
        int port = TestServices.freePort();
        String base = DemoOutbox.base(port);
        Map<String, String> settings = DemoOutbox.settings(port, outbox);
        String subject;
        NudgeService service = DemoOutbox.start(settings);
        try {
            DemoOutbox.abandonCart(port, "ana", "ana@example.com", Instant.now().minus(2, ChronoUnit.DAYS));
            LocalSmtp smtp = service.send().localSmtp();
            await().atMost(WAIT).until(() -> !Mails.to(smtp.received(), "ana@example.com").isEmpty());
            MimeMessage mail = Mails.to(smtp.received(), "ana@example.com").get(0);
            subject = mail.getSubject();
            String html = LocalSmtp.part(mail, "text/html");
            String text = LocalSmtp.part(mail, "text/plain");

            // the shop's name and postal address in the footer, prices with the currency
            assertTrue(html.contains("Alpine Outfitters &middot; Bergstrasse 5, 6020 Innsbruck, Austria"), html);
            assertTrue(text.contains("Alpine Outfitters, Bergstrasse 5, 6020 Innsbruck, Austria"), text);
            assertTrue(html.contains("89.90 EUR") && html.contains("179.80 EUR"), html);
            assertTrue(text.contains("Trail running shoe, quantity 2: 179.80 EUR"), text);
            // the picture is the demo shop's own, and it loads
            Matcher img = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
            assertTrue(img.find(), html);
            assertEquals(base + "/shop/img/shoe-42.svg", img.group(1));
            HttpResponse<String> picture = get(img.group(1), "image/*");
            assertEquals(200, picture.statusCode());
            assertEquals("image/svg+xml", picture.headers().firstValue("content-type").orElse(""));
            assertTrue(picture.body().startsWith("<svg") && picture.body().contains("Trail running shoe"));
            assertEquals(404, get(base + "/shop/img/no-such-product.svg", "image/*").statusCode());

            // the list: subject, from and to, for a phone too, and what a restart does to it
            String page = get(base + "/outbox", "text/html").body();
            assertTrue(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
            assertTrue(page.contains(">" + subject + "</a>"), page);
            assertTrue(page.contains("<dt>From</dt><dd>Nudge Shop &lt;shop@nudge.localhost&gt;</dd>"), page);
            assertTrue(page.contains("<dt>To</dt><dd>ana@example.com</dd>"), page);
            assertTrue(page.contains("survive a restart"), page);
            JsonNode list = Json.mapper().readTree(get(base + "/outbox", "application/json").body());
            assertTrue(list.get("survivesRestart").asBoolean());
            assertEquals("Nudge Shop <shop@nudge.localhost>", list.at("/mails/0/from").asText());

            // the viewer: the headers above the mail, the mail's HTML only inside a frame without scripts
            HttpResponse<String> shown = get(base + list.at("/mails/0/view").asText(), "text/html");
            String viewer = shown.body();
            for (String h : new String[] {"From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"}) {
                assertTrue(viewer.contains("<dt>" + h + "</dt>"), h + " in " + viewer);
            }
            assertTrue(viewer.contains("<dd>&lt;" + Mails.header(mail, "X-Nudge-Decision") + "@nudge&gt;</dd>"), viewer);
            assertTrue(viewer.contains("<iframe title=\"The mail's HTML part\" sandbox=\"allow-popups "
                    + "allow-popups-to-escape-sandbox\""), viewer);
            assertTrue(viewer.contains("srcdoc=\"" + escape(html) + "\""), "the whole mail, escaped, in the frame");
            assertFalse(viewer.contains("allow-scripts") || viewer.contains("allow-same-origin"), viewer);
            assertEquals("default-src 'none'; img-src * data:; style-src 'unsafe-inline'",
                    shown.headers().firstValue("Content-Security-Policy").orElse(""));
        } finally {
            service.close();
        }

        // a new run over the same folder: the outbox still shows the mail, at the same number
        NudgeService again = DemoOutbox.start(settings);
        try {
            JsonNode list = Json.mapper().readTree(get(base + "/outbox", "application/json").body());
            assertEquals(1, list.get("received").asInt());
            assertEquals(subject, list.at("/mails/0/subject").asText());
            assertEquals("ana@example.com", list.at("/mails/0/to").asText());
            assertTrue(get(base + "/outbox/0", "text/html").body().contains("Alpine Outfitters"));
        } finally {
            again.close();
        }
    }

    @Test
    void withoutAFolderTheOutboxSaysARestartEmptiesIt() throws Exception {
        Map<String, String> settings = TestServices.wallClockSettings(BrokerExtension.bootstrap, 1);
        NudgeService service = NudgeService.start(TestServices.config(settings));
        try {
            String base = "http://127.0.0.1:" + service.httpPort();
            String page = get(base + "/outbox", "text/html").body();
            assertTrue(page.contains("kept in memory only: a restart empties the outbox"), page);
            assertFalse(Json.mapper().readTree(get(base + "/outbox", "application/json").body())
                    .get("survivesRestart").asBoolean());
        } finally {
            service.close();
        }
    }

    private static HttpResponse<String> get(String url, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
