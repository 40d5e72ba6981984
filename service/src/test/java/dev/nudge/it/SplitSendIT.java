package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.event.Json;
import dev.nudge.metrics.Metrics;
import dev.nudge.send.SendStage;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The send stage apart from the engine, as {@code nudge send} runs it: the service (send.enabled=false) decides
 * and serves the unsubscribe links, the separate stage mails, and a link in its mail works against the service.
 */
@ExtendWith(BrokerExtension.class)
class SplitSendIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSeparateSendStageMailsAndItsUnsubscribeLinkWorksAgainstTheService() throws Exception {
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        settings.put("send.enabled", "false");
        Vertx elsewhere = Vertx.vertx();
        try (NudgeService service = NudgeService.start(TestServices.config(settings));
             SendStage stage = SendStage.prepare(service.config().send())) {
            assertNull(service.send(), "no send stage in the service");
            String api = "http://127.0.0.1:" + service.httpPort();
            stage.deploy(elsewhere, service.config(), api, new Metrics(), Json.mapper())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            String day = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/events")).header("Authorization", Ingest.AUTH)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            [{"eventId":"p","type":"CustomerProfile","customerId":"sue","timestamp":"%1$sT09:00:00Z",
                              "email":"sue@example.com","firstName":"Sue","marketingConsent":true},
                             {"eventId":"c","type":"CartUpdated","customerId":"sue","timestamp":"%1$sT10:00:00Z",
                              "cartId":"cart-sue","items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":1}]},
                             {"eventId":"t","type":"PageVisited","customerId":"tom","timestamp":"%1$sT10:31:01Z",
                              "url":"/"}]""".formatted(day))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, posted.statusCode(), posted.body());

            await().atMost(Duration.ofSeconds(30)).until(() -> stage.localSmtp().received().size() == 1);
            MimeMessage mail = stage.localSmtp().received().get(0);
            String header = Mails.header(mail, "List-Unsubscribe");
            URI link = URI.create(header.substring(1, header.length() - 1));
            assertEquals(api, link.getScheme() + "://" + link.getAuthority(), "the link leads to the service");
            HttpResponse<String> clicked = HTTP.send(HttpRequest.newBuilder(link)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, clicked.statusCode(), clicked.body());
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(api + "/outbox")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "no outbox where no SMTP server runs");
        } finally {
            elsewhere.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
