package dev.nudge.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How the send stage turns decisions into mail: the SMTP relay, the sender, the templates, the links in every mail,
 * the limits that protect the sender's reputation (rate, retries, how long a mail may wait), and the campaigns that go
 * to a webhook instead.
 */
public record SendConfig(boolean enabled, SmtpConfig smtp, String from, Path templatesDir, String shopUrl,
                         String publicUrl, String unsubscribeSecret, int ratePerMinute, Duration retryFirst,
                         Duration retryMax, Duration giveUpAfter, int maxInFlight, int maxWaiting,
                         String consumerGroup, WebhookConfig webhooks, Shop shop) {

    /**
     * Who sends the mails, as every mail's footer names them: the shop's name, its postal address (bulk-mail laws ask
     * for one), and the currency of prices that do not name their own (ISO 4217, {@code EUR}).
     */
    public record Shop(String name, String address, String currency) {
        /** The shipped placeholders: a shop that sends for real sets its own. */
        public static final Shop DEFAULT = new Shop(null, null, null);

        public Shop {
            // a blank setting is an unset one: the footer is never empty
            name = name == null || name.isBlank() ? "Nudge demo shop" : name.strip();
            address = address == null || address.isBlank() ? "1 Example Street, 12345 Exampletown" : address.strip();
            currency = currency == null || currency.isBlank() ? "EUR" : currency;
            try {
                currency = java.util.Currency.getInstance(currency.trim().toUpperCase(Locale.ROOT)).getCurrencyCode();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting send.currency must be an ISO 4217 code such as EUR or USD, "
                        + "got '" + currency + "'");
            }
        }
    }

    /** A relay that accepts mail for the customers' domains; without a host Nudge runs its own in process. */
    public record SmtpConfig(String host, int port, String startTls, boolean ssl, String username, String password,
                             int embeddedPort, Duration timeout, Path embeddedOutboxDir) {
        /** True when no relay is configured: the embedded demo SMTP server takes the mail. */
        public boolean embedded() {
            return host == null || host.isBlank();
        }

        public SmtpConfig withPort(String host, int port) {
            return new SmtpConfig(host, port, startTls, ssl, username, password, embeddedPort, timeout, embeddedOutboxDir);
        }

        @Override
        public String toString() {
            // the password is a secret: never in a log line
            return "SmtpConfig[host=" + host + ", port=" + port + ", startTls=" + startTls + ", ssl=" + ssl
                    + ", username=" + username + ", password=" + (password == null ? "none" : "***") + "]";
        }
    }

    @Override
    public String toString() {
        return "SendConfig[enabled=" + enabled + ", smtp=" + smtp + ", from=" + from + ", templates=" + templatesDir
                + ", ratePerMinute=" + ratePerMinute + ", unsubscribeSecret="
                + (unsubscribeSecret == null ? "none" : "***") + ", webhooks=" + webhooks.endpoints().values() + "]";
    }

    public SendConfig withSmtp(SmtpConfig s) {
        return new SendConfig(enabled, s, from, templatesDir, shopUrl, publicUrl, unsubscribeSecret, ratePerMinute,
                retryFirst, retryMax, giveUpAfter, maxInFlight, maxWaiting, consumerGroup, webhooks, shop);
    }

    public SendConfig withPublicUrl(String url) {
        return new SendConfig(enabled, smtp, from, templatesDir, shopUrl, url, unsubscribeSecret, ratePerMinute,
                retryFirst, retryMax, giveUpAfter, maxInFlight, maxWaiting, consumerGroup, webhooks, shop);
    }

    public SendConfig withWebhooks(WebhookConfig w) {
        return new SendConfig(enabled, smtp, from, templatesDir, shopUrl, publicUrl, unsubscribeSecret, ratePerMinute,
                retryFirst, retryMax, giveUpAfter, maxInFlight, maxWaiting, consumerGroup, w, shop);
    }

    public SendConfig withShopUrl(String url) {
        return new SendConfig(enabled, smtp, from, templatesDir, url, publicUrl, unsubscribeSecret, ratePerMinute,
                retryFirst, retryMax, giveUpAfter, maxInFlight, maxWaiting, consumerGroup, webhooks, shop);
    }

    /** The same settings with this unsubscribe secret (the one `nudge run` keeps beside its embedded broker's data). */
    public SendConfig withUnsubscribeSecret(String secret) {
        return new SendConfig(enabled, smtp, from, templatesDir, shopUrl, publicUrl, secret, ratePerMinute,
                retryFirst, retryMax, giveUpAfter, maxInFlight, maxWaiting, consumerGroup, webhooks, shop);
    }

    /** The name customers know the shop by: the mails' footers and the unsubscribe pages. */
    public String shopName() {
        return shop.name();
    }

    static SendConfig from(Settings s) {
        String startTls = s.string("send.smtp.starttls", "optional").trim().toUpperCase(Locale.ROOT);
        if (!startTls.equals("DISABLED") && !startTls.equals("OPTIONAL") && !startTls.equals("REQUIRED")) {
            throw new IllegalArgumentException("setting send.smtp.starttls must be disabled, optional or required, got '"
                    + startTls.toLowerCase(Locale.ROOT) + "'");
        }
        SmtpConfig smtp = new SmtpConfig(
                s.string("send.smtp.host", null),
                s.integer("send.smtp.port", 587),
                startTls,
                s.bool("send.smtp.ssl", false),
                s.string("send.smtp.username", null),
                s.string("send.smtp.password", null),
                s.integer("send.smtp.embedded-port", 2525),
                s.duration("send.smtp.timeout", Duration.ofSeconds(30)),
                blankAsNull(s.string("send.smtp.embedded-outbox-dir", null)));
        int rate = s.integer("send.rate-per-minute", 600);
        if (rate < 1) {
            throw new IllegalArgumentException("setting send.rate-per-minute must be at least 1, got " + rate);
        }
        return new SendConfig(
                s.bool("send.enabled", true),
                smtp,
                s.string("send.from", "Nudge Shop <shop@nudge.localhost>"),
                Path.of(s.string("send.templates-dir", "deploy/templates")),
                trimSlash(s.string("send.shop-url", "https://shop.example")),
                trimSlash(s.string("send.public-url", null)),
                s.string("send.unsubscribe-secret", null),
                rate,
                s.duration("send.retry.first", Duration.ofSeconds(1)),
                s.duration("send.retry.max", Duration.ofMinutes(5)),
                s.duration("send.give-up-after", Duration.ofHours(24)),
                s.integer("send.max-in-flight", 8),
                s.integer("send.max-waiting", 1000),
                s.string("send.consumer-group", "nudge-send"),
                WebhookConfig.from(s, System::getenv),
                new Shop(s.string("send.shop-name", Shop.DEFAULT.name()),
                        s.string("send.shop-address", Shop.DEFAULT.address()),
                        s.string("send.currency", Shop.DEFAULT.currency())));
    }

    private static Path blankAsNull(String dir) {
        return dir == null || dir.isBlank() ? null : Path.of(dir.trim());
    }

    private static String trimSlash(String url) {
        return url == null || url.isBlank() ? null : url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
