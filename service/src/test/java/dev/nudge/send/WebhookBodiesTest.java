package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.decision.Decision;
import dev.nudge.decision.DecisionKind;
import dev.nudge.decision.Recipient;
import dev.nudge.event.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body of a webhook call: the decision record, or a template's JSON, with every value escaped. */
class WebhookBodiesTest {

    private static final ObjectMapper JSON = Json.mapper();

    @TempDir
    Path dir;

    private static Decision decision(String firstName) {
        return new Decision("d-1", DecisionKind.MAIL, null, "ana", "cart-abandonment", "R", "v1",
                Instant.parse("2026-03-02T10:30:00Z"), null, null, List.of("e1"),
                Map.of("cartId", "cart-ana", "total", new BigDecimal("1234.50")),
                new Recipient("ana@example.com", firstName, null, null));
    }

    private String render(String template, Decision d) throws Exception {
        Path file = dir.resolve("body.ftl");
        Files.writeString(file, template);
        byte[] body = new WebhookBodies(file, JSON).render(d);
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void withoutATemplateTheBodyIsTheDecisionRecord() throws Exception {
        byte[] body = new WebhookBodies(null, JSON).render(decision("Ana"));
        assertEquals(JSON.valueToTree(decision("Ana")), JSON.readTree(body));
    }

    @Test
    void aValueCannotBreakOutOfItsString() throws Exception {
        // a first name that tries to add a field
        String body = render("{\"name\": \"${recipient.firstName}\"}", decision("Ana\", \"admin\": true, \"x\": \"\n"));
        assertEquals("{\"name\":\"Ana\\\", \\\"admin\\\": true, \\\"x\\\": \\\"\\n\"}", body);
        assertEquals(1, JSON.readTree(body).size(), "still one field");
    }

    @Test
    void jsonWritesAWholeValueAndNumbersAreWrittenAsJsonWritesThem() throws Exception {
        String body = render("{\"payload\": ${json(payload)}, \"total\": ${payload.total}, \"events\": ${json(eventIds)}}",
                decision("Ana"));
        // 1234.5, never a locale's 1,234.5
        assertEquals(0, new BigDecimal("1234.50").compareTo(JSON.readTree(body).get("total").decimalValue()), body);
        assertEquals("cart-ana", JSON.readTree(body).get("payload").get("cartId").asText());
        assertEquals("[\"e1\"]", JSON.readTree(body).get("events").toString());
    }

    @Test
    void aTemplateThatGivesNothingSendsNothing() throws Exception {
        assertNull(render("<#if kind == \"voided\">{}</#if>", decision("Ana")));
    }

    @Test
    void aTemplateThatGivesNoJsonOrFailsIsARenderFailureSayingWhy() {
        MailRenderException notJson = assertThrows(MailRenderException.class,
                () -> render("{\"name\": ${recipient.firstName}}", decision("Ana")));
        assertTrue(notJson.getMessage().contains("gave no JSON for decision d-1"), notJson.getMessage());
        MailRenderException missing = assertThrows(MailRenderException.class,
                () -> render("{\"x\": \"${nothing.here}\"}", decision("Ana")));
        assertTrue(missing.getMessage().contains("failed for decision d-1"), missing.getMessage());
    }

    @Test
    void aTemplateThatDoesNotParseRefusesTheStart() throws Exception {
        Path file = dir.resolve("broken.ftl");
        Files.writeString(file, "{\"x\": \"${unclosed\"}");
        assertThrows(IllegalArgumentException.class, () -> new WebhookBodies(file, JSON));
        assertThrows(IllegalArgumentException.class, () -> new WebhookBodies(dir.resolve("missing.ftl"), JSON));
    }
}
