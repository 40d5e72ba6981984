package dev.nudge.chaos;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Watches who owns each partition of the engine's and the send stage's consumer groups, as the broker sees it, and
 * measures how long a killed process's partitions go without a live owner: from the kill until a member that is not
 * one of the dead process's takes each of them. Members are told apart by their static member name
 * ({@code kafka.consumer.instance-id}, {@code <process>-engine-1}).
 */
final class Owners {

    /** A partition of a group, left without an owner when its process was killed. */
    private record Orphan(String group, int partition, long since, Set<String> deadMembers) {
    }

    private final Admin admin;
    private final Map<String, String> topicOfGroup;
    private final Map<String, Map<Integer, MemberDescription>> owners = new HashMap<>();
    private final List<Orphan> orphans = new ArrayList<>();
    private final List<Long> gaps = new ArrayList<>();
    private int unmeasured;

    /** {@code topicOfGroup}: each group watched and the topic whose partitions it shares out. */
    Owners(Admin admin, Map<String, String> topicOfGroup) {
        this.admin = admin;
        this.topicOfGroup = topicOfGroup;
    }

    /** One look at the groups; quietly nothing when the broker does not answer. */
    synchronized void sample() {
        Map<String, ConsumerGroupDescription> groups;
        try {
            groups = admin.describeConsumerGroups(topicOfGroup.keySet()).all().get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            return;
        }
        long now = System.currentTimeMillis();
        groups.forEach((group, description) -> {
            Map<Integer, MemberDescription> byPartition = new HashMap<>();
            for (MemberDescription m : description.members()) {
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.topic().equals(topicOfGroup.get(group))) {
                        byPartition.put(tp.partition(), m);
                    }
                }
            }
            owners.put(group, byPartition);
        });
        orphans.removeIf(o -> {
            MemberDescription owner = owners.getOrDefault(o.group, Map.of()).get(o.partition);
            if (owner != null && !o.deadMembers.contains(owner.consumerId())) {
                gaps.add(now - o.since);
                return true;
            }
            return false;
        });
    }

    /** {@code process} was just killed: its partitions are orphans from now. */
    synchronized void killed(String process) {
        long now = System.currentTimeMillis();
        owners.forEach((group, byPartition) -> {
            Set<String> dead = new HashSet<>();
            byPartition.values().stream().filter(m -> ownedBy(m, process)).forEach(m -> dead.add(m.consumerId()));
            byPartition.forEach((partition, m) -> {
                if (dead.contains(m.consumerId()) && orphans.stream()
                        .noneMatch(o -> o.group.equals(group) && o.partition == partition)) {
                    orphans.add(new Orphan(group, partition, now, dead));
                }
            });
        });
    }

    /** The broker goes away: gaps open now would measure the outage, not the crash. */
    synchronized void brokerDown() {
        unmeasured += orphans.size();
        orphans.clear();
    }

    /** Gaps measured so far, in milliseconds. */
    synchronized List<Long> gaps() {
        return List.copyOf(gaps);
    }

    /** Orphans whose gap a broker outage cut short, or still open. */
    synchronized int unmeasured() {
        return unmeasured + orphans.size();
    }

    private static boolean ownedBy(MemberDescription m, String process) {
        return m.groupInstanceId().map(id -> id.startsWith(process + "-")).orElse(false);
    }
}
