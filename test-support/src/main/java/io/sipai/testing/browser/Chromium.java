package io.sipai.testing.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: what the browser tests see is what a person's
 * browser shows. Nothing is downloaded: without the packages the test fails naming them (CI installs them), it is
 * never skipped. A fake microphone can be fed from a WAV file, and every page can be saved as a screenshot under
 * {@code target/screenshots}.
 */
public final class Chromium implements AutoCloseable {

    /** Debian's Chromium first; GitHub's Ubuntu runners carry Google Chrome and its driver instead. */
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver",
            System.getenv().getOrDefault("CHROMEWEBDRIVER", "/nonexistent") + "/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final Duration POLL = Duration.ofMillis(50);

    private final ChromeDriver driver;

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A headless browser with a 1280x900 window. */
    public static Chromium start() {
        return start(null);
    }

    /** A headless browser whose microphone plays {@code fakeMicrophone} (a WAV file) once; none if null. */
    public static Chromium start(Path fakeMicrophone) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(find(BROWSERS, "chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US", "--autoplay-policy=no-user-gesture-required");
        if (fakeMicrophone != null) {
            options.addArguments("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    "--use-file-for-fake-audio-capture=" + fakeMicrophone.toAbsolutePath() + "%noloop");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(find(DRIVERS, "chromium-driver"))).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options));
    }

    private static String find(List<String> candidates, String debianPackage) {
        return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new IllegalStateException("browser tests need Debian's " + debianPackage
                        + " package (apt-get install chromium chromium-driver; .ci/run installs them): none of "
                        + candidates + " exists"));
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The element {@code css} selects, once there is one. */
    public WebElement await(String css, Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL).withMessage("an element " + css)
                .until(d -> d.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    /** The text of the element {@code css} selects, once it has some. */
    public String awaitText(String css, Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL).withMessage("text in " + css).until(d -> {
            String text = text(css);
            return text.isBlank() ? null : text;
        });
    }

    /** Waits until {@code condition} holds; the timeout's message names {@code what} and what the page showed. */
    public void until(String what, BooleanSupplier condition, Duration timeout) {
        new WebDriverWait(driver, timeout, POLL).withMessage(() -> what + "; the page at " + driver.getCurrentUrl()
                + " showed: " + text("body")).until(d -> condition.getAsBoolean());
    }

    /**
     * Replaces what the input {@code css} selects holds with {@code text} by typing, as a person does (select all,
     * delete, type), so the page's input handlers see it; WebDriver's {@code clear()} fires none.
     */
    public void retype(String css, String text) {
        WebElement input = driver.findElement(By.cssSelector(css));
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        if (!text.isEmpty()) {
            input.sendKeys(text);
        }
    }

    /**
     * Picks the option whose value is {@code value} in the select {@code css} and tells the page, as a person's
     * choice does (input and change events). Matches the option's value property, which a page may set without an
     * attribute.
     */
    public void choose(String css, String value) {
        WebElement select = await(css, Duration.ofSeconds(20));
        new WebDriverWait(driver, Duration.ofSeconds(20), POLL).withMessage("an option " + value + " in " + css)
                .until(d -> (Boolean) driver.executeScript("return Array.from(arguments[0].options)"
                        + ".some(o => o.value === arguments[1])", select, value));
        driver.executeScript("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", select, value);
    }

    /** The text of the element {@code css} selects, or "" when there is none. */
    public String text(String css) {
        return driver.findElements(By.cssSelector(css)).stream().findFirst().map(WebElement::getText).orElse("");
    }

    /** Saves the page as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
