package dev.nudge.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU time of this JVM between two snapshots, split by what its threads do (grouped by thread name), so a benchmark
 * that shares one process with a broker and a mail server can tell whose CPU it measured. What the Java threads do not
 * account for (garbage collection, the JIT compiler, threads that ended in between) is the rest of the process's CPU.
 */
final class ThreadCpu {

    /** The row for the CPU that no live Java thread accounts for. */
    static final String JVM = "JVM (GC, JIT) and ended threads";
    static final String JIT = "JVM: JIT compiler threads";
    static final String GC = "JVM: garbage collector threads";
    static final String JVM_REST = "JVM: other native and ended threads";
    // Linux clock ticks of /proc/<pid>/task/<tid>/stat; USER_HZ is 100 on every Linux build that matters here
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Function<String, String> group;
    private final Map<Long, Long> startCpu = new HashMap<>();
    private final long startProcess;
    private final long startGcMillis = gcMillis();
    private final Map<String, Long> startNative = nativeCpu();

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
            long rest = Math.max(0, process - sum);
            Map<String, Long> now = nativeCpu();
            if (now.isEmpty() || startNative.isEmpty()) {
                out.put(JVM, rest);
            } else {
                // the JVM's own threads are invisible to ThreadMXBean, but not to Linux
                long jit = Math.min(rest, now.getOrDefault(JIT, 0L) - startNative.getOrDefault(JIT, 0L));
                long gc = Math.min(rest - jit, now.getOrDefault(GC, 0L) - startNative.getOrDefault(GC, 0L));
                out.put(JIT, jit);
                out.put(GC, gc);
                out.put(JVM_REST, rest - jit - gc);
            }
        }
        return out;
    }

    /** CPU of the JIT compiler and the collector threads from /proc (Linux), by {@link #JIT} and {@link #GC}. */
    private static Map<String, Long> nativeCpu() {
        Map<String, Long> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    // pid (comm) state ... utime stime: fields 14 and 15, counted after the ')' closing the name
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long nanos = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
                    String group = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? JIT
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread") ? GC
                            : null;
                    if (group != null) {
                        out.merge(group, nanos, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // a thread that ended while we read: its time is in the remainder
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    /** Milliseconds the collectors took since the start (pause time, not CPU: several threads may collect). */
    long gcMillisSince() {
        return gcMillis() - startGcMillis;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    /** CPU of the whole process since the start, or -1 where the JVM does not say. */
    long processNanos() {
        long now = EnginePass.processCpuNanos();
        return now < 0 || startProcess < 0 ? -1 : now - startProcess;
    }
}
