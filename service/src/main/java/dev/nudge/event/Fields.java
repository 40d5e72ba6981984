package dev.nudge.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Typed reads of JSON fields that fail with {@link InvalidEventException} naming the field. The kinds of field
 * match {@code event.schema.json}: identifiers may be whole numbers, other text must be a string.
 */
final class Fields {

    /** The longest identifier kept: ids are compared and stored in every rule session, so a huge one costs memory. */
    static final int MAX_ID = 256;
    /** The longest text kept (a URL, a name, an address). */
    static final int MAX_TEXT = 4096;
    /** The most JSON a profile's attributes may take: they travel in every decision about the customer. */
    static final int MAX_ATTRIBUTES = 16_384;

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
        return text(v, field, "a string or a whole number", MAX_ID);
    }

    static String required(JsonNode node, String field) {
        return present(optional(node, field), field);
    }

    /** An optional ISO 4217 currency code ({@code EUR}; {@code eur} is read as {@code EUR}). */
    static String currency(JsonNode node, String field) {
        String code = optional(node, field);
        if (code == null || code.isEmpty()) {
            return null;
        }
        try {
            return java.util.Currency.getInstance(code.toUpperCase(java.util.Locale.ROOT)).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("field '" + field + "' must be an ISO 4217 currency code such as EUR or USD");
        }
    }

    static String optional(JsonNode node, String field) {
        return text(node.get(field), field, "a string", MAX_TEXT);
    }

    private static String text(JsonNode v, String field, String expected, int max) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("field '" + field + "' must be " + expected);
        }
        String s = v.asText().trim();
        if (s.length() > max) {
            throw new InvalidEventException("field '" + field + "' is " + s.length() + " characters long: at most "
                    + max);
        }
        return s.isEmpty() ? null : s;
    }

    private static String present(String value, String field) {
        if (value == null) {
            throw new InvalidEventException("missing field '" + field + "'");
        }
        return value;
    }

    /** The latest time an event may carry at all; what lies between now and then is judged by {@link ClockSkew}. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * A timestamp from 1970 (a clock that was never set counts from 0, or below) to the year 9999 (beyond it epoch
     * milliseconds soon overflow, and no event happens then).
     */
    static Instant instant(JsonNode node, String field) {
        String v = required(node, field);
        Instant t;
        try {
            t = Timestamps.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("field '" + field + "' is not an ISO-8601 timestamp: '" + v + "'");
        }
        if (t.isBefore(Instant.EPOCH)) {
            throw new InvalidEventException("field '" + field + "' is before 1970 ('" + v
                    + "'): the sender's clock was never set");
        }
        if (t.isAfter(LATEST)) {
            throw new InvalidEventException("field '" + field + "' is after the year 9999 ('" + v + "')");
        }
        return t;
    }

    static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new InvalidEventException("field '" + field + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    /** A time zone id such as Europe/Berlin, checked now so that rules never meet one Java does not know. */
    static String timeZone(JsonNode node, String field) {
        String v = optional(node, field);
        if (v != null) {
            try {
                ZoneId.of(v);
            } catch (DateTimeException e) {
                throw new InvalidEventException("field '" + field + "' is not a time zone id such as Europe/Berlin: '"
                        + v + "'");
            }
        }
        return v;
    }

    /** A JSON object as a map of plain Java values (text, exact numbers, booleans, lists, maps). */
    static Map<String, Object> object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new InvalidEventException("field '" + field + "' must be an object");
        }
        int size = v.toString().length();
        if (size > MAX_ATTRIBUTES) {
            throw new InvalidEventException("field '" + field + "' is " + size + " characters of JSON: at most "
                    + MAX_ATTRIBUTES);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(f -> {
            if (!f.getValue().isNull()) {
                out.put(f.getKey(), plain(f.getValue()));
            }
        });
        return out;
    }

    private static Object plain(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(plain(e)));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        return null;
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
