package dev.nudge.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The login form lets an address get the token wrong ten times at once, then once every 30 seconds. */
class WrongGuessesTest {

    @Test
    void tenWrongTokensAtOnceThenOneEveryThirtySecondsPerAddress() {
        LoginRoutes.WrongGuesses guesses = new LoginRoutes.WrongGuesses();
        long t = 1_000_000;
        for (int i = 0; i < LoginRoutes.WrongGuesses.FREE_GUESSES; i++) {
            assertEquals(0, guesses.secondsUntilNext("10.0.0.1", t), "guess " + (i + 1) + " is free");
            guesses.wrong("10.0.0.1", t);
        }
        assertEquals(30, guesses.secondsUntilNext("10.0.0.1", t));
        assertEquals(0, guesses.secondsUntilNext("10.0.0.2", t), "another address is not held up");
        assertEquals(1, guesses.secondsUntilNext("10.0.0.1", t + 29_001));
        assertEquals(0, guesses.secondsUntilNext("10.0.0.1", t + 30_000));
        guesses.wrong("10.0.0.1", t + 30_000);
        assertEquals(30, guesses.secondsUntilNext("10.0.0.1", t + 30_000), "one guess, then the wait again");
    }
}
