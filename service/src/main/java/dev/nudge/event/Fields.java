package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Typed reads of JSON fields that fail with {@link InvalidEventException} naming the field. The kinds of field
 * match {@code event.schema.json}: identifiers may be whole numbers, other text must be a string.
 */
final class Fields {

    private Fields() {
    }

    /** A required identifier: non-blank text or a whole number, read as its digits. */
    static String requiredId(JsonNode node, String field) {
        return present(optionalId(node, field), field);
    }

    /**
     * An optional identifier. Many shops key customers, products and orders by integer and send them unquoted;
     * a fraction is refused, as "1.50" and 1.5 would otherwise be two ids for one thing.
     */
    static String optionalId(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isNumber()) {
            BigInteger whole = whole(v);
            if (whole == null) {
                throw new InvalidEventException("field '" + field + "' must be a string or a whole number, got "
                        + v.asText());
            }
            return whole.toString();
        }
        return text(v, field, "a string or a whole number");
    }

    static String required(JsonNode node, String field) {
        return present(optional(node, field), field);
    }

    static String optional(JsonNode node, String field) {
        return text(node.get(field), field, "a string");
    }

    private static String text(JsonNode v, String field, String expected) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("field '" + field + "' must be " + expected);
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static String present(String value, String field) {
        if (value == null) {
            throw new InvalidEventException("missing field '" + field + "'");
        }
        return value;
    }

    static Instant instant(JsonNode node, String field) {
        String v = required(node, field);
        try {
            return Timestamps.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("field '" + field + "' is not an ISO-8601 timestamp: '" + v + "'");
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

    /** A count of products: absent means 1; as in the schema, only a JSON integer of 0 or more (2.0 is one). */
    static int quantity(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return 1;
        }
        BigInteger whole = v.isNumber() ? whole(v) : null;
        if (whole == null || whole.signum() < 0 || whole.bitLength() >= Integer.SIZE) {
            throw new InvalidEventException("field '" + field + "' must be a whole number of 0 or more, got "
                    + (v.isTextual() ? "'" + v.asText() + "'" : v.toString()));
        }
        return whole.intValue();
    }

    /** The number's integer value, or null when it has a fraction; JSON Schema counts 2.0 as an integer too. */
    private static BigInteger whole(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.bigIntegerValue();
        }
        BigDecimal d = number.decimalValue();
        if (d.precision() - d.scale() > 1000) {
            return null; // longer than the longest number Jackson reads as digits; 1e999999999 would take gigabytes
        }
        try {
            return d.toBigIntegerExact();
        } catch (ArithmeticException fraction) {
            return null;
        }
    }
}
