package dev.nudge.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.engine.RuleCompiler;
import dev.nudge.engine.RuleError;
import dev.nudge.engine.RuleSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Candidate rules sent in a request ({@code POST /rules/backtest}, {@code POST /rules/shadow}): the running rules with
 * the DRL files of the body in place (a file set to null is left out), compiled as a reload would compile them. Takes
 * file contents, never a path, so a request cannot make the service read its disk.
 */
final class CandidateRules {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.drl");

    private CandidateRules() {
    }

    /** The {@code files} of a request body: file name to DRL text, or to null to leave the file out. */
    static Map<String, String> files(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("files must be an object of file name to DRL text");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!FILE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("not a rules file name: '" + e.getKey() + "' (name.drl, no folders)");
            }
            if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                throw new IllegalArgumentException(e.getKey() + " must be DRL text, or null to leave it out");
            }
            out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        });
        return out;
    }

    /** Compiles {@code current}'s files with {@code changes} applied, in a folder of its own that is deleted after. */
    static RuleCompiler.Result compile(RuleSet current, Map<String, String> changes, Duration replayHorizon)
            throws IOException {
        Map<String, String> sources = new LinkedHashMap<>(current.sources());
        changes.forEach((name, text) -> {
            if (text == null) {
                sources.remove(name);
            } else {
                sources.put(name, text);
            }
        });
        Path dir = Files.createTempDirectory("nudge-candidate");
        try {
            for (var e : sources.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
            return new RuleCompiler(Clock.systemUTC(), replayHorizon).compile(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Compile errors as every rules endpoint answers them: where, what, and the line as printed. */
    static JsonArray errors(List<RuleError> errors) {
        JsonArray out = new JsonArray();
        errors.forEach(e -> out.add(new JsonObject().put("file", e.file()).put("line", e.line())
                .put("column", e.column()).put("message", e.message()).put("text", e.toString())));
        return out;
    }
}
