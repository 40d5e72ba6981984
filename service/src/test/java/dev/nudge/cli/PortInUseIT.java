package dev.nudge.cli;

import dev.nudge.testing.Paths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A port another program holds (here a real listening socket) ends {@code nudge run} and {@code nudge broker} with one
 * line naming the port, its setting and a free port to use, before anything started: no broker, no stack trace.
 */
class PortInUseIT {

    private ServerSocket taken;

    @BeforeEach
    void occupyAPort() throws Exception {
        taken = new ServerSocket();
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void release() throws Exception {
        taken.close();
    }

    @ParameterizedTest
    @CsvSource({"http.port, NUDGE_HTTP_PORT", "kafka.embedded.port, NUDGE_KAFKA_EMBEDDED_PORT",
            "send.smtp.embedded-port, NUDGE_SEND_SMTP_EMBEDDED_PORT"})
    void runNamesThePortItsSettingAndAFreeOne(String setting, String env, @TempDir Path dir) throws Exception {
        int port = taken.getLocalPort();
        Path data = dir.resolve("kafka");
        Path config = dir.resolve("nudge.properties");
        Files.writeString(config, String.join("\n", "engine.rules-dir=" + Paths.RULES, "kafka.embedded.data-dir=" + data,
                "http.port=0", "kafka.embedded.port=0", "send.smtp.embedded-port=0", "send.enabled=true",
                setting + "=" + port) + "\n");

        CommandLineTest.Result r = CommandLineTest.run("run", "--no-demo", "--config", config.toString());

        assertEquals(1, r.exit(), r.err());
        Matcher m = Pattern.compile("nudge run: port " + port + " on 127\\.0\\.0\\.1 \\(" + Pattern.quote(setting)
                + "\\) is in use by another program, perhaps another Nudge; start with " + env + "=(\\d+) \\(or "
                + Pattern.quote(setting) + " in the configuration file\\)\\R").matcher(r.err());
        assertTrue(m.matches(), r.err());
        int suggested = Integer.parseInt(m.group(1));
        assertNotEquals(port, suggested);
        assertTrue(Ports.free("127.0.0.1", suggested), "the suggested port " + suggested + " is free");
        assertFalse(Files.exists(data), "the broker never started");
    }

    @Test
    void brokerNamesItsOption(@TempDir Path dir) {
        int port = taken.getLocalPort();
        CommandLineTest.Result r = CommandLineTest.run("broker", "--port", String.valueOf(port), "--data-dir",
                dir.resolve("kafka").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().matches("nudge broker: port " + port + " on 127\\.0\\.0\\.1 \\(--port\\) is in use by "
                + "another program, perhaps another Nudge; start with --port \\d+\\R"), r.err());
        assertFalse(Files.exists(dir.resolve("kafka")), "the broker never started");
    }
}
