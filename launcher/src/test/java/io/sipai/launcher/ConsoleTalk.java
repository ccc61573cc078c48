package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import io.sipai.testing.browser.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * A person talking to an agent from the console of the one-machine platform, in Debian's headless Chromium whose
 * fake microphone plays a recorded caller ("I would like to book an appointment", synthesized by the edge's offline
 * TTS): they sign in, create a scripted clinic agent through the agent form, press Call on its page, hear the
 * greeting, say the phrase, see what the offline recognizer heard and the agent's answer, watch the call in the calls
 * list (opened in a second tab) while it is in progress and when it ended, and its slot on the admission page, hang
 * up, and find the call and its end in the call's live timeline.
 */
final class ConsoleTalk {

    /** The clinic's first state: the one phrase the recorded caller says, and the answer it gets. */
    static final String SCRIPT = """
            {"greeting": "Hello, this is the clinic. How can I help you?",
             "start": "main",
             "states": {"main": {"intents": [
               {"name": "book", "phrases": ["i would like to book an appointment", "book an appointment"],
                "reply": "Sure. What day and time would suit you?", "goto": "main"}]}}}""";
    static final String HEARD = "i would like to book an appointment";
    static final String ANSWER = "What day and time would suit you?";
    private static final Duration WAIT = Duration.ofSeconds(45);
    /** Most of the answer's audio ("Sure. What day and time would suit you?" is about 2.5 s). */
    private static final long ANSWER_PLAYS_MS = 1_800;
    /** Silence before the phrase: the call connects and the greeting plays first. */
    private static final Duration LEAD = Duration.ofSeconds(6);
    private static final Duration TAIL = Duration.ofSeconds(8);

    private final int gatewayPort;
    private final String apiKey;
    private final Path workDir;

    ConsoleTalk(int gatewayPort, String apiKey, Path workDir) {
        this.gatewayPort = gatewayPort;
        this.apiKey = apiKey;
        this.workDir = workDir;
    }

    /** What the person saw. */
    record Seen(String callId, long playedMs, String endReason, int timelineEntries, double recordingSeconds,
                String analysis) {
    }

    Seen talk() throws Exception {
        Path microphone = microphone();
        try (Chromium browser = Chromium.start(microphone)) {
            try {
                return talk(browser);
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot("console-talk-failure");
                throw new AssertionError("talking failed; the page said: state=" + state(browser) + " error="
                        + browser.text("#talk-error") + " transcript=" + browser.text("#talk-transcript")
                        + " played=" + browser.text("#played-ms") + "; logs in " + workDir.resolve("logs"), e);
            }
        }
    }

    private Seen talk(Chromium browser) {
        // sign in, create the agent through the form
        browser.open(base() + "/");
        browser.await("#api-key", WAIT).sendKeys(apiKey);
        browser.driver().findElement(By.id("sign-in")).click();
        browser.await("#calls", WAIT);
        String agentId = createAgent(browser);

        // the agent's Talk page, Call
        browser.open(base() + "/#/agents");
        browser.await("a.talk[href='#/talk/" + agentId + "']", WAIT).click();
        browser.await("#call", WAIT).click();
        browser.until("the call connected", () -> state(browser).equals("connected")
                || state(browser).equals("error"), WAIT);
        assertThat(state(browser)).as(browser.text("#talk-error")).isEqualTo("connected");

        // the greeting is heard, then the caller's phrase is recognised and answered
        browser.until("the agent's greeting", () -> browser.text("#talk-transcript")
                .contains("How can I help you?"), WAIT);
        browser.until("the caller's phrase recognised", () -> lower(browser.text("#talk-transcript"))
                .contains(HEARD), WAIT);
        browser.until("the agent's answer", () -> browser.text("#talk-transcript").contains(ANSWER), WAIT);
        long beforeAnswer = playedMs(browser);
        browser.until("the answer played", () -> playedMs(browser) > beforeAnswer + ANSWER_PLAYS_MS, WAIT);
        String callId = browser.text("#talk-call-id");
        long played = playedMs(browser);
        browser.screenshot("console-talk");

        // the calls list, opened in a second tab, shows the call in progress
        String talkTab = browser.driver().getWindowHandle();
        ((JavascriptExecutor) browser.driver()).executeScript("window.open('#/calls', '_blank');");
        String listTab = browser.driver().getWindowHandles().stream().filter(tab -> !tab.equals(talkTab))
                .findFirst().orElseThrow();
        browser.driver().switchTo().window(listTab);
        String row = "tr[data-call-id='" + callId + "']";
        browser.await(row, WAIT);
        browser.until("the call in progress in the list", () -> lower(browser.text(row + " .status"))
                .contains("in_progress"), WAIT);
        // and the admission page its slot, as the admission processor published it
        browser.open(base() + "/#/admission");
        browser.until("the call's slot on the admission page", () -> browser.text("#tenant-counter .active")
                .equals("1"), WAIT);
        browser.screenshot("console-talk-admission");
        browser.open(base() + "/#/calls");
        browser.await(row, WAIT);

        // hang up, then the call ends on the talk page and, live, in the list
        browser.driver().switchTo().window(talkTab);
        browser.driver().findElement(By.id("hang-up")).click();
        browser.until("the call ended", () -> state(browser).equals("ended"), WAIT);
        browser.driver().switchTo().window(listTab);
        browser.until("the call ended in the list", () -> lower(browser.text(row + " .status")).contains("ended"),
                WAIT);
        browser.open(base() + "/#/admission");
        browser.until("the slot released on the admission page", () -> browser.text("#tenant-counter .active")
                .equals("0"), WAIT);
        browser.driver().close();
        browser.driver().switchTo().window(talkTab);
        browser.open(base() + "/#/calls/" + callId);
        browser.await("#timeline li[data-type='CallEnded']", WAIT);
        browser.until("the end reason", () -> !browser.text("#end-reason").isBlank(), WAIT);
        browser.until("the conversation on the call's page", () -> browser.text("#transcript").contains(ANSWER)
                && lower(browser.text("#transcript")).contains(HEARD), WAIT);
        String reason = browser.text("#end-reason");
        // and, after the end, the recording plays in the page and the offline analysis sums the call up
        browser.until("the recording loaded in the player", () -> recordingSeconds(browser) > 0, WAIT);
        browser.until("the call's analysis", () -> lower(browser.text("#analysis-summary")).contains(HEARD), WAIT);
        int entries = browser.driver().findElements(By.cssSelector("#timeline li")).size();
        browser.screenshot("console-talk-call");
        return new Seen(callId, played, reason, entries, recordingSeconds(browser),
                browser.text("#analysis-summary"));
    }

    private String base() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    private static String state(Chromium browser) {
        return browser.text("#talk-state");
    }

    /** The length the browser decoded from the call's recording; 0 until it has. */
    private static double recordingSeconds(Chromium browser) {
        Object seconds = ((JavascriptExecutor) browser.driver()).executeScript(
                "const a = document.querySelector('#recording'); return a && isFinite(a.duration) ? a.duration : 0;");
        return seconds instanceof Number n ? n.doubleValue() : 0;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static long playedMs(Chromium browser) {
        String text = browser.text("#played-ms").strip();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    /** The clinic agent, created as a person does: the new agent form with its name, script, recording and analysis. */
    private String createAgent(Chromium browser) {
        browser.open(base() + "/#/agents");
        browser.await("#new-agent", WAIT).click();
        browser.await("#agent-name", WAIT).sendKeys("Clinic");
        browser.driver().findElement(By.id("agent-script")).sendKeys(SCRIPT.replace("\n", " "));
        browser.driver().findElement(By.id("agent-recording")).sendKeys("{\"enabled\": true}");
        browser.driver().findElement(By.id("agent-analysis")).sendKeys("{}");
        browser.driver().findElement(By.id("agent-save")).click();
        browser.until("the agent's page", () -> browser.driver().getCurrentUrl().matches(".*#/agents/agt_.*"),
                WAIT);
        return browser.driver().getCurrentUrl().replaceAll(".*#/agents/", "");
    }

    /** The recorded phrase between silences, as the WAV file Chromium's fake microphone plays once. */
    private Path microphone() throws IOException, UnsupportedAudioFileException {
        byte[] phrase;
        AudioFormat format;
        try (InputStream resource = ConsoleTalk.class.getResourceAsStream("/console/book-appointment.wav");
             AudioInputStream in = AudioSystem.getAudioInputStream(new java.io.BufferedInputStream(resource))) {
            format = in.getFormat();
            phrase = in.readAllBytes();
        }
        int bytesPerMs = (int) (format.getSampleRate() * format.getFrameSize() / 1000);
        byte[] all = new byte[(int) (LEAD.toMillis() + TAIL.toMillis()) * bytesPerMs + phrase.length];
        System.arraycopy(phrase, 0, all, (int) LEAD.toMillis() * bytesPerMs, phrase.length);
        Path file = workDir.resolve("microphone.wav");
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(all), format,
                all.length / format.getFrameSize()), AudioFileFormat.Type.WAVE, file.toFile());
        return file;
    }
}
