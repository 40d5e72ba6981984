package dev.nudge.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.config.SendConfig;
import dev.nudge.metrics.Metrics;
import dev.nudge.supervise.Supervisor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The send stage as one piece: the embedded SMTP server when no relay is configured, the unsubscribe token signer,
 * and the verticle that sends; prepared before the HTTP API (which serves the outbox and the unsubscribe links),
 * deployed after it (the links need its address).
 */
public final class SendStage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SendStage.class);

    private final SendConfig config;
    private final LocalSmtp localSmtp;
    private final UnsubscribeTokens tokens;
    private final MailTemplates templates;
    private Supervisor supervisor;

    private SendStage(SendConfig config, LocalSmtp localSmtp, UnsubscribeTokens tokens, MailTemplates templates) {
        this.config = config;
        this.localSmtp = localSmtp;
        this.tokens = tokens;
        this.templates = templates;
    }

    /** Starts the embedded SMTP server if no relay is configured, and checks the templates folder and the webhooks. */
    public static SendStage prepare(SendConfig config) {
        // first what can refuse the settings, so nothing is left running when they are wrong
        MailTemplates templates = new MailTemplates(config.templatesDir(), config.shop());
        config.webhooks().endpoints().values().forEach(e -> {
            WebhookChannel.check(e);
            new WebhookBodies(e.template(), dev.nudge.event.Json.mapper());
            if (e.secret() == null) {
                LOG.warn("webhook {} has no secret: its calls are not signed; set NUDGE_SEND_WEBHOOKS_{}_SECRET",
                        e.name(), e.name().toUpperCase(java.util.Locale.ROOT));
            }
        });
        String secret = config.unsubscribeSecret();
        if (secret == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getEncoder().encodeToString(random);
            LOG.warn("send.unsubscribe-secret is not set: unsubscribe links are signed with a random secret and stop "
                    + "working when Nudge restarts; set NUDGE_SEND_UNSUBSCRIBE_SECRET");
        }
        UnsubscribeTokens tokens = new UnsubscribeTokens(secret);
        LocalSmtp local = null;
        if (config.smtp().embedded()) {
            local = LocalSmtp.start(config.smtp().embeddedPort(), config.smtp().embeddedOutboxDir());
            // the embedded server speaks plain SMTP on loopback: nothing to encrypt, nobody to log in as
            config = config.withSmtp(new SendConfig.SmtpConfig("127.0.0.1", local.port(), "DISABLED", false, null, null,
                    config.smtp().embeddedPort(), config.smtp().timeout(), config.smtp().embeddedOutboxDir()));
            LOG.info("embedded SMTP server on 127.0.0.1:{}", local.port());
        }
        return new SendStage(config, local, tokens, templates);
    }

    /**
     * Deploys the sending verticle, and replaces it whenever it fails; unsubscribe links point at {@code publicUrl}
     * unless send.public-url says.
     */
    public Future<Void> deploy(Vertx vertx, NudgeConfig nudge, String publicUrl, Metrics metrics, ObjectMapper json) {
        SendConfig effective = config.publicUrl() == null ? config.withPublicUrl(publicUrl) : config;
        NudgeConfig withSend = nudge.withSend(effective);
        metrics.gauge("nudge.mails.waiting", "Mails decided and not settled yet (rate limit, retries, in flight)",
                this::waiting);
        supervisor = new Supervisor(vertx, "send stage",
                onFailure -> new SendVerticle(withSend, templates, tokens, metrics, json, onFailure),
                new DeploymentOptions());
        return supervisor.start();
    }

    /** True while the sending verticle runs and polls the decisions. */
    public boolean running() {
        return supervisor != null && supervisor.running();
    }

    public UnsubscribeTokens tokens() {
        return tokens;
    }

    /** The embedded SMTP server, or null when a relay is configured. */
    public LocalSmtp localSmtp() {
        return localSmtp;
    }

    /** The SMTP settings in use (for the embedded server: its loopback address). */
    public SendConfig config() {
        return config;
    }

    /** Mails waiting in the sending verticle. */
    public int waiting() {
        return supervisor != null && supervisor.current() instanceof SendVerticle v ? v.waitingCount() : 0;
    }

    /** Stops the embedded SMTP server; the verticle stops with its Vert.x instance. */
    @Override
    public void close() {
        if (localSmtp != null) {
            localSmtp.close();
        }
    }
}
