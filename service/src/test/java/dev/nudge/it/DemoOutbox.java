package dev.nudge.it;

import dev.nudge.app.NudgeService;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoShop;
import dev.nudge.testing.BrokerExtension;
import dev.nudge.testing.Ingest;
import dev.nudge.testing.TestServices;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A service as {@code nudge run} has it for the outbox tests: the demo shop (which serves the product pictures), the
 * embedded SMTP server keeping its mails in a folder, and a shop's name, address and currency; and a cart abandoned
 * through {@code POST /events} whose product picture is the demo shop's.
 */
final class DemoOutbox {

    static final String SHOP_NAME = "Alpine Outfitters";
    static final String SHOP_ADDRESS = "Bergstrasse 5, 6020 Innsbruck, Austria";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DemoOutbox() {
    }

    /** Settings for a service on {@code port} keeping its mails in {@code outbox}. */
    static Map<String, String> settings(int port, Path outbox) {
        Map<String, String> s = TestServices.settings(BrokerExtension.bootstrap, 1);
        s.put("http.port", String.valueOf(port));
        s.put("decisions.quiet-hours", "none");
        s.put("send.shop-url", base(port) + "/shop");
        s.put("send.smtp.embedded-outbox-dir", outbox.toString());
        s.put("send.shop-name", SHOP_NAME);
        s.put("send.shop-address", SHOP_ADDRESS);
        s.put("send.currency", "EUR");
        return s;
    }

    static NudgeService start(Map<String, String> settings) throws Exception {
        return NudgeService.start(TestServices.config(settings), new DemoShop("outbox-shop-key-0123456789",
                new DemoClock()));
    }

    static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    /**
     * A profile, a cart of two trail running shoes at {@code cartTime} (the demo shop's picture of the shoe, no
     * currency: the mail shows send.currency), and another customer's visit 31 minutes later that moves event time on.
     */
    static void abandonCart(int port, String customer, String email, Instant cartTime) throws Exception {
        String image = base(port) + "/shop/img/shoe-42.svg";
        String body = """
                [{"eventId":"%1$s-profile","type":"CustomerProfile","customerId":"%1$s","timestamp":"%3$s",
                  "email":"%2$s","firstName":"Ana","marketingConsent":true},
                 {"eventId":"%1$s-cart","type":"CartUpdated","customerId":"%1$s","timestamp":"%4$s",
                  "cartId":"cart-%1$s","items":[{"productId":"shoe-42","name":"Trail running shoe","price":89.90,
                  "quantity":2,"url":"%6$s/shop/product/shoe-42","imageUrl":"%7$s"}]},
                 {"eventId":"%1$s-later","type":"PageVisited","customerId":"someone-else","timestamp":"%5$s",
                  "url":"https://shop.example/"}]
                """.formatted(customer, email, cartTime.minusSeconds(3600), cartTime,
                cartTime.plusSeconds(31 * 60 + 1), base(port), image);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(port) + "/events"))
                .header("Authorization", Ingest.AUTH).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
    }
}
