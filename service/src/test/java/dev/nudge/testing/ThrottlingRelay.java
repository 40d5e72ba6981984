package dev.nudge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP relay that says "421 4.7.0 slow down" to its first {@code throttled} mails, as a provider does when a
 * sender goes over its rate, then takes every mail; it notes when each mail was offered and what became of it.
 */
public final class ThrottlingRelay implements AutoCloseable {

    /** One {@code MAIL FROM}: when, and whether it was throttled. */
    public record Offer(long atMillis, boolean throttled) {
    }

    private final ServerSocket server;
    private final AtomicInteger throttleLeft;
    private final List<Offer> offers = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    public ThrottlingRelay(int throttled) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.throttleLeft = new AtomicInteger(throttled);
        Thread t = new Thread(this::accept, "throttling-relay");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Offer> offers() {
        return List.copyOf(offers);
    }

    public int accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "throttling-relay-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 relay ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() < 4 ? line : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 relay");
                    case "MAIL" -> {
                        boolean throttle = throttleLeft.getAndDecrement() > 0;
                        offers.add(new Offer(System.currentTimeMillis(), throttle));
                        if (throttle) {
                            reply(out, "421 4.7.0 Too many messages, slow down");
                            return;
                        }
                        reply(out, "250 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        String body;
                        while ((body = in.readLine()) != null && !body.equals(".")) {
                            // the message: not kept
                        }
                        accepted.incrementAndGet();
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
            // the client went away
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
