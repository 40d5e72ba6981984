package dev.nudge.send;

import com.icegreen.greenmail.smtp.SmtpConnection;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.smtp.commands.RcptCommand;
import com.icegreen.greenmail.smtp.commands.SmtpCommand;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP server of the embedded default (GreenMail, in process, on loopback): it keeps what it receives for
 * {@code GET /outbox}, and, like a real relay meeting an unknown mailbox, refuses recipients at the reserved
 * {@code .invalid} domain (RFC 2606) with {@code 550 5.1.1}, so the demo and the tests see permanent failures.
 */
public final class LocalSmtp implements AutoCloseable {

    /** Recipients at this domain suffix are refused with a 550. */
    public static final String REFUSED_DOMAIN = ".invalid";

    static {
        installRefusals();
    }

    private final GreenMail server;

    private LocalSmtp(GreenMail server) {
        this.server = server;
    }

    /** Starts on loopback; port 0 takes a free one. */
    public static LocalSmtp start(int port) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        if (port == 0) {
            setup = setup.dynamicPort();
        }
        setup.setServerStartupTimeout(10_000);
        GreenMail mail = new GreenMail(setup);
        mail.start();
        return new LocalSmtp(mail);
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    /** Every message received since start, oldest first. */
    public List<MimeMessage> received() {
        return List.of(server.getReceivedMessages());
    }

    @Override
    public void close() {
        server.stop();
    }

    /** The text of a message's first part of that type ({@code text/html}), however deep the nesting; or null. */
    public static String part(Part p, String type) throws MessagingException, IOException {
        if (p.isMimeType(type)) {
            return String.valueOf(p.getContent());
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                String found = part(mp.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * GreenMail accepts every recipient; its command table is a static map, so the RCPT command is wrapped once per
     * JVM with one that refuses the reserved domain and hands everything else to GreenMail's own.
     */
    @SuppressWarnings("unchecked")
    private static void installRefusals() {
        try {
            var field = SmtpCommandRegistry.class.getDeclaredField("commands");
            field.setAccessible(true);
            Map<String, SmtpCommand> commands = (Map<String, SmtpCommand>) field.get(null);
            SmtpCommand original = commands.get("RCPT");
            if (!(original instanceof RefusingRcpt)) {
                commands.put("RCPT", new RefusingRcpt(original));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("GreenMail's command table is not where it was: " + e, e);
        }
    }

    /** RCPT that answers 550 for the reserved domain. */
    private static final class RefusingRcpt extends SmtpCommand {
        private static final Pattern ADDRESS = Pattern.compile("RCPT TO:\\s?<([^>]*)>.*", Pattern.CASE_INSENSITIVE);
        private final SmtpCommand original;

        RefusingRcpt(SmtpCommand original) {
            this.original = original == null ? new RcptCommand() : original;
        }

        @Override
        public void execute(SmtpConnection conn, SmtpState state, SmtpManager manager, String line)
                throws java.io.IOException {
            Matcher m = ADDRESS.matcher(line);
            if (m.matches() && m.group(1).toLowerCase(Locale.ROOT).endsWith(REFUSED_DOMAIN)) {
                conn.send("550 5.1.1 <" + m.group(1) + ">: mailbox unavailable");
                return;
            }
            original.execute(conn, state, manager, line);
        }
    }
}
