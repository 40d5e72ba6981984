package dev.nudge.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The system's headless Chromium for browser tests, driven through the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}): Selenium Manager downloads nothing. Without them a test is skipped
 * with a loud line, since README promises {@code mvn -B verify} on a machine with only a JDK and Maven; on CI
 * ({@code CI} set, where {@code .ci/run} installs them) it fails instead, so the browser tests never go untested.
 */
public final class Chromium {

    private static final Path BROWSER = Path.of(System.getProperty("nudge.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("nudge.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /**
     * Saves what the browser shows as {@code name} in {@code target/}, or in the folder {@code -Dnudge.screenshots}
     * names (the docs' pictures are taken with {@code -Dnudge.screenshots=../docs}).
     */
    public static Path screenshot(WebDriver browser, String name) throws IOException {
        Path dir = Path.of(System.getProperty("nudge.screenshots", "target"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
                StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(file) > 0, "a picture was taken: " + file);
        return file;
    }

    /** How many pixels the page is wider than the window: 0 or less when nothing scrolls sideways. */
    public static long overflow(WebDriver browser) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;")).longValue();
    }

    /** A new headless browser, or the test is skipped (failed on CI) when Chromium is not installed. */
    public static WebDriver start(String test) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            String why = test + " NOT RUN: it needs Chromium and its driver (" + BROWSER + ", " + DRIVER
                    + "); install them with `apt-get install chromium chromium-driver` (.ci/run does)";
            System.err.println("*** " + why);
            if (System.getenv("CI") != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }
}
