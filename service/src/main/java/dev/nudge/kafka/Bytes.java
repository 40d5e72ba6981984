package dev.nudge.kafka;

/** A look into a record's raw value before parsing it: readers that want a few types skip the rest cheaply. */
public final class Bytes {

    private Bytes() {
    }

    /** Whether {@code marker} occurs in {@code data}. */
    public static boolean contains(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= data.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
