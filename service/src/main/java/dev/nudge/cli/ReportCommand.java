package dev.nudge.cli;

import dev.nudge.config.NudgeConfig;
import dev.nudge.event.Json;
import dev.nudge.report.CampaignReports;
import dev.nudge.report.Report;
import dev.nudge.report.ReportText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code nudge report}: each campaign's conversions against its holdout, read from the conversions topic, printed. */
@Command(name = "report", description = "Print each campaign's conversions, lift against its holdout and guardrails.")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    KafkaReading kafka;

    @Option(names = "--json", description = "Print the report as JSON, as GET /campaigns answers it")
    boolean asJson;

    @Option(names = "--closed", description = "Only decisions whose conversion window has closed: what a campaign "
            + "does over its whole window (without it, open decisions count with what converted so far)")
    boolean closedOnly;

    @Override
    public Integer call() throws Exception {
        NudgeConfig config = kafka.config();
        String servers = kafka.servers(config);
        config = new NudgeConfig(config.kafka().withBootstrapServers(servers), config.engine(), config.http(),
                config.demo(), config.explain(), config.send(), config.ingest());
        Report report;
        try {
            report = new CampaignReports(config, Json.mapper(), Clock.systemUTC()).read(closedOnly);
        } catch (org.apache.kafka.common.KafkaException e) {
            System.err.println("could not read " + config.kafka().topics().conversions() + " at " + servers + ": "
                    + e.getMessage());
            return 1;
        }
        System.out.print(asJson ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n"
                : ReportText.render(report));
        return 0;
    }
}
