package dev.nudge.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.kafka.Headers;
import dev.nudge.kafka.PartitionReader;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What became of the workload's mails, from the outside: the messages the SMTP sink recorded, the mails the send stage
 * gave up (its dead letters, "in doubt" among them) and the events the engine dead-lettered, held against each
 * customer's known fate.
 */
public record Tally(int expected, int mailed, int inDoubt, int gaveUp, int lost, int mailedTwice, int mailedAgainstFate,
             int strangers, int deadLetters, int poisonDeadLettered, int poison) {

    /** Nothing lost beyond the documented crash window ("in doubt"), nothing twice, nothing against a purchase. */
    public boolean passed() {
        return lost == 0 && gaveUp == 0 && mailedTwice == 0 && mailedAgainstFate == 0 && strangers == 0
                && poisonDeadLettered == poison;
    }

    /** Every mail expected is accounted for: sent, in doubt or given up. */
    boolean settled() {
        return lost == 0;
    }

    /** Reads the sink's record and the dead-letter topics as they are now. */
    static Tally read(Workload workload, Path sinkRecord, String bootstrap, String sendDeadLetters, String deadLetters,
                      ObjectMapper json) throws IOException {
        Map<String, Integer> mails = new HashMap<>();
        int strangers = 0;
        if (Files.exists(sinkRecord)) {
            for (String line : Files.readAllLines(sinkRecord, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                String customer = f.length < 2 ? null : Workload.customerOf(f[1]);
                if (customer == null) {
                    strangers++;
                } else {
                    mails.merge(customer, 1, Integer::sum);
                }
            }
        }
        Set<String> inDoubt = new HashSet<>();
        Set<String> gaveUp = new HashSet<>();
        PartitionReader.readTopic(bootstrap, sendDeadLetters, rec -> {
            String customer = customerOf(rec.value(), json);
            if (customer != null) {
                (text(rec.headers().lastHeader(Headers.ERROR)).startsWith("in doubt") ? inDoubt : gaveUp).add(customer);
            }
        });
        Set<String> dead = new HashSet<>();
        int[] all = new int[1];
        PartitionReader.readTopic(bootstrap, deadLetters, rec -> {
            all[0]++;
            if (rec.key() != null && rec.key().startsWith("poison-")) {
                dead.add(rec.key());
            }
        });
        int expected = 0;
        int mailed = 0;
        int doubt = 0;
        int given = 0;
        int lost = 0;
        int twice = 0;
        int against = 0;
        for (Map.Entry<String, Workload.Fate> e : workload.fates().entrySet()) {
            int n = mails.getOrDefault(e.getKey(), 0);
            twice += n > 1 ? 1 : 0;
            if (e.getValue() != Workload.Fate.MAIL) {
                against += n > 0 ? 1 : 0;
                continue;
            }
            expected++;
            if (n > 0) {
                mailed++;
            } else if (inDoubt.contains(e.getKey())) {
                doubt++;
            } else if (gaveUp.contains(e.getKey())) {
                given++;
            } else {
                lost++;
            }
        }
        return new Tally(expected, mailed, doubt, given, lost, twice, against, strangers, all[0], dead.size(),
                workload.poisonRecords());
    }

    /** The figures, one per line, for the report. */
    public List<String> lines() {
        return List.of(
                row("expected mails", expected),
                row("mailed", mailed),
                row("in doubt (crash window)", inDoubt),
                row("lost", lost),
                row("given up otherwise", gaveUp),
                row("mailed twice", mailedTwice),
                row("mailed after a purchase or opt-out", mailedAgainstFate),
                row("mailed to an unknown address", strangers),
                "%-36s %,d (poison: %,d of %,d)".formatted("dead letters", deadLetters, poisonDeadLettered, poison));
    }

    private static String row(String what, int n) {
        return "%-36s %,d".formatted(what, n);
    }

    private static String customerOf(byte[] decision, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(decision);
            return node == null ? null : node.path("customerId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
