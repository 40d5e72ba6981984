package dev.nudge.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.nudge.app.NudgeService;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.TestServices;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay is down when the mails are due: they wait and are retried, a customer who buys meanwhile gets none, and
 * when the relay comes back every other mail arrives exactly once. The relay is a real SMTP server (GreenMail) on a
 * port of its own, started by the test when it chooses.
 */
@ExtendWith(BrokerExtension.class)
class SendOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> CUSTOMERS = List.of("cat", "cid", "cora", "vic");
    private NudgeService service;
    private GreenMail relay;

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void mailsWaitForTheRelayAndArriveExactlyOnceExceptTheOneTheCustomerBoughtMeanwhile() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> settings = TestServices.settings(BrokerExtension.bootstrap, 1);
        settings.put("send.smtp.host", "127.0.0.1");
        settings.put("send.smtp.port", String.valueOf(port));
        settings.put("send.smtp.starttls", "disabled");
        settings.put("send.retry.first", "100ms");
        settings.put("send.retry.max", "400ms");
        service = NudgeService.start(TestServices.config(settings));

        String day = LocalDate.now(ZoneOffset.UTC).minusDays(5).toString();
        StringBuilder events = new StringBuilder("[");
        for (String c : CUSTOMERS) {
            events.append("""
                    {"eventId":"%1$s-p","type":"CustomerProfile","customerId":"%1$s","timestamp":"%2$sT09:00:00Z",
                     "email":"%1$s@example.com","firstName":"%1$s","marketingConsent":true},
                    {"eventId":"%1$s-c","type":"CartUpdated","customerId":"%1$s","timestamp":"%2$sT10:00:00Z",
                     "cartId":"cart-%1$s","items":[{"productId":"mug","name":"Mug","price":12.5,"quantity":1}]},
                    """.formatted(c, day));
        }
        events.append("""
                {"eventId":"tick","type":"PageVisited","customerId":"someone","timestamp":"%sT10:31:01Z","url":"/"}]
                """.formatted(day));
        post(events.toString());

        // nobody answers on the relay's port: every mail is refused for now and waits for its next attempt
        await().atMost(WAIT).until(() -> metric("nudge_mails_total", "outcome=\"retried\"") >= CUSTOMERS.size());

        // one customer buys while her mail waits: the rules revoke it, and the send stage drops it
        post("""
                [{"eventId":"vic-o","type":"CheckoutCompleted","customerId":"vic","timestamp":"%sT10:40:00Z",
                  "cartId":"cart-vic","orderId":"o-1","total":12.5}]
                """.formatted(day));
        await().atMost(WAIT).until(() -> metric("nudge_mails_total", "outcome=\"void\"") >= 1);

        relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.start();
        await().atMost(WAIT).until(() -> metric("nudge_mails_waiting", "") == 0
                && relay.getReceivedMessages().length >= CUSTOMERS.size() - 1);

        MimeMessage[] received = relay.getReceivedMessages();
        List<String> to = java.util.Arrays.stream(received).map(m -> Mails.header(m, "To")).sorted().toList();
        assertEquals(List.of("cat@example.com", "cid@example.com", "cora@example.com"), to,
                "every mail once, none to the customer who bought");
        assertEquals(received.length, java.util.Arrays.stream(received)
                .map(m -> Mails.header(m, "X-Nudge-Decision")).distinct().count(), "no decision mailed twice");
        assertTrue(metric("nudge_mails_total", "outcome=\"sent\"") == 3);
    }

    private void post(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/events"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }

    /** The sum of a Prometheus metric's series whose labels contain {@code labels}. */
    private double metric(String name, String labels) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }
}
