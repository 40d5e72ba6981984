package dev.nudge.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook channel of the send stage: the HTTP endpoints decisions can be POSTed to ({@code send.webhooks.<name>.*})
 * and which campaigns go there instead of SMTP ({@code send.campaigns.<campaign>.channel=webhook}).
 */
public record WebhookConfig(Map<String, Endpoint> endpoints, Map<String, String> campaignEndpoint) {

    public static final WebhookConfig NONE = new WebhookConfig(Map.of(), Map.of());
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    // lower-case letters and digits only: an environment variable (NUDGE_SEND_WEBHOOKS_BRAZE_SECRET) names it too
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> ENDPOINT_KEYS = Set.of("url", "secret", "timeout", "template");

    /**
     * One endpoint: where to POST, the secret that signs each call (null: calls are not signed), how long a call may
     * take, the FreeMarker template of the body (null: the decision record itself), and extra headers.
     */
    public record Endpoint(String name, URI url, String secret, Duration timeout, Path template,
                           Map<String, String> headers) {
        public Endpoint {
            // header names are case-insensitive, as HTTP reads them
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(headers);
            headers = java.util.Collections.unmodifiableMap(h);
        }

        @Override
        public String toString() {
            // the secret and the headers (an Authorization, an API key) never reach a log line
            return "Endpoint[name=" + name + ", url=" + url + ", secret=" + (secret == null ? "none" : "***")
                    + ", timeout=" + timeout + ", template=" + template + ", headers=" + headers.keySet() + "]";
        }
    }

    public WebhookConfig {
        endpoints = Map.copyOf(endpoints);
        campaignEndpoint = Map.copyOf(campaignEndpoint);
    }

    /** The endpoint a campaign's decisions are POSTed to, or null when the campaign is mailed through SMTP. */
    public Endpoint endpointOf(String campaign) {
        String name = campaignEndpoint.get(campaign);
        return name == null ? null : endpoints.get(name);
    }

    /** {@code env} resolves {@code ${NAME}} in header values, so an API key stays out of the file. */
    static WebhookConfig from(Settings s, Function<String, String> env) {
        Map<String, Endpoint> endpoints = new TreeMap<>();
        Map<String, Map<String, String>> byName = new TreeMap<>();
        s.withPrefix("send.webhooks.").forEach((key, value) -> {
            int dot = key.indexOf('.');
            String name = dot < 0 ? key : key.substring(0, dot);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("setting send.webhooks." + key + ": a webhook's name is lower-case "
                        + "letters and digits (braze, klaviyo2), got '" + name + "'");
            }
            byName.computeIfAbsent(name, n -> new TreeMap<>()).put(dot < 0 ? "" : key.substring(dot + 1), value);
        });
        byName.forEach((name, keys) -> endpoints.put(name, endpoint(s, name, keys, env)));
        return new WebhookConfig(endpoints, campaigns(s, endpoints));
    }

    private static Endpoint endpoint(Settings s, String name, Map<String, String> keys, Function<String, String> env) {
        String prefix = "send.webhooks." + name + ".";
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String key : keys.keySet()) {
            if (key.startsWith("header.") && key.length() > "header.".length()) {
                headers.put(key.substring("header.".length()), resolve(prefix + key, keys.get(key), env));
            } else if (!ENDPOINT_KEYS.contains(key)) {
                throw new IllegalArgumentException("setting " + prefix + key + ": unknown; a webhook has url, secret, "
                        + "timeout, template and header.<Name>");
            }
        }
        String url = s.string(prefix + "url", null);
        if (url == null) {
            throw new IllegalArgumentException("webhook " + name + " has settings but no " + prefix + "url");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting " + prefix + "url is not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new IllegalArgumentException("setting " + prefix + "url must be an http(s) URL, got '" + url + "'");
        }
        String secret = s.string(prefix + "secret", null);
        if (secret != null && secret.length() < 16) {
            throw new IllegalArgumentException("setting " + prefix + "secret must have at least 16 characters");
        }
        Duration timeout = s.duration(prefix + "timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("setting " + prefix + "timeout must be positive, got " + timeout);
        }
        String template = s.string(prefix + "template", null);
        return new Endpoint(name, uri, secret, timeout, template == null ? null : Path.of(template), headers);
    }

    /** {@code send.campaigns.<campaign>.channel} and {@code .webhook}, in the file: a campaign's name has dashes. */
    private static Map<String, String> campaigns(Settings s, Map<String, Endpoint> endpoints) {
        Map<String, String> channel = new TreeMap<>();
        Map<String, String> webhook = new TreeMap<>();
        s.withPrefix("send.campaigns.").forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            String attribute = dot < 0 ? "" : key.substring(dot + 1);
            switch (attribute) {
                case "channel" -> channel.put(key.substring(0, dot), value.trim().toLowerCase(Locale.ROOT));
                case "webhook" -> webhook.put(key.substring(0, dot), value.trim());
                default -> throw new IllegalArgumentException("setting send.campaigns." + key
                        + ": unknown; a campaign has channel (smtp or webhook) and webhook (a webhook's name)");
            }
        });
        Map<String, String> out = new TreeMap<>();
        Set<String> campaigns = new HashSet<>(channel.keySet());
        campaigns.addAll(webhook.keySet());
        for (String campaign : campaigns) {
            String key = "send.campaigns." + campaign;
            String ch = channel.getOrDefault(campaign, "smtp");
            if (ch.equals("smtp")) {
                if (webhook.containsKey(campaign)) {
                    throw new IllegalArgumentException(key + ".webhook is set but " + key + ".channel is not webhook");
                }
                continue;
            }
            if (!ch.equals("webhook")) {
                throw new IllegalArgumentException("setting " + key + ".channel must be smtp or webhook, got '" + ch + "'");
            }
            String name = webhook.get(campaign);
            if (name == null && endpoints.size() == 1) {
                name = endpoints.keySet().iterator().next();
            }
            if (name == null || !endpoints.containsKey(name)) {
                throw new IllegalArgumentException("setting " + key + ".webhook must name a webhook of send.webhooks ("
                        + (endpoints.isEmpty() ? "none is set" : String.join(", ", endpoints.keySet())) + "), got "
                        + (name == null ? "nothing" : "'" + name + "'"));
            }
            out.put(campaign, name);
        }
        return out;
    }

    /** {@code Bearer ${BRAZE_API_KEY}}: the variable's value from the environment; one that is not set refuses. */
    private static String resolve(String key, String value, Function<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("setting " + key + " names the environment variable " + m.group(1)
                        + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        if (out.toString().chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("setting " + key + " holds a line break");
        }
        return out.toString();
    }
}
