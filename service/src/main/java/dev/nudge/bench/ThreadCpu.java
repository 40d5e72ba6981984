package dev.nudge.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this JVM between two snapshots, split by what its threads do (grouped by thread name), so a benchmark
 * that shares one process with a broker and a mail server can tell whose CPU it measured. What the Java threads do not
 * account for (garbage collection, the JIT compiler, threads that ended in between) is the rest of the process's CPU.
 */
final class ThreadCpu {

    /** The row for the CPU that no live Java thread accounts for. */
    static final String JVM = "JVM (GC, JIT) and ended threads";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Function<String, String> group;
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final long startProcess;
    private final long startGcMillis = gcMillis();
    private final long startJitMillis = jitMillis();

    private ThreadCpu(Function<String, String> group) {
        this.group = group;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                startCpu.put(id, cpu);
            }
        }
        startProcess = EnginePass.processCpuNanos();
    }

    /** Starts counting now; {@code group} names the group of a thread from its name. */
    static ThreadCpu start(Function<String, String> group) {
        return new ThreadCpu(group);
    }

    /** Nanoseconds of CPU since the start by group, in order of first appearance, plus {@link #JVM}. */
    Map<String, Long> byGroup() {
        Map<String, Long> out = new LinkedHashMap<>();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            ThreadInfo info = threads.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            long used = cpu - startCpu.getOrDefault(id, 0L);
            out.merge(group.apply(info.getThreadName()), used, Long::sum);
            sum += used;
        }
        long process = processNanos();
        if (process >= 0) {
            out.put(JVM, Math.max(0, process - sum));
        }
        return out;
    }

    /** Milliseconds the collectors took since the start (pause time, not CPU: several threads may collect). */
    long gcMillisSince() {
        return gcMillis() - startGcMillis;
    }

    /** Milliseconds the JIT compiler threads spent compiling since the start, or -1 where the JVM does not say. */
    long jitMillisSince() {
        long now = jitMillis();
        return now < 0 ? -1 : now - startJitMillis;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** CPU of the whole process since the start, or -1 where the JVM does not say. */
    long processNanos() {
        long now = EnginePass.processCpuNanos();
        return now < 0 || startProcess < 0 ? -1 : now - startProcess;
    }
}
