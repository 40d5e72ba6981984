package dev.nudge.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for incoming events: Jackson decodes overlong forms ({@code E0 80 AF} for "/") without complaint, and
 * an id that reads one way as bytes and another as text is how filters are got round; Java's decoder refuses them.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Null when {@code bytes} are valid UTF-8, else why not, with the offset of the first bad byte. */
    public static String problem(byte[] bytes) {
        int first = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return null; // plain ASCII, the usual case: nothing to decode
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, first, bytes.length - first);
        try {
            decoder.decode(in);
            return null;
        } catch (CharacterCodingException e) {
            return "not valid UTF-8 (an overlong form, a surrogate or a stray byte) at byte " + in.position();
        }
    }
}
