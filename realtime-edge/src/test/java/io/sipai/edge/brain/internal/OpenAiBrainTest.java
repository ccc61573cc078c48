package io.sipai.edge.brain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.session.CallContext;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real Chat Completions streaming client against a loopback server that answers with the recorded SSE streams
 * of the protocol sheet: text deltas, tool-call fragments, in-stream errors, HTTP errors and a stalled server.
 */
class OpenAiBrainTest {

    private static final String PREFIX = "{\"id\":\"chatcmpl-ABfw8AOXnoa2kzy11vVTSjuQhHCQr\",\"object\":"
            + "\"chat.completion.chunk\",\"created\":1727346176,\"model\":\"gpt-4o-2024-08-06\","
            + "\"system_fingerprint\":\"fp_7568d46099\",\"choices\":[{\"index\":0,\"delta\":";
    private static final String SUFFIX = ",\"logprobs\":null,\"finish_reason\":null}]}";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> responses = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
    private final HttpServer server = server();
    private final Recorder recorder = new Recorder();

    private HttpServer server() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            s.createContext("/v1/chat/completions", exchange -> {
                requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                        + "|encoding=" + exchange.getRequestHeaders().getFirst("Accept-Encoding")
                        + "|auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
                String answer = responses.remove(0);
                if (answer.startsWith("STALL")) {
                    return;
                }
                if (answer.startsWith("HOLD")) {
                    // The first events, then nothing until the client goes away.
                    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.substring(4).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        for (int i = 0; i < 50; i++) {
                            Thread.sleep(100);
                            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        abandoned.set(true);
                    }
                    return;
                }
                int status = answer.startsWith("HTTP401") ? 401 : 200;
                byte[] body = (status == 401 ? answer.substring(7) : answer).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", status == 200 ? "text/event-stream"
                        : "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                answered.incrementAndGet();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final HttpClient client = OpenAiBrain.startClient(Duration.ofSeconds(5));

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        client.stop();
    }

    private AgentBrain.Conversation conversation(Duration timeout) {
        OpenAiBrain brain = new OpenAiBrain(client, "http://127.0.0.1:"
                + server.getAddress().getPort() + "/v1", "sk-test", "gpt-4o-2024-08-06", timeout);
        return brain.start(new CallContext("call-1", "acme", null, null, CallDirection.INBOUND,
                Transport.WEBSOCKET, null, null, null, null));
    }

    private static String sse(String... data) {
        StringBuilder out = new StringBuilder();
        for (String d : data) {
            out.append("data: ").append(d).append("\n\n");
        }
        return out.append("data: [DONE]\n\n").toString();
    }

    @Test
    void textDeltasStreamInOrderAndTheReplyCompletes() {
        responses.add(sse(PREFIX + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}" + SUFFIX,
                PREFIX + "{\"content\":\"I'm\"}" + SUFFIX, PREFIX + "{\"content\":\" unable\"}" + SUFFIX,
                PREFIX + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"total_tokens\":3}}"));
        conversation(Duration.ofSeconds(5)).respond(new BrainInput.UserText("hello"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(recorder.events).containsExactly("text:I'm", "text: unable", "done");
        assertThat(requests.getFirst()).contains("\"stream\":true").contains("\"model\":\"gpt-4o-2024-08-06\"")
                .contains("{\"role\":\"user\",\"content\":\"hello\"}").endsWith("|encoding=null|auth=Bearer sk-test");
    }

    @Test
    void toolCallFragmentsAreAssembledAndTheResultGoesBack() {
        String first = PREFIX + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
                + "\"call_c91SqDXlYFuETYv8mUHzz6pp\",\"type\":\"function\",\"function\":{\"name\":\"GetWeatherArgs\","
                + "\"arguments\":\"\"}}],\"refusal\":null}" + SUFFIX;
        List<String> pieces = List.of("{\\\"", "city", "\\\":\\\"", "Ed", "inburgh", "\\\",\\\"", "country",
                "\\\":\\\"", "UK", "\\\",\\\"", "units", "\\\":\\\"", "c", "\\\"}");
        List<String> chunks = new java.util.ArrayList<>(List.of(first));
        pieces.forEach(p -> chunks.add(PREFIX + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                + p + "\"}}]}" + SUFFIX));
        chunks.add(PREFIX + "{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}");
        responses.add(sse(chunks.toArray(String[]::new)));
        responses.add(sse(PREFIX + "{\"content\":\"It is 11 degrees.\"}" + SUFFIX));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));

        conversation.respond(new BrainInput.UserText("weather in Edinburgh?"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(recorder.events).containsExactly("tool:call_c91SqDXlYFuETYv8mUHzz6pp GetWeatherArgs "
                + "{\"city\":\"Edinburgh\",\"country\":\"UK\",\"units\":\"c\"}", "done");

        AgentBrain.ToolCall call = new AgentBrain.ToolCall("call_c91SqDXlYFuETYv8mUHzz6pp", "GetWeatherArgs",
                "{\"city\":\"Edinburgh\",\"country\":\"UK\",\"units\":\"c\"}");
        recorder.events.clear();
        conversation.respond(new BrainInput.ToolResults(List.of(new AgentBrain.ToolResult(call, true,
                "{\"temp_c\": 11}"))), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(requests.get(1)).contains("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
                + "\"call_c91SqDXlYFuETYv8mUHzz6pp\",\"type\":\"function\",\"function\":{\"name\":\"GetWeatherArgs\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Edinburgh\\\",\\\"country\\\":\\\"UK\\\",\\\"units\\\":\\\"c\\\"}\"}}]}",
                "{\"role\":\"tool\",\"tool_call_id\":\"call_c91SqDXlYFuETYv8mUHzz6pp\",\"content\":\"{\\\"temp_c\\\": 11}\"}");
        assertThat(recorder.events).containsExactly("text:It is 11 degrees.", "done");
    }

    @Test
    void anErrorInsideTheStreamFailsTheReply() {
        responses.add("data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n");
        conversation(Duration.ofSeconds(5)).respond(new BrainInput.UserText("hi"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures.getFirst()).isEqualTo("error in stream: The server had an error");
    }

    @Test
    void anHttpErrorFailsTheReplyWithItsMessage() {
        responses.add("HTTP401{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":"
                + "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        conversation(Duration.ofSeconds(5)).respond(new BrainInput.UserText("hi"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures.getFirst()).isEqualTo("HTTP 401: Incorrect API key provided");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        responses.add("STALL");
        conversation(Duration.ofMillis(300)).respond(new BrainInput.UserText("hi"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.failures.isEmpty());
        assertThat(recorder.failures.getFirst()).startsWith("timeout");
    }

    @Test
    void givenASpeculation_whenConfirmed_thenItsReplyIsDeliveredAndItsWordsEnterTheDialogOnce() {
        // given a speculation whose stream completed before the turn ended
        responses.add(sse(text("Nine to five.")));
        responses.add(sse(text("Bye.")));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        AgentBrain.Speculation speculation = answeredSpeculation(conversation, "opening hours?");

        // when
        AgentBrain.Reply reply = speculation.confirm(recorder);

        // then
        assertThat(reply).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(recorder.events).containsExactly("text:Nine to five.", "done");
        conversation.respond(new BrainInput.UserText("thanks"), new Recorder());
        await().atMost(Duration.ofSeconds(5)).until(() -> requests.size() == 2);
        assertThat(dialog(1)).containsExactly("user: opening hours?", "assistant: Nine to five.", "user: thanks");
    }

    @Test
    void givenASpeculation_whenCancelled_thenNeitherItsWordsNorItsReplyEnterTheDialogAndNothingIsHeard() {
        // given a speculation whose stream completed
        responses.add(sse(text("Nine to five.")));
        responses.add(sse(text("Closed on Sundays.")));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        AgentBrain.Speculation speculation = answeredSpeculation(conversation, "opening hours");

        // when the turn ended with other words
        speculation.cancel();
        conversation.respond(new BrainInput.UserText("opening hours on sunday"), recorder);

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(recorder.events).containsExactly("text:Closed on Sundays.", "done");
        assertThat(dialog(1)).containsExactly("user: opening hours on sunday");
        assertThat(speculation.confirm(new Recorder())).isNull();
    }

    @Test
    void givenASpeculationThatFailed_whenTheTurnEndsWithItsWords_thenItIsNotConfirmedAndTheTurnCanAskAgain() {
        // given
        responses.add("HTTP401{\"error\":{\"message\":\"Rate limited\",\"type\":\"requests\"}}");
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        AgentBrain.Speculation speculation = answeredSpeculation(conversation, "opening hours");
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true); // the client has read the failure by then

        // when / then
        assertThat(speculation.confirm(recorder)).isNull();
        assertThat(recorder.failures).isEmpty();
        responses.add(sse(text("Nine to five.")));
        conversation.respond(new BrainInput.UserText("opening hours"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        assertThat(dialog(1)).containsExactly("user: opening hours");
    }

    @Test
    void givenTheDialogMovedOnSinceASpeculationStarted_whenItIsConfirmed_thenItIsRefused() {
        responses.add(sse(text("Nine to five.")));
        responses.add(sse(text("You pressed one.")));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        AgentBrain.Speculation speculation = conversation.speculate(new BrainInput.UserText("opening hours"));
        conversation.respond(new BrainInput.Dtmf("1"), recorder);

        assertThat(speculation.confirm(new Recorder())).isNull();
    }

    @Test
    void givenAReplyCutBeforeItsStreamEnded_whenTheCallerGoesOn_thenTheDialogHasWhatWasHeardInItsPlace() {
        // given an answered turn, and a reply the caller cuts while it still streams
        responses.add(sse(text("Hello there.")));
        responses.add("HOLD" + "data: " + text("Once upon a time.") + "\n\n");
        responses.add(sse(text("Sure.")));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        conversation.respond(new BrainInput.UserText("hi"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));
        Recorder story = new Recorder();
        AgentBrain.Reply reply = conversation.respond(new BrainInput.UserText("tell me a story"), story);
        await().atMost(Duration.ofSeconds(5)).until(() -> !story.events.isEmpty());

        // when
        reply.cancel();
        conversation.interrupted("Once upon a time.");
        conversation.respond(new BrainInput.UserText("stop"), new Recorder());

        // then the earlier reply is untouched and the cut one is what the caller heard of it
        await().atMost(Duration.ofSeconds(5)).until(() -> requests.size() == 3);
        assertThat(dialog(2)).containsExactly("user: hi", "assistant: Hello there.", "user: tell me a story",
                "assistant: Once upon a time.", "user: stop");
    }

    @Test
    void givenAReplyStreaming_whenItIsCancelled_thenItsConnectionIsClosedAndTheServerCannotWriteOn() {
        // given
        responses.add("HOLD" + "data: " + text("Once upon a time.") + "\n\n");
        AgentBrain.Reply reply = conversation(Duration.ofSeconds(5)).respond(new BrainInput.UserText("a story"),
                recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.events.isEmpty());

        // when
        reply.cancel();

        // then: the server's next writes fail (a client that only closed the body would read on, and the model
        // would generate the whole reply)
        await().atMost(Duration.ofSeconds(3)).untilTrue(abandoned);
        assertThat(recorder.events).containsExactly("text:Once upon a time.");
    }

    @Test
    void givenAReplyStreaming_whenItIsCancelled_thenItsReaderEndsQuietlyWithoutAnUncaughtException() {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
        try {
            // given a reply whose stream the reader is blocked on
            responses.add("HOLD" + "data: " + text("Once upon a time.") + "\n\n");
            AgentBrain.Reply reply = conversation(Duration.ofSeconds(5)).respond(new BrainInput.UserText("a story"),
                    recorder);
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5))
                    .until(() -> !recorder.events.isEmpty());

            // when
            reply.cancel();

            // then the abort ends the read without a thread dying of it, and the listener hears nothing more
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(3)).untilTrue(abandoned);
            await().dontCatchUncaughtExceptions().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(uncaught::isEmpty);
            assertThat(recorder.events).containsExactly("text:Once upon a time.");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void givenToolCallsCutBeforeTheirResultsWentBack_whenTheCallerGoesOn_thenTheyAreAnsweredAsInterrupted() {
        responses.add(sse(PREFIX + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
                + "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{}\"}}]}"
                + SUFFIX));
        responses.add(sse(text("Okay.")));
        AgentBrain.Conversation conversation = conversation(Duration.ofSeconds(5));
        conversation.respond(new BrainInput.UserText("look it up"), recorder);
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("done"));

        conversation.interrupted("");
        conversation.respond(new BrainInput.UserText("never mind"), new Recorder());

        await().atMost(Duration.ofSeconds(5)).until(() -> requests.size() == 2);
        assertThat(dialog(1)).containsExactly("user: look it up", "assistant: null",
                "tool: {\"interrupted\":\"the caller spoke before this result was used; whether the tool ran is not "
                        + "known\"}", "user: never mind");
        assertThat(requests.get(1)).contains("\"tool_call_id\":\"call_1\"");
    }

    /** A speculation on {@code words} whose response the server has written (and so sent) in full. */
    private AgentBrain.Speculation answeredSpeculation(AgentBrain.Conversation conversation, String words) {
        AgentBrain.Speculation speculation = conversation.speculate(new BrainInput.UserText(words));
        await().atMost(Duration.ofSeconds(5)).until(() -> answered.get() == 1);
        return speculation;
    }

    private static String text(String content) {
        return PREFIX + "{\"content\":\"" + content + "\"}" + SUFFIX;
    }

    /** The messages of the n-th request, as {@code role: content}. */
    private List<String> dialog(int request) {
        String body = requests.get(request);
        JsonNode messages = JsonMapper.builder().build().readTree(body.substring(0, body.lastIndexOf("|encoding=")))
                .path("messages");
        List<String> lines = new java.util.ArrayList<>();
        messages.forEach(m -> lines.add(m.path("role").asString("") + ": " + (m.path("content").isNull() ? "null"
                : m.path("content").asString(""))));
        return lines;
    }

    /** Records a reply. */
    static final class Recorder implements AgentBrain.ReplyListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void text(String delta) {
            events.add("text:" + delta);
        }

        @Override
        public void toolCall(AgentBrain.ToolCall call) {
            events.add("tool:" + call.id() + " " + call.name() + " " + call.argumentsJson());
        }

        @Override
        public void done(boolean endCall) {
            events.add("done");
        }

        @Override
        public void failed(String error) {
            failures.add(error);
        }
    }
}
