package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths from the command line and the settings, checked before anything starts, so a wrong one is one line. */
final class Arguments {

    private Arguments() {
    }

    /** The settings of {@code --config}, which must exist: a mistyped name would otherwise run on defaults unnoticed. */
    static NudgeConfig config(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new Mistakes.UserError("no configuration file at " + file + " (--config)" + (file.isAbsolute() ? ""
                    : "; relative paths start in " + Path.of("").toAbsolutePath()));
        }
        return NudgeConfig.load(file);
    }

    /** A folder that must exist: {@code what} says which (the rules folder, engine.rules-dir). */
    static Path folder(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new Mistakes.UserError("no " + what + " at " + dir + (dir.isAbsolute() ? ""
                    : " (relative to " + Path.of("").toAbsolutePath() + ")"));
        }
        return dir;
    }
}
