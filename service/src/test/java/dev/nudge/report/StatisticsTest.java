package dev.nudge.report;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The intervals and tests against values computed elsewhere: Newcombe's own paper, and SciPy 1.17. */
class StatisticsTest {

    @ParameterizedTest(name = "{0}/{1} - {2}/{3}")
    @CsvSource({
            // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (to his 4 decimals)
            "56, 70, 48, 80, 0.0524, 0.3339",
            "9, 10, 3, 10, 0.1705, 0.8090",
            "6, 7, 2, 7, 0.0582, 0.8062",
            // a zero in one arm: Wald would give a degenerate interval here, the score interval does not
            "5, 56, 0, 29, -0.0381, 0.1926",
    })
    void theDifferenceIntervalIsNewcombesMethod10(long x1, long n1, long x2, long n2, double low, double high) {
        Interval i = Statistics.difference(x1, n1, x2, n2);
        assertEquals((double) x1 / n1 - (double) x2 / n2, i.estimate(), 1e-12);
        assertEquals(low, i.low(), 0.00005);
        assertEquals(high, i.high(), 0.00005);
    }

    @Test
    void tenPercentAgainstFivePercentOfAThousandEach() {
        // SciPy: the same interval from scipy.stats.norm.ppf; relative_risk(100,1000,50,1000).confidence_interval()
        // (Katz); chi2_contingency([[100,900],[50,950]], correction=False).pvalue
        Interval abs = Statistics.difference(100, 1000, 50, 1000);
        assertEquals(0.05, abs.estimate(), 1e-12);
        assertEquals(0.027052, abs.low(), 1e-6);
        assertEquals(0.073388, abs.high(), 1e-6);
        Interval rel = Statistics.relative(100, 1000, 50, 1000);
        assertEquals(1.0, rel.estimate(), 1e-12);
        assertEquals(0.4407768923728401, rel.low(), 1e-9);
        assertEquals(1.7762799508897809, rel.high(), 1e-9);
        assertEquals(2.1882399336140237e-05, Statistics.pValue(100, 1000, 50, 1000), 1e-10);
        // 3% against 2%: not significant (scipy 0.15207808079297525)
        assertEquals(0.15207808079297525, Statistics.pValue(30, 1000, 20, 1000), 1e-9);
    }

    @Test
    void noRelativeLiftWithoutAConversionInBothArms() {
        assertNull(Statistics.relative(5, 56, 0, 29));
        assertNull(Statistics.relative(0, 56, 3, 29));
        assertEquals(1.0, Statistics.pValue(0, 100, 0, 10), "nobody converted: nothing differs");
    }

    @ParameterizedTest(name = "{0} mailed, {1} held out at {2}%")
    @CsvSource({
            // scipy.stats.chisquare(observed, expected).pvalue
            "9000, 1000, 10, 1.0",
            "905, 95, 10, 0.5981614526835279",
            "9100, 900, 10, 0.0008581206663936758",
            "950, 50, 10, 1.3608022911357298e-07",
            // no holdout configured: any held-out decision is a mismatch, none is fine
            "1000, 0, 0, 1.0",
            "1000, 1, 0, 0.0",
    })
    void theSampleRatioTestIsAChiSquareGoodnessOfFit(long mailed, long holdout, double percent, double p) {
        assertEquals(p, Statistics.sampleRatioP(mailed, holdout, percent), Math.max(1e-12, p * 1e-6));
    }
}
