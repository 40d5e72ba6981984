package dev.nudge.pipeline;

import dev.nudge.decision.Decision;
import dev.nudge.engine.PartitionEngine;

import java.util.List;

/**
 * One assigned partition: its rule session, its replay bookkeeping and the anchor for idle time.
 *
 * <p>While {@code offset < replayUntil} the partition re-reads events it already handled before a restart or a
 * rebalance: state is rebuilt, decisions are not sent again.
 */
final class PartitionState {

    final PartitionEngine engine;
    final Checkpoint checkpoint;
    /** The shadow rules' own session for this partition, while shadow rules run ({@link ShadowEngines}). */
    volatile PartitionEngine shadow;
    /** The next offset to read: where a shadow session's catch-up ends; -1 before the first record. */
    long nextOffset = -1;
    private long replayUntil;
    private final long resumeWatermark;
    private long anchorEventTime = Long.MIN_VALUE;
    private long anchorWallMillis;
    private long assumedReached = Long.MIN_VALUE;

    PartitionState(PartitionEngine engine, Checkpoint checkpoint, long replayUntil, long resumeWatermark) {
        this.engine = engine;
        this.checkpoint = checkpoint;
        this.replayUntil = replayUntil;
        this.resumeWatermark = resumeWatermark;
    }

    boolean replaying(long offset) {
        return offset < replayUntil;
    }

    /**
     * Ends the replay once the last already-handled offset is read: time moves to where it stood at the commit,
     * and whatever falls due on the way was sent before, so it is dropped.
     */
    void finishReplayIfDone(long nextOffset) {
        if (replayUntil >= 0 && nextOffset >= replayUntil) {
            engine.advanceTo(resumeWatermark);
            replayUntil = -1;
        }
    }

    boolean inReplay() {
        return replayUntil >= 0;
    }

    /** Remembers when the newest event time was reached, in wall time, for the idle tick. */
    void sawEvent(long wallMillis) {
        long max = engine.maxEventTime();
        if (max > anchorEventTime) {
            anchorEventTime = max;
            anchorWallMillis = wallMillis;
        }
    }

    /**
     * With no new events for {@code idleMillis}, event time is assumed to run on with wall time ({@code speed} times
     * as fast), so "no checkout for 30 minutes" fires even on a quiet partition. {@code wallMillis} is the last time
     * the broker answered, {@code answeredSince} when it last began to answer after being out of reach: time the
     * partition could not hear from the broker is not quiet time (the shop's events were held up, not absent), so
     * it is left out.
     */
    List<Decision> tick(long wallMillis, long answeredSince, long idleMillis, double speed) {
        if (anchorEventTime == Long.MIN_VALUE || inReplay()) {
            return List.of();
        }
        if (answeredSince > anchorWallMillis) {
            anchorEventTime = Math.max(anchorEventTime, assumedReached);
            anchorWallMillis = answeredSince;
        }
        if (wallMillis - anchorWallMillis < idleMillis) {
            return List.of();
        }
        long assumed = anchorEventTime + (long) ((wallMillis - anchorWallMillis) * speed);
        assumedReached = Math.max(assumedReached, assumed);
        return engine.advanceEventTime(assumed);
    }

    /** Disposes the live session and the shadow one, if any: the partition was taken away. */
    void close() {
        engine.close();
        PartitionEngine s = shadow;
        if (s != null) {
            shadow = null;
            s.close();
        }
    }
}
