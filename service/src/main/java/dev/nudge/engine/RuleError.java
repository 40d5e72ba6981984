package dev.nudge.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compile error in a rule file, located for the analyst who wrote it: {@code message} in the analyst's words,
 * {@code raw} as Drools (MVEL, ANTLR, the Java compiler) wrote it, for {@code --verbose}.
 */
public record RuleError(String file, int line, int column, String message, String raw) {

    private static final Pattern POSITION_IN_TEXT = Pattern.compile("\\bLine (\\d{1,9}):(\\d{1,9})\\b");

    /** An error at character {@code offset} of a file's {@code text}: its line (from 1) and column (from 0). */
    static RuleError atOffset(String file, String text, int offset, String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new RuleError(file, line, offset - lineStart, message);
    }

    /** An error whose message is already the whole story (Nudge's own checks). */
    public RuleError(String file, int line, int column, String message) {
        this(file, line, column, message, message);
    }

    /**
     * The error as Drools reports it. Its parser leaves the message's column at 0 and writes the real position
     * into the text ({@code [ERR 102] Line 13:4 mismatched input ...}); that position is the one to show, so the
     * location and the text agree. Columns are counted as Drools counts them, from 0.
     */
    static RuleError of(String file, int line, int column, String message) {
        if (column == 0) {
            Matcher m = POSITION_IN_TEXT.matcher(message);
            if (m.find()) {
                return new RuleError(file, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), message);
            }
        }
        return new RuleError(file, line, column, message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
