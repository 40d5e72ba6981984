package dev.nudge.cli;

import dev.nudge.app.NudgeService;
import dev.nudge.config.IngestConfig;
import dev.nudge.config.NudgeConfig;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoShop;
import dev.nudge.event.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code nudge run}: the broker (unless one is configured), the service, and the demo shoppers. */
@Command(name = "run", description = "Run Nudge: embedded Kafka (unless configured), engine, HTTP API, demo shoppers.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "deploy/nudge.properties")
    Path configFile;

    @Option(names = "--no-demo", description = "Do not start the simulated shoppers.")
    boolean noDemo;

    @Override
    public Integer call() throws Exception {
        NudgeConfig config = Arguments.config(configFile);
        Arguments.folder(config.engine().rulesDir(), "rules folder (engine.rules-dir)");
        Ports.check(Ports.of(config));
        if (!noDemo) {
            // the shoppers live demo.speed times faster, so quiet partitions' time must run as fast
            config = config.withEngine(config.engine().withClockSpeed(config.demo().speed()));
        }
        String localKey = null;
        if (!config.ingest().open()) {
            // a try-out on this machine: a key of its own for POST /events, printed below, never written anywhere
            localKey = "local-" + java.util.UUID.randomUUID().toString().replace("-", "");
            config = config.withIngest(config.ingest().with(new IngestConfig.WriteKey("local", localKey, "local",
                    java.util.Set.copyOf(dev.nudge.event.EventParser.TYPES))));
        }
        // the demo shop's pages send with a browser key of their own, valid only from this machine's pages
        int port = config.http().port();
        String shopKey = "shop-" + java.util.UUID.randomUUID().toString().replace("-", "");
        config = config.withIngest(config.ingest().with(new IngestConfig.WriteKey("demo-shop", shopKey, "demo-shop",
                DemoShop.KEY_TYPES, java.util.Set.of("http://127.0.0.1:" + port, "http://localhost:" + port), 0)));
        // where a mail's reader finds this run's demo shop: its links and the product pictures it serves
        String demoShop = (config.send().publicUrl() != null ? config.send().publicUrl() : "http://127.0.0.1:" + port)
                + "/shop";
        if (config.send().shopUrl().endsWith("://shop.example")) {
            // the shipped placeholder leads nowhere: the mails' cart links lead into the demo shop instead
            config = config.withSend(config.send().withShopUrl(demoShop));
        }
        DemoClock clock = new DemoClock();
        long started = System.nanoTime();
        NudgeService service;
        try {
            service = NudgeService.start(config, new DemoShop(shopKey, clock));
        } catch (Exception e) {
            String mistake = Mistakes.oneLine(e);
            System.err.println("Nudge could not start: " + (mistake != null ? mistake : e.getMessage()));
            return 1;
        }
        DecisionPrinter printer = new DecisionPrinter(service.config(), Json.mapper(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println(RunSummary.line(Duration.ofNanos(System.nanoTime() - started), service.metrics(),
                        printer::shown));
                service.close();
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "nudge-shutdown"));
        if (localKey != null) {
            System.out.println("POST /events takes this run's write key (none is configured in ingest.keys):  curl -u "
                    + localKey + ": -H 'content-type: application/json' ...");
        }
        service.vertx().deployVerticle(printer);
        System.out.println("The demo shop: http://127.0.0.1:" + port + "/shop/ (sign in with an e-mail, put something in "
                + "the cart, leave; the mail shows in /outbox after 30 minutes of " + (noDemo ? "time" : "demo time")
                + ")");
        System.out.println("The live page: http://127.0.0.1:" + port + "/live " + (service.config().http().adminEnabled()
                ? "(log in with the admin token)" : "(closed: start with NUDGE_ADMIN_TOKEN=<a secret> to open it)"));
        if (!noDemo) {
            Demo.start(service, clock, demoShop);
        }
        stopped.await();
        return 0;
    }
}
