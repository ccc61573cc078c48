package io.sipai.gateway.console;

import java.time.Duration;

import io.sipai.testing.browser.Chromium;
import org.openqa.selenium.By;

/** A person signed in to the console of the gateway on {@code port}, as the browser tests start. */
final class ConsoleSession {

    static final Duration WAIT = Duration.ofSeconds(20);

    private ConsoleSession() {
    }

    static String base(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Signs in with {@code apiKey} and waits for the calls list. */
    static void signIn(Chromium browser, int port, String apiKey) {
        browser.open(base(port) + "/");
        browser.await("#api-key", WAIT).sendKeys(apiKey);
        browser.driver().findElement(By.id("sign-in")).click();
        browser.await("#calls", WAIT);
    }
}
