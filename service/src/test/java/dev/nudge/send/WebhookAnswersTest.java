package dev.nudge.send;

import dev.nudge.config.WebhookConfig;
import dev.nudge.event.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each answer of a webhook endpoint means: one line per status, then the failures that have no status. */
class WebhookAnswersTest {

    private static final WebhookConfig.Endpoint ENDPOINT = new WebhookConfig.Endpoint("esp",
            URI.create("https://esp.example/hook"), null, Duration.ofSeconds(10), null, Map.of());
    private static final WebhookChannel CHANNEL = new WebhookChannel(null, ENDPOINT,
            new WebhookBodies(null, Json.mapper()), null);

    @ParameterizedTest(name = "HTTP {0}, Retry-After {1} -> {2}, wait {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # status | Retry-After | kind      | wait ms
            400      | -           | PERMANENT | -1
            401      | -           | PERMANENT | -1
            404      | -           | PERMANENT | -1
            422      | -           | PERMANENT | -1
            # a redirect is not followed: a webhook's URL is configured, not discovered
            301      | -           | PERMANENT | -1
            # the caller took too long, or is asked to slow down
            408      | -           | TRANSIENT | -1
            429      | 2           | THROTTLED | 2000
            429      | -           | THROTTLED | -1
            # the endpoint's trouble: try again; with a Retry-After it speaks for every call
            500      | -           | TRANSIENT | -1
            502      | -           | TRANSIENT | -1
            503      | -           | TRANSIENT | -1
            503      | 30          | THROTTLED | 30000
            504      | -           | TRANSIENT | -1
            """)
    void eachStatusHasItsMeaning(int status, String retryAfter, Channel.Refusal.Kind kind, long wait) {
        Channel.Refusal r = CHANNEL.judge(new CompletionException(new WebhookChannel.Answer(status, "answer", retryAfter)));
        assertEquals(kind, r.kind());
        assertEquals(wait, r.retryAfterMillis());
        assertEquals("HTTP " + status + ": answer from webhook esp", r.reason(), "the endpoint's own words");
    }

    @Test
    void failuresWithoutAnAnswerAreTriedAgainAndATemplateFailureIsNot() {
        assertEquals(Channel.Refusal.Kind.TRANSIENT, CHANNEL.judge(new HttpTimeoutException("timed out")).kind());
        assertEquals("no answer from webhook esp within PT10S",
                CHANNEL.judge(new CompletionException(new HttpTimeoutException("timed out"))).reason());
        assertEquals(Channel.Refusal.Kind.TRANSIENT, CHANNEL.judge(new ConnectException("refused")).kind());
        assertEquals(Channel.Refusal.Kind.UNRENDERABLE,
                CHANNEL.judge(new MailRenderException("no JSON", null)).kind());
    }

    @Test
    void aHeaderTheClientCannotSendRefusesTheStart() {
        WebhookConfig.Endpoint withHost = new WebhookConfig.Endpoint("esp", URI.create("https://esp.example/hook"),
                null, Duration.ofSeconds(10), null, Map.of("Host", "other.example"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookChannel.check(withHost));
        assertTrue(e.getMessage().contains("webhook esp: a header cannot be sent"), e.getMessage());
    }
}
