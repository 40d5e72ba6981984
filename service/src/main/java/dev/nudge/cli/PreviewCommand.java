package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Decision;
import dev.nudge.send.MailPreview;
import dev.nudge.send.MailRenderException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nudge preview}: the mail a decision would produce, rendered from the decision found on Kafka as the send stage
 * renders it, and never sent; or the last mails of a campaign, to check a changed template against real data.
 */
@Command(name = "preview", description = "Render the mail of a decision (or of a campaign's last decisions) "
        + "without sending it.")
final class PreviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DECISION-ID", description = "The decision (its first 8 characters do)")
    String decisionId;

    @Option(names = "--campaign", description = "Render this campaign's last decisions instead (with --last)")
    String campaign;

    @Option(names = "--last", description = "How many of the campaign's last decisions (default: ${DEFAULT-VALUE})",
            defaultValue = "5")
    int last;

    @Mixin
    KafkaReading kafka;

    @Option(names = "--templates", description = "Templates folder to render with (default: send.templates-dir)")
    Path templates;

    @Option(names = "--html", description = "Print only the HTML part")
    boolean htmlOnly;

    @Option(names = "--text", description = "Print only the text part")
    boolean textOnly;

    @Option(names = "--out", description = "Write the HTML part to this file instead of printing it")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((decisionId == null) == (campaign == null)) {
            throw new Mistakes.UserError("give a decision id, or --campaign NAME [--last N]");
        }
        if (htmlOnly && textOnly) {
            throw new Mistakes.UserError("--html or --text, not both");
        }
        if (last < 1) {
            throw new Mistakes.UserError("--last must be at least 1, got " + last);
        }
        NudgeConfig config = kafka.config();
        if (templates != null) {
            Arguments.folder(templates, "templates folder (--templates)");
        }
        String servers = kafka.servers(config);
        String publicUrl = "http://" + config.http().host() + ":" + config.http().port();
        var send = config.send();
        if (send.shopUrl().endsWith("://shop.example")) {
            // as nudge run does: with the shipped placeholder, the demo's mails link into the demo shop
            send = send.withShopUrl((send.publicUrl() != null ? send.publicUrl() : publicUrl) + "/shop");
        }
        MailPreview preview;
        try {
            preview = new MailPreview(send, templates, publicUrl);
        } catch (IllegalArgumentException e) {
            throw new Mistakes.UserError(e.getMessage());
        }
        DecisionTopics topics;
        try {
            topics = DecisionTopics.read(servers, config.kafka().topics());
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new Mistakes.UserError("could not read the decisions at " + servers + ": " + e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (decisionId != null) {
            DecisionTopics.Found found = topics.find(decisionId);
            if (found == null) {
                throw new Mistakes.UserError("no decision " + decisionId + " on " + config.kafka().topics().decisions()
                        + " or " + config.kafka().topics().audit() + " at " + servers);
            }
            return show(preview, found.decision(), found.voided(), out) ? 0 : 1;
        }
        List<Decision> decisions = topics.last(campaign, last);
        if (decisions.isEmpty()) {
            throw new Mistakes.UserError("no decision of campaign " + campaign + " on "
                    + config.kafka().topics().decisions() + " at " + servers);
        }
        boolean ok = true;
        for (int i = 0; i < decisions.size(); i++) {
            o.printf("=== %d of %d ===%n", i + 1, decisions.size());
            Path file = out == null ? null : out.resolveSibling(numbered(out.getFileName().toString(), i + 1));
            ok &= show(preview, decisions.get(i), false, file);
        }
        return ok ? 0 : 1;
    }

    /** Prints one decision's mail; false when its campaign's templates failed (the error is printed too). */
    private boolean show(MailPreview preview, Decision d, boolean voided, Path htmlFile) throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean ok = true;
        MailPreview.Preview p;
        try {
            p = preview.render(d, true);
        } catch (MailRenderException e) {
            ok = false;
            err.println("nudge preview: " + e.getMessage());
            try {
                p = preview.render(d, false);
                err.println("nudge preview: the send stage would send the mail of the " + p.template()
                        + " templates, shown below");
            } catch (MailRenderException again) {
                err.println("nudge preview: " + again.getMessage());
                return false;
            }
        }
        if (htmlOnly || textOnly) {
            o.print(htmlOnly ? p.html() : p.text());
            o.flush();
            return ok;
        }
        o.printf("decision %s (%s) of campaign %s for customer %s, decided %s%n", d.decisionId(), d.kind().code(),
                d.campaign(), d.customerId(), d.decidedAt());
        if (!d.kind().mails()) {
            o.println("not mailed: " + d.kind().code() + (d.reason() == null ? "" : " (" + d.reason() + ")")
                    + "; rendered as it would have been");
        } else if (d.recipient() == null || d.recipient().email() == null) {
            o.println("not mailed: the decision has no e-mail address (the customer's profile has none); rendered "
                    + "as it would have been");
        } else if (voided) {
            o.println("revoked: a later decision voided this mail; it went out only if it was sent before");
        }
        o.println("template: " + p.template());
        o.println("from: " + p.from());
        o.println("to: " + (p.to() == null ? "(no address in the decision)" : p.to()));
        o.println("subject: " + p.subject());
        o.println("unsubscribe: " + p.unsubscribeUrl() + (MailPreview.isPreviewToken(p.unsubscribeUrl())
                ? "  (preview token: unsubscribes nobody)" : ""));
        o.println("--- text ---");
        o.println(p.text().stripTrailing());
        if (htmlFile != null) {
            Files.writeString(htmlFile, p.html());
            o.println("--- html written to " + htmlFile + " ---");
        } else {
            o.println("--- html ---");
            o.println(p.html().stripTrailing());
        }
        o.flush();
        return ok;
    }

    /** {@code mail-2.html} for the second of {@code mail.html}. */
    private static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name + "-" + n : name.substring(0, dot) + "-" + n + name.substring(dot);
    }
}
