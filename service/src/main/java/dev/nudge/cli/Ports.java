package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ports a command is about to listen on, tried first: one that another program holds ends the command with one
 * line naming the port, its setting and a free port to use instead, before anything has started.
 */
final class Ports {

    /** How many ports above a taken one are tried for a free one to suggest. */
    private static final int SEARCH = 50;

    /** A port to listen on, and the setting ({@code http.port}) or option ({@code --port}) that chooses it. */
    record Port(String host, int port, String setting) {
        /** How to choose {@code other} instead: the setting's environment variable, or the option. */
        String change(String other) {
            if (setting.startsWith("--")) {
                return setting + " " + other;
            }
            String env = "NUDGE_" + setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            return env + "=" + other + " (or " + setting + " in the configuration file)";
        }
    }

    private Ports() {
    }

    /** The ports {@code nudge run} opens with these settings; a port of 0 is any free one and needs no check. */
    static List<Port> of(NudgeConfig config) {
        List<Port> ports = new ArrayList<>();
        ports.add(new Port(config.http().host(), config.http().port(), "http.port"));
        if (config.kafka().embedded()) {
            ports.add(new Port("127.0.0.1", config.kafka().embeddedPort(), "kafka.embedded.port"));
        }
        if (config.send().enabled() && config.send().smtp().embedded()) {
            ports.add(new Port("127.0.0.1", config.send().smtp().embeddedPort(), "send.smtp.embedded-port"));
        }
        return ports.stream().filter(p -> p.port() != 0).toList();
    }

    /** Throws the one-line explanation for the first port that is taken. */
    static void check(List<Port> ports) {
        for (Port p : ports) {
            if (!free(p.host(), p.port())) {
                int other = p.port();
                for (int candidate = p.port() + 1; candidate <= Math.min(65535, p.port() + SEARCH); candidate++) {
                    int c = candidate;
                    if (ports.stream().noneMatch(q -> q.port() == c) && free(p.host(), c)) {
                        other = c;
                        break;
                    }
                }
                throw new Mistakes.UserError("port " + p.port() + " on " + p.host() + " (" + p.setting()
                        + ") is in use by another program, perhaps another Nudge; start with "
                        + p.change(other == p.port() ? "<a free port>" : String.valueOf(other)));
            }
        }
    }

    static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
