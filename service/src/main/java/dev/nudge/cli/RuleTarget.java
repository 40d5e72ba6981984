package dev.nudge.cli;

import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code rules check|test} is pointed at: a rules folder, or one {@code .drl} file. A file is compiled with the
 * other {@code .drl} files of its folder (alone it would miss the event declarations of {@code events.drl}), and only
 * its own errors are listed; the errors of the other files are counted in one line. A file in a folder that declares
 * no events ({@code rules/examples/}) is compiled with the rules of the folder above, as if copied up there.
 */
record RuleTarget(Path dir, Path file, Path extra) {

    static RuleTarget of(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return new RuleTarget(path, null, null);
        }
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().endsWith(".drl")) {
                throw new Mistakes.UserError(path + " is not a .drl file; give a rules file or folder");
            }
            Path dir = path.getParent() == null ? Path.of("") : path.getParent();
            Path above = dir.toAbsolutePath().getParent();
            if (!declaresEvents(dir.toAbsolutePath()) && above != null && declaresEvents(above)) {
                return new RuleTarget(dir.getParent() == null ? above : dir.getParent(), path.getFileName(), path);
            }
            return new RuleTarget(dir, path.getFileName(), null);
        }
        throw new Mistakes.UserError("no rules folder or .drl file at " + path + (path.isAbsolute() ? ""
                : " (relative to " + Path.of("").toAbsolutePath() + ")"));
    }

    private static boolean declaresEvents(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".drl")).toList()) {
                if (Files.readString(p).contains("@role(event)")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where the analyst finds the file an error or warning names. */
    private Path located(RuleError e) {
        return located(e.file());
    }

    /** Where the analyst finds a rules file of the target, by the name it was compiled under. */
    Path located(String name) {
        return extra != null && file.toString().equals(name) ? extra : dir.resolve(name);
    }

    RuleCompiler.Result compile() throws IOException {
        return compile(null);
    }

    /** Compiles, warning also of windows longer than {@code replayHorizon} (engine.replay-horizon; null: none). */
    RuleCompiler.Result compile(Duration replayHorizon) throws IOException {
        return new RuleCompiler(Clock.systemUTC(), replayHorizon).compile(dir, extra);
    }

    /** Prints the warnings that concern the target as {@code file:line:column: warning: message}. */
    void printWarnings(List<RuleError> warnings, PrintWriter out) {
        for (RuleError w : warnings) {
            if (file == null || file.toString().equals(w.file())) {
                out.println(located(w) + ":" + w.line() + ":" + w.column() + ": warning: " + w.message());
            }
        }
    }

    /** Prints the errors as {@code file:line:column: message}, with Drools' own text under each when verbose. */
    void print(List<RuleError> errors, boolean verbose, PrintWriter out) {
        int elsewhere = 0;
        for (RuleError e : errors) {
            if (file != null && !file.toString().equals(e.file())) {
                elsewhere++;
                continue;
            }
            out.println(located(e) + ":" + e.line() + ":" + e.column() + ": " + e.message());
            if (verbose && !e.raw().equals(e.message())) {
                e.raw().lines().forEach(l -> out.println("    | " + l));
            }
        }
        if (elsewhere > 0) {
            out.println(elsewhere + " more error" + (elsewhere == 1 ? "" : "s") + " in other files of "
                    + (dir.toString().isEmpty() ? "." : dir) + ", compiled with " + file + ": run `nudge rules check "
                    + (dir.toString().isEmpty() ? "." : dir) + "`");
        }
    }
}
