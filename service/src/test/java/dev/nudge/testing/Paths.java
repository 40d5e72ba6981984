package dev.nudge.testing;

import java.nio.file.Path;

/** Where the repository's own folders are, seen from a test run in {@code service/}. */
public final class Paths {

    public static final Path HOME = Path.of(System.getProperty("nudge.home", "..")).toAbsolutePath().normalize();
    public static final Path RULES = HOME.resolve("rules");
    public static final Path FIXTURES = HOME.resolve("fixtures");
    public static final Path DEPLOY = HOME.resolve("deploy");
    public static final Path TEMPLATES = DEPLOY.resolve("templates");

    private Paths() {
    }
}
