package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Typed reads of JSON fields that fail with {@link InvalidEventException} naming the field. */
final class Fields {

    private Fields() {
    }

    static String required(JsonNode node, String field) {
        String v = optional(node, field);
        if (v == null) {
            throw new InvalidEventException("missing field '" + field + "'");
        }
        return v;
    }

    static String optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new InvalidEventException("field '" + field + "' must be a string");
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    static Instant instant(JsonNode node, String field) {
        String v = required(node, field);
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e2) {
                throw new InvalidEventException("field '" + field + "' is not an ISO-8601 timestamp: '" + v + "'");
            }
        }
    }

    static BigDecimal money(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        try {
            return new BigDecimal(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException("field '" + field + "' must be a number, got '" + v.asText() + "'");
        }
    }

    static int quantity(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return 1;
        }
        if (!v.canConvertToInt() || v.asInt() < 0) {
            throw new InvalidEventException("field '" + field + "' must be a whole number of 0 or more");
        }
        return v.asInt();
    }
}
