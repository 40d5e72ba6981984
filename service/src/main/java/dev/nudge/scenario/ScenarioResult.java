package dev.nudge.scenario;

import java.util.List;

/** Whether one scenario's decisions matched what its author expected, and if not, how they differ. */
public record ScenarioResult(String name, List<String> differences) {

    public boolean passed() {
        return differences.isEmpty();
    }
}
