package dev.nudge.cli;

import dev.nudge.app.NudgeService;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoVerticle;
import dev.nudge.demo.MailAnswers;
import dev.nudge.event.Json;

/** Starts the simulated shoppers of {@code nudge run}. */
final class Demo {

    private Demo() {
    }

    /**
     * {@code clock}: set to the shoppers' time, for the rest of the run to receive events on; {@code shop}: the demo
     * shop's address, whose pages and pictures the shoppers' mails show.
     */
    static void start(NudgeService service, DemoClock clock, String shop) {
        var demo = service.config().demo();
        DemoVerticle shoppers = new DemoVerticle(service.config(), Json.mapper(), clock, shop);
        service.vertx().deployVerticle(shoppers).onSuccess(id -> System.out.println(shoppers.banner()));
        service.vertx().deployVerticle(new MailAnswers(service.config(), clock));
        System.out.printf("%d simulated shoppers are browsing, %.0fx faster than real time: decisions follow. "
                + "%.0f%% of those mailed come back and buy because of the mail, %.0f%% of all anyway "
                + "(demo.mail-effect, demo.base-return).%n", demo.shoppers(), demo.speed(), demo.mailEffect() * 100,
                demo.baseReturn() * 100);
    }
}
