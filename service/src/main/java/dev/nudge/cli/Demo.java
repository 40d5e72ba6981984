package dev.nudge.cli;

import dev.nudge.app.NudgeService;
import dev.nudge.demo.DemoClock;
import dev.nudge.demo.DemoTraffic;
import dev.nudge.demo.DemoVerticle;
import dev.nudge.event.Json;

/** Starts the simulated shoppers of {@code nudge run}. */
final class Demo {

    private Demo() {
    }

    /** {@code clock}: set to the shoppers' time, for the rest of the run to receive events on. */
    static void start(NudgeService service, DemoClock clock) {
        var demo = service.config().demo();
        service.vertx().deployVerticle(new DemoVerticle(service.config(), new DemoTraffic(demo.shoppers(), demo.seed()),
                Json.mapper(), clock));
        System.out.printf("%d simulated shoppers are browsing, %.0fx faster than real time: decisions follow.%n",
                demo.shoppers(), demo.speed());
    }
}
