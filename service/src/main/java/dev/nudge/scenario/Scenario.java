package dev.nudge.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nudge.engine.EngineSettings;
import dev.nudge.engine.Nearest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One scenario folder as read from disk: the events in arrival order, the expected decisions and refusals, and the
 * settings it runs with; or, when the folder has mistakes, each of them at its file and line.
 */
public record Scenario(String name, List<Input> inputs, List<Expectation> expected, EngineSettings settings,
                       List<String> errors) {

    static final String EVENTS = "events.jsonl";
    private static final List<String> FILES = List.of(EVENTS, Expectation.FILE, ScenarioSettings.FILE);

    /**
     * One line of {@code events.jsonl}, as the runner sends it ({@code at} made a {@code timestamp}, {@code note}
     * dropped), and when it was received: its {@code receivedAt}, else its own time; {@code note} is the line's note
     * for people, or null.
     */
    public record Input(int line, ObjectNode event, Instant receivedAt, String note) {
        /** The event's id as written, to name it in a refusal; null when it has none. */
        public String eventId() {
            JsonNode id = event.get("eventId");
            return id == null || id.isNull() || id.isContainerNode() ? null : id.asText();
        }
    }

    /**
     * The scenario folders under {@code dir}: every subfolder but groups of scenarios (such as examples/); a scenario
     * folder itself (it holds {@code events.jsonl}) is the one scenario, so an analyst can run just that one.
     */
    public static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no fixtures folder at " + dir.toAbsolutePath().normalize());
        }
        if (Files.isRegularFile(dir.resolve(EVENTS))) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !isGroup(p)).sorted().toList();
        }
    }

    /** A folder of scenario folders, with no fixture files of its own, is run on its own (examples/). */
    private static boolean isGroup(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> children = s.toList();
            return !children.isEmpty() && children.stream().allMatch(Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the folder; a mistake in it is an error naming its file and line, never an exception. */
    public static Scenario load(Path folder, ObjectMapper json) throws IOException {
        String name = folder.getFileName().toString();
        List<String> errors = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                String file = p.getFileName().toString();
                if (!FILES.contains(file) && !file.endsWith(".md")) {
                    errors.add(file + ": not a fixture file" + Nearest.hint(file, FILES, "")
                            + " (a scenario folder holds " + String.join(", ", FILES) + ", and notes as .md)");
                }
            }
        }
        if (!Files.exists(folder.resolve(EVENTS)) || !Files.exists(folder.resolve(Expectation.FILE))) {
            errors.add("a scenario folder needs " + EVENTS + " (the events, in arrival order) and "
                    + Expectation.FILE + " (the decisions; a comment line if there are none)");
            return new Scenario(name, List.of(), List.of(), null, errors);
        }
        EngineSettings settings = ScenarioSettings.of(folder, errors);
        List<Input> inputs = new ArrayList<>();
        for (Line l : lines(folder.resolve(EVENTS), json, errors)) {
            try {
                inputs.add(input(l));
            } catch (FixtureException e) {
                errors.add(e.getMessage());
            }
        }
        List<Expectation> expected = new ArrayList<>();
        for (Line l : lines(folder.resolve(Expectation.FILE), json, errors)) {
            try {
                expected.add(Expectation.parse(l.node(), l.number()));
            } catch (FixtureException e) {
                errors.add(e.getMessage());
            }
        }
        return new Scenario(name, inputs, expected, settings, errors);
    }

    /** True when the scenario expects this event to be refused. */
    public boolean expectsRefusal(Input in) {
        return expected.stream().anyMatch(e -> e.refuses(in.eventId(), in.line()));
    }

    private record Line(int number, JsonNode node) {
    }

    private static List<Line> lines(Path file, ObjectMapper json, List<String> errors) throws IOException {
        List<Line> out = new ArrayList<>();
        List<String> text = Files.readAllLines(file);
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).trim();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            try {
                out.add(new Line(i + 1, json.readTree(line)));
            } catch (JsonProcessingException e) {
                errors.add(new FixtureException(file.getFileName().toString(), i + 1,
                        "malformed JSON: " + e.getOriginalMessage()).getMessage());
            }
        }
        return out;
    }

    /** {@code "at"} becomes the event's {@code timestamp} (unless it has one); {@code receivedAt} when it arrived. */
    private static Input input(Line l) throws FixtureException {
        if (!(l.node() instanceof ObjectNode o)) {
            throw new FixtureException(EVENTS, l.number(), "each line must be a JSON object (an event)");
        }
        ObjectNode event = o.deepCopy();
        JsonNode note = event.remove("note");
        JsonNode at = event.remove("at");
        JsonNode received = event.remove("receivedAt");
        try {
            if (at != null && !event.has("timestamp")) {
                event.put("timestamp", ScenarioTime.parse(at.asText()).toString());
            }
            Instant receivedAt = received == null ? null : ScenarioTime.parse(received.asText());
            return new Input(l.number(), event, receivedAt, note == null || note.isNull() ? null : note.asText());
        } catch (IllegalArgumentException e) {
            throw new FixtureException(EVENTS, l.number(), e.getMessage());
        }
    }
}
