package dev.nudge.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.config.NudgeConfig;
import dev.nudge.decision.Conversion;
import dev.nudge.engine.Holdouts;
import dev.nudge.event.CustomerEvent;
import dev.nudge.event.EmailBounced;
import dev.nudge.event.EventParser;
import dev.nudge.event.ParseResult;
import dev.nudge.event.SpamComplaint;
import dev.nudge.event.Unsubscribed;
import dev.nudge.kafka.Bytes;
import dev.nudge.kafka.PartitionReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the conversions topic (and, for the guardrails, the opt-outs of the events topic) from the start and makes
 * the campaign report: what {@code nudge report} and {@code GET /campaigns} show. Blocking: keep it off the event loop.
 */
public final class CampaignReports {

    private static final Logger LOG = LoggerFactory.getLogger(CampaignReports.class);

    private final NudgeConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public CampaignReports(NudgeConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The report of everything both topics hold now; {@code closedWindowsOnly} leaves out the decisions whose
     * conversion window is still open.
     */
    public Report read(boolean closedWindowsOnly) {
        String bootstrap = config.kafka().bootstrapServers();
        String topic = config.kafka().topics().conversions();
        Holdouts holdouts = config.engine().holdouts();
        Tally tally = new Tally().at(clock.instant(), closedWindowsOnly);
        long records = PartitionReader.readTopic(bootstrap, topic, rec -> {
            try {
                tally.add(json.readValue(rec.value(), Conversion.class));
            } catch (java.io.IOException | RuntimeException e) {
                // a bad record is skipped and counted, never the end of the report
                LOG.warn("skipped record {}-{}@{} of the conversions topic: {}", rec.topic(), rec.partition(),
                        rec.offset(), e.getMessage());
                tally.unreadable();
            }
        });
        OptOuts optOuts = new OptOuts(json);
        String eventsTopic = config.kafka().topics().events();
        long events = PartitionReader.readTopic(bootstrap, eventsTopic, rec -> optOuts.add(rec.value()));
        List<CampaignReport> rows = tally.reports(holdouts::percent, optOuts.byCampaign());
        return new Report(clock.instant(), tally.asOf(), closedWindowsOnly, topic, records, tally.ignored(),
                tally.unmatched(), eventsTopic, events, rows, tally.comparisons(rows, holdouts::variants));
    }

    /** Unsubscribes, spam complaints and hard bounces that name a campaign, each event id once. */
    static final class OptOuts {
        // cheap to look for before parsing: most events are carts and page views
        private static final byte[][] MARKERS = {"Unsubscribed".getBytes(StandardCharsets.UTF_8),
                "SpamComplaint".getBytes(StandardCharsets.UTF_8), "EmailBounced".getBytes(StandardCharsets.UTF_8)};
        private final EventParser parser;
        private final Set<String> seen = new HashSet<>();
        private final Map<String, long[]> counts = new HashMap<>();

        OptOuts(ObjectMapper json) {
            parser = new EventParser(json);
        }

        void add(byte[] value) {
            if (value == null || !mentionsOptOut(value)) {
                return;
            }
            if (parser.parse(value) instanceof ParseResult.Parsed parsed) {
                CustomerEvent e = parsed.event();
                if (e instanceof Unsubscribed u && u.campaign() != null && seen.add(u.eventId())) {
                    count(u.campaign(), 0);
                } else if (e instanceof SpamComplaint s && s.campaign() != null && seen.add(s.eventId())) {
                    count(s.campaign(), 1);
                } else if (e instanceof EmailBounced b && b.hard() && b.campaign() != null && seen.add(b.eventId())) {
                    count(b.campaign(), 2);
                }
            }
        }

        private void count(String campaign, int kind) {
            counts.computeIfAbsent(campaign, k -> new long[3])[kind]++;
        }

        Map<String, Guardrails.Counts> byCampaign() {
            Map<String, Guardrails.Counts> out = new HashMap<>();
            counts.forEach((campaign, c) -> out.put(campaign, new Guardrails.Counts(c[0], c[1], c[2])));
            return out;
        }

        private static boolean mentionsOptOut(byte[] value) {
            for (byte[] marker : MARKERS) {
                if (Bytes.contains(value, marker)) {
                    return true;
                }
            }
            return false;
        }
    }
}
