package dev.nudge.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.kafka.PartitionReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the window of events a backtest replays: from the events topic (every partition from its start to its end as
 * it is now, outside any consumer group, writing nothing) or from a JSONL file of events (one per line, split into
 * customer buckets as a topic's partitions would split them). The window is the last {@code since} of event time
 * before the newest event.
 */
public final class WindowReader {

    /** Customer buckets of a file: as many sessions as a small topic has partitions, so the semantics are the same. */
    public static final int FILE_BUCKETS = 4;

    private final EventParser parser;

    public WindowReader(ObjectMapper json) {
        this.parser = new EventParser(json);
    }

    /** The window of {@code topic} at {@code bootstrap}; each event is received at its record's timestamp. */
    public Window fromTopic(String bootstrap, String topic, Duration since) {
        long started = System.nanoTime();
        Map<Integer, List<Recorded>> partitions = new TreeMap<>();
        long[] unreadable = {0};
        PartitionReader.readTopic(bootstrap, topic, rec -> {
            if (rec.value() == null || !(parser.parse(rec.value()) instanceof ParseResult.Parsed p)) {
                unreadable[0]++;
                return;
            }
            partitions.computeIfAbsent(rec.partition(), k -> new ArrayList<>())
                    .add(new Recorded(p.event(), Math.max(rec.timestamp(), 0), p.previousId()));
        });
        return cut("topic " + topic + " at " + bootstrap, partitions, unreadable[0], since, started);
    }

    /** The window of a JSONL file; each event is received when it happened. */
    public Window fromFile(Path file, Duration since) throws IOException {
        long started = System.nanoTime();
        Map<Integer, List<Recorded>> buckets = new TreeMap<>();
        long unreadable = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                if (!(parser.parse(line.getBytes(StandardCharsets.UTF_8)) instanceof ParseResult.Parsed p)) {
                    unreadable++;
                    continue;
                }
                int bucket = Math.floorMod(p.event().customerId().hashCode(), FILE_BUCKETS);
                buckets.computeIfAbsent(bucket, k -> new ArrayList<>())
                        .add(new Recorded(p.event(), p.event().getEventTime(), p.previousId()));
            }
        }
        return cut("file " + file, buckets, unreadable, since, started);
    }

    private static Window cut(String source, Map<Integer, List<Recorded>> all, long unreadable, Duration since,
                              long startedNanos) {
        long newest = all.values().stream().flatMap(List::stream).mapToLong(r -> r.event().getEventTime()).max()
                .orElse(Long.MIN_VALUE);
        if (newest == Long.MIN_VALUE) {
            return new Window(source, Map.of(), unreadable, null, null, Duration.ofNanos(System.nanoTime() - startedNanos));
        }
        long from = newest - since.toMillis();
        Map<Integer, List<Recorded>> kept = new TreeMap<>();
        long oldest = Long.MAX_VALUE;
        for (var e : all.entrySet()) {
            List<Recorded> in = e.getValue().stream().filter(r -> r.event().getEventTime() >= from).toList();
            if (!in.isEmpty()) {
                kept.put(e.getKey(), in);
                oldest = Math.min(oldest, in.stream().mapToLong(r -> r.event().getEventTime()).min().getAsLong());
            }
        }
        return new Window(source, kept, unreadable, Instant.ofEpochMilli(oldest), Instant.ofEpochMilli(newest),
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
