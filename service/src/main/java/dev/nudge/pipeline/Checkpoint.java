package dev.nudge.pipeline;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * Where to replay a partition from after a restart, kept in the metadata of the committed offset.
 *
 * <p>Working memory holds facts up to the replay horizon old (the longest {@code @expires} plus lateness), so a
 * new owner of the partition rebuilds it by re-reading from the first offset whose events can still be alive:
 * the offset at which the watermark was the horizon behind today's. Decisions the replay makes again are those
 * already sent before the commit, so they are dropped.
 */
final class Checkpoint {

    private static final String PREFIX = "nudge:v1";
    private static final long SPACING_MILLIS = 60_000;

    /** What the committed metadata says: the watermark at commit time and where a replay must start. */
    record Mark(long watermark, long replayFrom) {
        String encode() {
            return PREFIX + " wm=" + watermark + " from=" + replayFrom;
        }

        static Optional<Mark> decode(String metadata) {
            if (metadata == null || !metadata.startsWith(PREFIX)) {
                return Optional.empty();
            }
            long wm = Long.MIN_VALUE;
            long from = -1;
            for (String part : metadata.split(" ")) {
                if (part.startsWith("wm=")) {
                    wm = Long.parseLong(part.substring(3));
                } else if (part.startsWith("from=")) {
                    from = Long.parseLong(part.substring(5));
                }
            }
            return from < 0 ? Optional.empty() : Optional.of(new Mark(wm, from));
        }
    }

    private record Sample(long offset, long watermark) {
    }

    private final long horizonMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long base;

    /** {@code base} is the oldest offset known to matter: the previous replay start, or the first offset read. */
    Checkpoint(long horizonMillis, long base) {
        this.horizonMillis = horizonMillis;
        this.base = base;
    }

    /** Notes that the record at {@code offset} was read while the watermark stood at {@code watermark}. */
    void observe(long offset, long watermark) {
        Sample last = samples.peekLast();
        if (last == null || watermark - last.watermark >= SPACING_MILLIS) {
            samples.addLast(new Sample(offset, watermark));
        }
    }

    /** The first offset to re-read so that every fact still alive at {@code watermark} comes back. */
    long replayFrom(long watermark) {
        long cutoff = watermark - horizonMillis;
        Iterator<Sample> it = samples.iterator();
        while (it.hasNext()) {
            Sample s = it.next();
            if (s.watermark > cutoff) {
                break;
            }
            base = s.offset;
            it.remove();
        }
        return base;
    }
}
