package dev.nudge.cli;

import dev.nudge.app.NudgeService;

/** Starts the simulated shoppers of {@code nudge run}. */
final class Demo {

    private Demo() {
    }

    static void start(NudgeService service) {
        System.out.println("(demo shoppers not wired yet)");
    }
}
