package dev.nudge.config;

import dev.nudge.event.EventParser;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may send events over HTTP: the write keys, each with a name, its secret, the source label its events carry,
 * and the event types it may send. Without a key, {@code POST /events} is closed.
 *
 * <p>In the settings file (secrets through the environment: {@code NUDGE_INGEST_KEYS_WEB=...}):
 * <pre>
 * ingest.keys.web=&lt;secret&gt;
 * ingest.keys.web.source=storefront
 * ingest.keys.web.types=CartUpdated,ProductViewed,PageVisited
 * ingest.keys.web.origins=https://shop.example,https://www.shop.example
 * ingest.keys.web.rate=200
 * ingest.ws.max-in-flight=500
 * </pre>
 *
 * @param wsMaxInFlight events of one WebSocket connection ({@code GET /events/ws}) that may wait for Kafka at once:
 *                      past that, the server stops reading that connection until Kafka catches up
 */
public record IngestConfig(List<WriteKey> keys, Path keysFile, int wsMaxInFlight) {

    /** Events of one WebSocket connection that may wait for Kafka at once, unless {@code ingest.ws.max-in-flight}. */
    public static final int DEFAULT_WS_MAX_IN_FLIGHT = 500;

    /** What a key may send unless it says otherwise: what a shop's pages see, nothing that changes consent. */
    public static final Set<String> BEHAVIOUR = Set.of("CartUpdated", "CheckoutCompleted", "ProductViewed",
            "PageVisited");

    /**
     * One write key. {@code types} holds event type names; {@code *} in the settings means every type. {@code origins}
     * are the web pages (scheme, host and port, as a browser's {@code Origin} header says them) that may use it: a
     * key without origins is for servers, and a request a browser makes with it is refused. {@code rate}: events a
     * second it may send (0: no limit).
     */
    public record WriteKey(String name, String secret, String source, Set<String> types, Set<String> origins,
                           double rate) {
        public WriteKey {
            types = Set.copyOf(types);
            origins = Set.copyOf(origins);
        }

        /** A key for servers, at any pace: no browser may use it. */
        public WriteKey(String name, String secret, String source, Set<String> types) {
            this(name, secret, source, types, Set.of(), 0);
        }

        public boolean allows(String type) {
            return types.contains(type);
        }

        /** True when a page of {@code origin} may send with this key. */
        public boolean allowsOrigin(String origin) {
            return origins.contains(origin);
        }

        @Override
        public String toString() {
            // the secret is a credential: never in a log line
            return "WriteKey[name=" + name + ", source=" + source + ", types="
                    + String.join(",", new TreeSet<>(types)) + ", origins=" + String.join(",", new TreeSet<>(origins))
                    + "]";
        }
    }

    public IngestConfig {
        keys = List.copyOf(keys);
        if (wsMaxInFlight < 1) {
            throw new IllegalArgumentException("setting ingest.ws.max-in-flight must be at least 1, got "
                    + wsMaxInFlight);
        }
    }

    public IngestConfig(List<WriteKey> keys, Path keysFile) {
        this(keys, keysFile, DEFAULT_WS_MAX_IN_FLIGHT);
    }

    public IngestConfig(List<WriteKey> keys) {
        this(keys, null);
    }

    /**
     * The keys in effect now: those of the settings and those of {@code ingest.keys-file}, read again whenever it
     * changes (so a key is revoked by deleting its lines, without a restart). A file that does not read or check
     * out throws, and the caller keeps what it had.
     */
    public IngestConfig withKeysFile() throws IOException {
        if (keysFile == null || !Files.exists(keysFile)) {
            return this;
        }
        List<WriteKey> all = new ArrayList<>(keys);
        // read as the settings file is, but without the environment: the file's keys are its own
        all.addAll(from(Settings.load(keysFile, Map.of())).keys());
        return new IngestConfig(all, keysFile, wsMaxInFlight);
    }

    /**
     * True when at least one key may send events, or a keys file is named (its keys come and go while Nudge runs):
     * otherwise ingest over HTTP is closed, and {@code nudge run} makes a key of its own.
     */
    public boolean open() {
        return !keys.isEmpty() || keysFile != null;
    }

    /** The same settings with one more key, as {@code nudge run} adds one for a local try-out. */
    public IngestConfig with(WriteKey key) {
        List<WriteKey> all = new ArrayList<>(keys);
        all.add(key);
        return new IngestConfig(all, keysFile, wsMaxInFlight);
    }

    static IngestConfig from(Settings s) {
        String prefix = "ingest.keys.";
        Map<String, String> given = new TreeMap<>(s.withPrefix(prefix));
        given.remove("file");
        List<WriteKey> keys = new ArrayList<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey();
            if (name.contains(".")) {
                String owner = name.substring(0, name.indexOf('.'));
                if (!given.containsKey(owner)) {
                    throw new IllegalArgumentException("setting " + prefix + name + " belongs to a key '" + owner
                            + "' that has no secret (" + prefix + owner + ")");
                }
                String attribute = name.substring(owner.length() + 1);
                if (!Set.of("source", "types", "origins", "rate").contains(attribute)) {
                    throw new IllegalArgumentException("setting " + prefix + name + ": a write key has a secret, a "
                            + "source, types, origins and a rate, not '" + attribute + "'");
                }
                continue;
            }
            if (e.getValue().length() < 16) {
                throw new IllegalArgumentException("setting " + prefix + name + ": a write key must be at least 16 "
                        + "characters, to be hard to guess");
            }
            String source = given.getOrDefault(name + ".source", name);
            keys.add(new WriteKey(name, e.getValue(), source, types(prefix + name, given.get(name + ".types")),
                    origins(prefix + name, given.get(name + ".origins")), rate(prefix + name, given.get(name + ".rate"))));
        }
        String file = s.string("ingest.keys-file", null);
        return new IngestConfig(keys, file == null ? null : Path.of(file),
                s.integer("ingest.ws.max-in-flight", DEFAULT_WS_MAX_IN_FLIGHT));
    }

    private static double rate(String key, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            double r = Double.parseDouble(value.trim());
            if (r > 0) {
                return r;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("setting " + key + ".rate: '" + value + "' is not a number of events a "
                + "second above 0");
    }

    /** Each {@code https://shop.example} or {@code http://localhost:8080}: what a browser's Origin header says. */
    private static Set<String> origins(String key, String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        Set<String> origins = new LinkedHashSet<>();
        for (String o : Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()) {
            URI u;
            try {
                u = new URI(o);
            } catch (URISyntaxException e) {
                u = null;
            }
            if (u == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                    || !(u.getRawPath() == null || u.getRawPath().isEmpty()) || u.getRawQuery() != null
                    || u.getUserInfo() != null) {
                throw new IllegalArgumentException("setting " + key + ".origins: '" + o + "' is not an origin such "
                        + "as https://shop.example or http://localhost:8080 (scheme, host and port only)");
            }
            origins.add(o);
        }
        return origins;
    }

    private static Set<String> types(String key, String value) {
        if (value == null) {
            return BEHAVIOUR;
        }
        if (value.trim().equals("*")) {
            return Set.copyOf(EventParser.TYPES);
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : Arrays.stream(value.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()) {
            if (!EventParser.TYPES.contains(t)) {
                throw new IllegalArgumentException("setting " + key + ".types: '" + t + "' is not an event type ("
                        + String.join(", ", EventParser.TYPES) + ", or * for all)");
            }
            types.add(t);
        }
        return types;
    }

    @Override
    public String toString() {
        return "IngestConfig" + keys;
    }
}
