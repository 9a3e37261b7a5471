package org.linkboard.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium session (Debian's chromium + chromium-driver) with a fresh profile, and
 * the few helpers the tests share: sign in, wait for a DOM condition, run JS, screenshots.
 *
 * <p>Tests skip (JUnit assumption) with a clear message when no browser or driver is installed.
 * Not thread-safe; close it after the test.
 */
final class Browser implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final WebDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(WebDriver driver, Path profile, String baseUrl) {
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    static File find(String envName, String... candidates) {
        String fromEnv = System.getenv(envName);
        if (fromEnv != null && new File(fromEnv).canExecute()) return new File(fromEnv);
        for (String c : candidates) {
            File f = new File(c);
            if (f.canExecute()) return f;
        }
        return null;
    }

    /** Skips the calling test when Chromium or its driver is missing. */
    static void assumeAvailable() {
        File chromium = find("LINKBOARD_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        File driver = find("LINKBOARD_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        assumeTrue(chromium != null && driver != null,
                "browser tests skipped: no Chromium/chromedriver found (install Debian's `chromium chromium-driver`, "
                        + "or set LINKBOARD_CHROMIUM / LINKBOARD_CHROMEDRIVER)");
    }

    static Browser open(String baseUrl) throws Exception {
        assumeAvailable();
        File chromium = find("LINKBOARD_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        File driverExe = find("LINKBOARD_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Path profile = Files.createTempDirectory("linkboard-chrome-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800",
                "--no-first-run", "--no-default-browser-check", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverExe).usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(TIMEOUT);
        return new Browser(d, profile, baseUrl);
    }

    void go(String hash) {
        driver.get(baseUrl + "/" + hash);
    }

    /** Signs in through the login form and waits for the home page. */
    void signIn(String username, String password) {
        go("#/login");
        WebElement user = waitFor(d -> d.findElement(By.id("login-username")));
        user.clear();
        user.sendKeys(username);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        waitFor(d -> !d.findElements(By.cssSelector(".topbar .me")).isEmpty());
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, TIMEOUT).ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            // Leave evidence: what the page showed when the condition never came true.
            String shot = "";
            try {
                shot = " screenshot: " + screenshot("timeout-" + System.currentTimeMillis());
            } catch (Exception ignored) {
                // the page may be gone
            }
            String status = "";
            try {
                status = " connection: " + driver.findElement(By.id("conn-status")).getText();
            } catch (Exception ignored) {
                // not on a board page
            }
            throw new org.openqa.selenium.TimeoutException("condition not met at " + driver.getCurrentUrl() + status + shot, e);
        }
    }

    @SuppressWarnings("unchecked")
    <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    Path screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("linkboard.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = dir.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (Exception ignored) {
                // Chromium may still hold a file for a moment; a temp dir left behind is harmless
            }
        }
    }
}
