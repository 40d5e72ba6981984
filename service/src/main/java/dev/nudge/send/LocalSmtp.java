package dev.nudge.send;

import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.smtp.SmtpConnection;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.smtp.commands.DataCommand;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP server of the embedded default (GreenMail, in process, on loopback): it keeps what it receives for
 * {@code GET /outbox}, in memory or, given a folder, also on disk (one raw MIME file a mail, read back at start, so the
 * outbox survives a restart), and, like a real relay meeting an unknown mailbox, refuses recipients at the reserved
 * {@code .invalid} domain (RFC 2606) with {@code 550 5.1.1}, so the demo and the tests see permanent failures.
 */
public final class LocalSmtp implements AutoCloseable {

    /** Recipients at this domain suffix are refused with a 550. */
    public static final String REFUSED_DOMAIN = ".invalid";

    static {
        installRefusals();
    }

    // the command table is static: a delivered mail finds the server it was delivered to by its SMTP manager
    private static final Map<SmtpManager, LocalSmtp> BY_MANAGER = new ConcurrentHashMap<>();

    private final GreenMail server;
    private final OutboxFolder folder;
    private final List<MimeMessage> received = new CopyOnWriteArrayList<>();

    private LocalSmtp(GreenMail server, OutboxFolder folder, List<MimeMessage> kept) {
        this.server = server;
        this.folder = folder;
        received.addAll(kept);
    }

    /** Starts on loopback, keeping mail in memory only; port 0 takes a free one. */
    public static LocalSmtp start(int port) {
        return start(port, null);
    }

    /**
     * Starts on loopback; port 0 takes a free one. With a folder ({@code keepIn}, created if missing), every mail
     * received is also written there, and the mails already there are received again first, oldest first.
     */
    public static LocalSmtp start(int port, Path keepIn) {
        OutboxFolder folder = keepIn == null ? null : new OutboxFolder(keepIn);
        List<MimeMessage> kept = folder == null ? List.of() : folder.load();
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        if (port == 0) {
            setup = setup.dynamicPort();
        }
        setup.setServerStartupTimeout(10_000);
        GreenMail mail = new GreenMail(setup);
        LocalSmtp smtp = new LocalSmtp(mail, folder, kept);
        BY_MANAGER.put(mail.getManagers().getSmtpManager(), smtp);
        mail.start();
        return smtp;
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    /** Every message received, oldest first: those kept from earlier runs, then those since start. */
    public List<MimeMessage> received() {
        return List.copyOf(received);
    }

    /** The folder mails are kept in across restarts, or null when they are kept in memory only. */
    public Path keptIn() {
        return folder == null ? null : folder.dir();
    }

    private void delivered(MimeMessage m) {
        if (folder != null) {
            folder.write(m);
        }
        received.add(m);
    }

    private void forgetGreenMailsCopies() {
        try {
            server.purgeEmailFromAllMailboxes();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            // only memory is at stake: the mail is listed and kept all the same
        }
    }

    @Override
    public void close() {
        BY_MANAGER.remove(server.getManagers().getSmtpManager());
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
            SmtpCommand data = commands.get("DATA");
            if (!(data instanceof KeepingData)) {
                commands.put("DATA", new KeepingData(data));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("GreenMail's command table is not where it was: " + e, e);
        }
    }

    /** DATA that hands each mail GreenMail accepted to the server that received it, to list and keep. */
    private static final class KeepingData extends SmtpCommand {
        private final SmtpCommand original;

        KeepingData(SmtpCommand original) {
            this.original = original == null ? new DataCommand() : original;
        }

        @Override
        public void execute(SmtpConnection conn, SmtpState state, SmtpManager manager, String line)
                throws java.io.IOException {
            // GreenMail replaces the state's message once delivered: hold on to this one
            MovingMessage message = state.getMessage();
            original.execute(conn, state, manager, line);
            LocalSmtp smtp = BY_MANAGER.get(manager);
            // delivered when the state moved on with a message read; GreenMail's own rare 451 (an exception while
            // storing) looks the same from here and is kept too
            if (smtp != null && message.getMessage() != null && state.getMessage() != message) {
                smtp.delivered(message.getMessage());
                // the list above is the outbox: GreenMail's own copy in its mailboxes would only double the memory.
                // Deliveries hold the manager's lock, so none is half stored while the mailboxes are emptied.
                synchronized (manager) {
                    smtp.forgetGreenMailsCopies();
                }
            }
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
