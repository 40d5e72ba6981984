package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.testing.Ingest;
import jakarta.mail.internet.MimeMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The unsubscribe link of a real mail: a customer leaves a cart, the service mails them, the link is in the header. */
final class UnsubscribeLinks {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private UnsubscribeLinks() {
    }

    /** {@code customer} (at {@code email}) leaves a cart at {@code cartTime}; the link of the mail that follows. */
    static URI ofMail(NudgeService service, String customer, String email, Instant cartTime) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort()
                        + "/events")).header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"eventId":"%1$s-profile","type":"CustomerProfile","customerId":"%1$s","timestamp":"%3$s",
                          "email":"%2$s","firstName":"Ana","marketingConsent":true},
                         {"eventId":"%1$s-cart","type":"CartUpdated","customerId":"%1$s","timestamp":"%4$s",
                          "cartId":"cart-%1$s","items":[{"productId":"mug","name":"Mug","price":9,"quantity":1}]},
                         {"eventId":"%1$s-later","type":"PageVisited","customerId":"someone-else","timestamp":"%5$s",
                          "url":"https://shop.example/"}]
                        """.formatted(customer, email, cartTime.minusSeconds(3600), cartTime,
                        cartTime.plusSeconds(31 * 60 + 1)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Mails.to(service.send().localSmtp().received(), email).isEmpty());
        MimeMessage mail = Mails.to(service.send().localSmtp().received(), email).get(0);
        String header = Mails.header(mail, "List-Unsubscribe");
        return URI.create(header.substring(1, header.length() - 1));
    }
}
