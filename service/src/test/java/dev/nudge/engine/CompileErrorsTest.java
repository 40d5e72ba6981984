package dev.nudge.engine;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The common slips of an analyst, each compiled by the real Drools: the error reads in the analyst's words, sits at
 * the slip's line and column (from 0, as Drools counts), and keeps Drools' own text as {@code raw}.
 */
class CompileErrorsTest {

    /** Six lines: the rule under test starts on line 7. */
    private static final String HEADER = """
            package rules;
            import dev.nudge.event.CartUpdated;
            import dev.nudge.event.ProductViewed;
            global dev.nudge.engine.Decisions decisions;
            declare CartUpdated @role(event) @timestamp(eventTime) @expires(1h) end
            declare ProductViewed @role(event) @timestamp(eventTime) @expires(1h) end
            """;

    static Stream<Arguments> slips() {
        return Stream.of(
                Arguments.of("misspelt field", """
                        rule "A"
                        when
                            $c : CartUpdated( cartid == "x" )
                        then
                        end
                        """, "CartUpdated has no field 'cartid'; did you mean 'cartId'?", 9, 22),
                Arguments.of("misspelt field of a bound fact", """
                        rule "A"
                        when
                            $c : CartUpdated( )
                            $v : ProductViewed( $c.cartid == "x" )
                        then
                        end
                        """, "CartUpdated has no field 'cartid'; did you mean 'cartId'?", 10, 27),
                Arguments.of("missing bracket", """
                        rule "A"
                        when
                            $c : CartUpdated( customerId == "x"
                        then
                        end
                        """, "missing ')': the '(' opened at line 9, column 20 is never closed", 9, 39),
                Arguments.of("missing bracket in a pattern over two lines, another rule after", """
                        rule "A"
                        when
                            $c : CartUpdated( customerId == "x",
                                              cartId == "c"

                        then
                        end
                        rule "B"
                        when
                            $c : CartUpdated( )
                        then
                        end
                        """, "missing ')': the '(' opened at line 9, column 20 is never closed", 10, 35),
                Arguments.of("missing square bracket", """
                        rule "A"
                        when
                            $c : CartUpdated( )
                            $v : ProductViewed( this after[0s, 1h $c )
                        then
                        end
                        """, "missing ']' before ')': the '[' opened at column 34 of line 10 is never closed", 10, 45),
                Arguments.of("misspelt operator", """
                        rule "A"
                        when
                            $c : CartUpdated( )
                            $v : ProductViewed( this afer[0s, 1h] $c )
                        then
                        end
                        """, "unknown operator 'afer'; did you mean 'after'? (temporal operators: after, before, "
                        + "coincides, during, finishes, finishedby, includes, meets, metby, overlaps, overlappedby, "
                        + "starts, startedby)", 10, 29),
                Arguments.of("field read in the consequence, outside its pattern", """
                        rule "A"
                        when
                            $v : ProductViewed( )
                        then
                            String u = ProductViewed.url;
                        end
                        """, "The field ProductViewed.url is not visible: a field is read only inside its pattern; "
                        + "bind it there (ProductViewed( $u : url )) and use $u", 11, 15),
                Arguments.of("field of another pattern's type", """
                        rule "A"
                        when
                            $v : ProductViewed( )
                            $c : CartUpdated( customerId == url )
                        then
                        end
                        """, "CartUpdated has no field 'url'; url is a field of ProductViewed: bind it inside that "
                        + "pattern (ProductViewed( $u : url )) and use $u here", 10, 36),
                Arguments.of("method that does not exist in a condition", """
                        rule "A"
                        when
                            $c : CartUpdated( hasProdct("p") )
                        then
                        end
                        """, "CartUpdated has no method 'hasProdct'; did you mean 'hasProduct'?", 9, 22),
                Arguments.of("method that does not exist in the consequence", """
                        rule "A"
                        when
                            $c : CartUpdated( )
                        then
                            decisions.trigr(drools, "x", $c);
                        end
                        """, "Decisions has no method 'trigr'; did you mean 'trigger'?", 11, 14),
                Arguments.of("bad attribute value", """
                        rule "A"
                            @priority(1)
                            @reEligibility("three days")
                        when
                            $c : CartUpdated( )
                        then
                            decisions.trigger(drools, "x", $c);
                        end
                        """, "rule \"A\": not a duration: 'three days' (write 30m, 72h or 7d)", 9, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slips")
    void slipIsReportedInWordsAtItsPlace(String slip, String drl, String message, int line, int column,
                                         @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.drl"), HEADER + drl);
        List<RuleError> errors = new RuleCompiler(Clock.systemUTC()).compile(dir).errors();
        assertEquals(1, errors.size(), errors.toString());
        RuleError e = errors.get(0);
        assertEquals(message, e.message());
        if (!slip.equals("bad attribute value")) {
            // the compiler's own text stays available for --verbose, and differs from the sentence
            assertNotEquals(e.message(), e.raw());
        }
        assertEquals("a.drl:" + line + ":" + column, e.file() + ":" + e.line() + ":" + e.column(), e.message());
    }
}
