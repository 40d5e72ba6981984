package dev.nudge.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one pass of the send benchmark measured; times in seconds from the stage's deployment, CPU in nanoseconds.
 *
 * @param offered    decisions offered per second while the pass ran, or 0 when they were all loaded before it
 * @param firstMail  when the first mail was sent
 * @param halfMails  when half of the mails were sent
 * @param seconds    when the last mail was sent (or the pass gave up)
 * @param processCpu CPU of the whole process over the pass; {@code cpu} splits it by thread group
 * @param gcMillis   the collectors' pauses over the pass
 * @param p50        median of {@code nudge_mail_delivery}, seconds (decision written to Kafka to mail accepted)
 */
record SendResult(String name, SendPass.Relay relay, int maxInFlight, int offered, SendWorkload.Written load,
                  double firstMail, double halfMails, double seconds, long processCpu, Map<String, Long> cpu,
                  long gcMillis, Mails mails, Map<String, Double> outcomes, double p50, double p99, boolean stalled) {

    /** What the SMTP server received, by the X-Nudge-Decision header. */
    record Mails(int received, int distinct, int withoutId) {
        int mailedTwice() {
            return received - distinct;
        }
    }

    /** Mails per second from the stage's deployment to the last mail. */
    double mailsPerSecond() {
        return load.unique() / seconds;
    }

    /** Mails per second over the second half of the mails, once start-up and most JIT compiling are behind. */
    double secondHalfPerSecond() {
        return (load.unique() - load.unique() / 2) / (seconds - halfMails);
    }

    double mailsPerCpuSecond() {
        return load.unique() / (processCpu / 1e9);
    }

    /** Mails per CPU-second of the send stage's own threads: what the stage costs, whatever the relay. */
    double mailsPerStageCpuSecond() {
        long stage = cpu.entrySet().stream().filter(e -> e.getKey().startsWith(SendRun.STAGE_GROUP))
                .mapToLong(Map.Entry::getValue).sum();
        return load.unique() / (stage / 1e9);
    }

    double outcome(String name) {
        return outcomes.getOrDefault(name, 0.0);
    }

    /** Every decision mailed exactly once, every copy recognised, nothing failed, no stall. */
    boolean correct() {
        return !stalled && mails.distinct() == load.unique() && mails.mailedTwice() == 0 && mails.withoutId() == 0
                && outcome("sent") == load.unique() && outcome("duplicate") == load.duplicates()
                && outcome("failed") == 0;
    }

    /** Mails by outcome over all campaigns, from the {@code nudge_mails_total} lines of a Prometheus scrape. */
    static Map<String, Double> outcomes(String scrape) {
        Map<String, Double> out = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("nudge_mails_total{")) {
                int at = line.indexOf("outcome=\"") + "outcome=\"".length();
                String outcome = line.substring(at, line.indexOf('"', at));
                out.merge(outcome, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return out;
    }
}
