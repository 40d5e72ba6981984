package dev.nudge.cli;

import java.util.List;

/**
 * The console's short forms of ids, so a line fits on a screen: a decision id by its first 8 characters (the first
 * group of its UUID, as {@code git} shortens a commit), an event id by its last 8 (event ids often share a long prefix,
 * such as the demo's {@code mx51sa35-d0-}, and end in a random UUID). Ids of 12 characters or fewer are kept whole.
 * Eight hex digits tell apart the ids of a console's screenful; grep the topic or the outbox for the full id.
 */
final class ShortIds {

    static final int KEEP = 8;
    private static final int WHOLE = 12;
    private static final int EVENTS_SHOWN = 3;

    private ShortIds() {
    }

    /** {@code c9a3834a} for {@code c9a3834a-9f0f-3918-a42c-9a6b20dbc09f}. */
    static String decision(String id) {
        return id.length() <= WHOLE ? id : id.substring(0, KEEP);
    }

    /** {@code ...c0f08cef} for {@code mx51ym1a-d0-813f3c93-3ea1-4b6e-b828-b6a4c0f08cef}. */
    static String event(String id) {
        return id.length() <= WHOLE ? id : "..." + id.substring(id.length() - KEEP);
    }

    /** The first few event ids, short, and how many more there are. */
    static String events(List<String> ids) {
        if (ids.isEmpty()) {
            return "-";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(EVENTS_SHOWN, ids.size()); i++) {
            s.append(i == 0 ? "" : ",").append(event(ids.get(i)));
        }
        if (ids.size() > EVENTS_SHOWN) {
            s.append(" +").append(ids.size() - EVENTS_SHOWN).append(" more");
        }
        return s.toString();
    }
}
