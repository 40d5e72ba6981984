package dev.nudge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that accepts every mail and keeps nothing but its {@code X-Nudge-Decision} header: a relay that costs
 * next to nothing, so the benchmark can tell the send stage's own limit from the embedded GreenMail server's, which
 * parses and stores every message; the chaos run's relay hands each message to a {@link Recorder} before it says
 * "accepted". Speaks just what vertx-mail-client needs (EHLO without extensions, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
 * one thread per connection, on loopback.
 */
public final class SmtpSink implements AutoCloseable {

    /** Told of every message before the client hears it was accepted, so a message it did not keep was never sent. */
    @FunctionalInterface
    public interface Recorder {
        void accepted(String decisionId, List<String> recipients) throws IOException;
    }

    /** Threads of the sink are named so: the benchmark's CPU split finds them by it. */
    static final String THREAD_PREFIX = "smtp-sink-";
    private static final String HEADER = "x-nudge-decision:";

    private final ServerSocket server;
    private final Map<String, Integer> byDecision = new ConcurrentHashMap<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger withoutId = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Recorder recorder;

    private SmtpSink(ServerSocket server, Recorder recorder) {
        this.server = server;
        this.recorder = recorder;
        Thread accept = new Thread(this::accept, THREAD_PREFIX + "accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** Listens on a free loopback port. */
    static SmtpSink start() throws IOException {
        return new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), (id, to) -> { });
    }

    /** Listens on {@code port} of loopback (0: a free one), telling {@code recorder} of every message. */
    public static SmtpSink start(int port, Recorder recorder) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return new SmtpSink(socket, recorder);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What arrived so far, by decision id. */
    SendResult.Mails mails() {
        return new SendResult.Mails(received.get(), byDecision.size(), withoutId.get());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), THREAD_PREFIX + connections.incrementAndGet());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed: the benchmark is done with it
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            Lines lines = new Lines(in);
            reply(out, "220 sink ESMTP");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = lines.next()) != null) {
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 sink");
                    case "MAIL", "RSET" -> {
                        recipients.clear();
                        reply(out, "250 ok");
                    }
                    case "RCPT" -> {
                        recipients.add(address(line));
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        recorder.accepted(message(lines), List.copyOf(recipients));
                        recipients.clear();
                        reply(out, "250 2.0.0 accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to keep
        }
    }

    /** The address of {@code RCPT TO:<a@b>}. */
    private static String address(String rcpt) {
        int open = rcpt.indexOf('<');
        int close = rcpt.lastIndexOf('>');
        return open >= 0 && close > open ? rcpt.substring(open + 1, close) : rcpt.substring(rcpt.indexOf(':') + 1).trim();
    }

    /** Reads one message up to its lone dot and returns its decision id; body lines are skipped, never decoded. */
    private String message(Lines lines) throws IOException {
        String id = null;
        String header;
        while ((header = lines.next()) != null && !header.isEmpty() && !header.equals(".")) {
            if (header.regionMatches(true, 0, HEADER, 0, HEADER.length())) {
                id = header.substring(HEADER.length()).trim();
            }
        }
        if (header != null && !header.equals(".")) {
            while (!lines.skipIsDot()) {
                // body line
            }
        }
        received.incrementAndGet();
        if (id == null) {
            withoutId.incrementAndGet();
        } else {
            byDecision.merge(id, 1, Integer::sum);
        }
        return id;
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** CRLF-terminated lines read from a stream through a buffer of its own; SMTP lines are at most 1,000 bytes. */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int end;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its end, or null at the end of the stream. */
        String next() throws IOException {
            int from = lineEnd();
            if (from < 0) {
                return null;
            }
            int start = pos;
            pos = from + 1;
            int stop = from > start && buf[from - 1] == '\r' ? from - 1 : from;
            return new String(buf, start, stop - start, StandardCharsets.ISO_8859_1);
        }

        /** Skips a line; true when it was the lone dot that ends a message (or the stream ended). */
        boolean skipIsDot() throws IOException {
            int from = lineEnd();
            if (from < 0) {
                return true;
            }
            int length = from - pos;
            boolean dot = buf[pos] == '.' && (length == 1 || length == 2 && buf[pos + 1] == '\r');
            pos = from + 1;
            return dot;
        }

        /** Index of the next newline in the buffer, reading more as needed; -1 at the end of the stream. */
        private int lineEnd() throws IOException {
            int scanned = pos;
            while (true) {
                for (int i = scanned; i < end; i++) {
                    if (buf[i] == '\n') {
                        return i;
                    }
                }
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, end - pos);
                    end -= pos;
                    pos = 0;
                }
                scanned = end;
                if (end == buf.length) {
                    throw new IOException("a line longer than " + buf.length + " bytes: not SMTP");
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    return -1;
                }
                end += n;
            }
        }
    }
}
