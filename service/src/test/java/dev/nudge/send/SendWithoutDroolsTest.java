package dev.nudge.send;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nudge send} needs no Drools class to read and classify a decision: with the project's classes and every jar
 * but Drools' and KIE's, a decision record is read and triaged as the send stage does.
 */
class SendWithoutDroolsTest {

    private static final String MAIL = """
            {"decisionId":"d-1","kind":"mail","customerId":"ana","campaign":"cart-abandonment","rule":"R",
             "rulesVersion":"v1","decidedAt":"2026-03-02T10:30:00Z","eventIds":["e1"],"payload":{},
             "recipient":{"email":"ana@example.com","firstName":"Ana"}}""";

    @Test
    void aDecisionIsReadAndTriagedWithoutDroolsOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath()) {
            if (!entry.contains("drools") && !entry.contains("/kie-")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader withoutDrools = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("org.kie.api.KieServices", false, withoutDrools), "Drools is really gone");

            Object mapper = load(withoutDrools, "dev.nudge.event.Json").getMethod("mapper").invoke(null);
            Class<?> readerType = load(withoutDrools, "dev.nudge.decision.DecisionJson");
            Object reader = readerType.getConstructor(load(withoutDrools, "com.fasterxml.jackson.databind.ObjectMapper"))
                    .newInstance(mapper);
            Object decision = readerType.getMethod("read", byte[].class)
                    .invoke(reader, (Object) MAIL.getBytes(StandardCharsets.UTF_8));

            Class<?> known = load(withoutDrools, "dev.nudge.send.SendTriage$Known");
            Method of = load(withoutDrools, "dev.nudge.send.SendTriage").getDeclaredMethod("of",
                    load(withoutDrools, "dev.nudge.decision.Decision"), known, long.class, long.class, Duration.class);
            of.setAccessible(true);
            var nothing = known.getDeclaredField("NOTHING");
            nothing.setAccessible(true);
            long now = System.currentTimeMillis();
            Object verdict = of.invoke(null, decision, nothing.get(null), now, now, Duration.ofDays(1));
            Method action = verdict.getClass().getDeclaredMethod("action");
            action.setAccessible(true);
            assertEquals("SEND", action.invoke(verdict).toString());
        }
    }

    private static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
        return Class.forName(name, true, loader);
    }

    /** The test's class path; Surefire passes it in the manifest of a jar of its own. */
    private static List<String> classPath() throws IOException {
        List<String> entries = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            try (JarFile booter = new JarFile(entries.get(0))) {
                String manifest = booter.getManifest().getMainAttributes().getValue("Class-Path");
                if (manifest != null) {
                    entries.clear();
                    for (String url : manifest.trim().split("\\s+")) {
                        entries.add(new File(URI.create(url)).getPath());
                    }
                }
            }
        }
        assertTrue(entries.stream().anyMatch(e -> e.contains("drools")), "the full class path has Drools: " + entries);
        return entries;
    }
}
