package dev.nudge.send;

import dev.nudge.config.SendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;

import java.util.regex.Pattern;

/** The SMTP relay as a channel: renders each mail from its templates and hands it to the relay. */
final class SmtpChannel implements Channel {

    // a reply such as "550 5.1.1 <bob@shop.invalid>: mailbox unavailable": the address is wrong
    private static final Pattern ADDRESS_STATUS = Pattern.compile("^5\\d\\d[ -]5\\.1\\.\\d");

    private final MailComposer composer;
    private final MailClient smtp;

    SmtpChannel(Vertx vertx, SendConfig config, MailComposer composer) {
        this.composer = composer;
        this.smtp = MailClient.create(vertx, mailConfig(config));
    }

    static MailConfig mailConfig(SendConfig config) {
        var s = config.smtp();
        MailConfig m = new MailConfig().setHostname(s.host()).setPort(s.port())
                .setStarttls(StartTLSOptions.valueOf(s.startTls())).setSsl(s.ssl())
                .setConnectTimeout((int) s.timeout().toMillis())
                .setIdleTimeout((int) s.timeout().toSeconds())
                .setMaxPoolSize(Math.max(1, config.maxInFlight()))
                .setKeepAlive(true);
        if (s.username() != null) {
            m.setUsername(s.username()).setPassword(s.password());
        }
        return m;
    }

    @Override
    public String describe() {
        return "the SMTP relay";
    }

    @Override
    public Future<String> deliver(Mail m) {
        MailMessage message;
        try {
            message = composer.compose(m.decision);
        } catch (MailRenderException e) {
            return Future.failedFuture(e);
        }
        return smtp.sendMail(message).map(r -> r.getMessageID());
    }

    @Override
    public Refusal judge(Throwable cause) {
        if (cause instanceof MailRenderException) {
            return Refusal.of(Refusal.Kind.UNRENDERABLE, "template: " + cause.getMessage());
        }
        if (cause instanceof SMTPException s) {
            // the reply as the relay wrote it: code, enhanced status and text
            String reply = s.getReplyMessage();
            if (s.isPermanent()) {
                return Refusal.of(unknownAddress(s) ? Refusal.Kind.BOUNCED : Refusal.Kind.PERMANENT, reply);
            }
            return Refusal.of(throttling(s) ? Refusal.Kind.THROTTLED : Refusal.Kind.TRANSIENT, reply);
        }
        return Refusal.of(Refusal.Kind.TRANSIENT, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** An SMTP relay cannot be asked whether it already took a mail. */
    @Override
    public boolean idempotent() {
        return false;
    }

    @Override
    public Future<Void> close() {
        return smtp.close();
    }

    /**
     * The relay says the address itself is wrong (5.1.x: no such mailbox or domain; 551, 553): a hard bounce, unlike
     * a 5.7.x policy refusal, which says nothing about the address.
     */
    static boolean unknownAddress(SMTPException s) {
        // the client reads enhanced codes only from relays that announce them; many write them anyway
        return s.getEnhancedStatus() == SMTPException.EnhancedStatus.OTHER_ADDRESS || s.getReplyCode() == 551
                || s.getReplyCode() == 553 || ADDRESS_STATUS.matcher(String.valueOf(s.getReplyMessage())).find();
    }

    /**
     * A relay's answer about the sender rather than this mail: 421 (service unavailable, too many connections or
     * messages), 451 (local error, often "rate limited"), 454 (temporary TLS or authentication failure).
     */
    static boolean throttling(Throwable cause) {
        if (!(cause instanceof SMTPException s)) {
            return false;
        }
        int code = s.getReplyCode();
        return code == 421 || code == 451 || code == 454;
    }
}
