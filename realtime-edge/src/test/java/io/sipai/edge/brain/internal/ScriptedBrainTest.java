package io.sipai.edge.brain.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.sipai.edge.asr.internal.JsgfGrammar;
import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.brain.Script;
import org.junit.jupiter.api.Test;

/** The scripted brain runs a dialog deterministically: intents, slots, tools, replies with values, end of call. */
class ScriptedBrainTest {

    private static final String SCRIPT = """
            {"greeting": "Hi. How can I help?",
             "slots": {"day": {"values": ["today", "tomorrow"]}, "hour": {"values": ["nine", "ten"]}},
             "states": {
               "main": {"intents": [
                 {"name": "book", "phrases": ["book an appointment"], "reply": "When?", "goto": "when"},
                 {"name": "menu", "dtmf": "1", "reply": "You pressed one."}]},
               "when": {"intents": [
                 {"name": "time", "patterns": ["{day} at {hour}"], "reply": "{day} at {hour}?", "goto": "confirm"}]},
               "confirm": {"intents": [
                 {"name": "yes", "phrases": ["yes"], "tool": {"name": "book", "arguments": {"day": "{day}"}},
                  "reply": "Booked, reference {reference}.", "end": true}]}},
             "global": [{"name": "bye", "phrases": ["goodbye"], "reply": "Bye.", "end": true}]}""";

    private final ScriptedBrain.ScriptedConversation conversation =
            new ScriptedBrain.ScriptedConversation(Script.parse(SCRIPT), null);

    private List<String> say(BrainInput input) {
        List<String> out = new ArrayList<>();
        conversation.respond(input, new AgentBrain.ReplyListener() {
            @Override
            public void text(String delta) {
                out.add(delta);
            }

            @Override
            public void toolCall(AgentBrain.ToolCall call) {
                out.add("tool " + call.name() + " " + call.argumentsJson());
            }

            @Override
            public void done(boolean endCall) {
                out.add(endCall ? "END" : "done");
            }

            @Override
            public void failed(String error) {
                out.add("failed " + error);
            }
        });
        return out;
    }

    @Test
    void aBookingDialogFillsSlotsCallsTheToolAndEnds() {
        assertThat(say(new BrainInput.Start())).containsExactly("Hi. How can I help?", "done");
        assertThat(say(new BrainInput.UserText("I would like to book an appointment please")))
                .containsExactly("When?", "done");
        assertThat(say(new BrainInput.UserText("Tomorrow at ten."))).containsExactly("tomorrow at ten?", "done");
        assertThat(say(new BrainInput.UserText("yes"))).containsExactly("tool book {\"day\":\"tomorrow\"}", "done");
        AgentBrain.ToolCall call = new AgentBrain.ToolCall("script-1", "book", "{}");
        assertThat(say(new BrainInput.ToolResults(List.of(new AgentBrain.ToolResult(call, true,
                "{\"reference\":\"A12\"}"))))).containsExactly("Booked, reference A12.", "END");
    }

    @Test
    void unknownInputGetsTheNoMatchReplyAndKeepsTheState() {
        assertThat(say(new BrainInput.UserText("what is the weather"))).containsExactly(
                "Sorry, I did not catch that. Could you say it again?", "done");
        assertThat(conversation.state()).isEqualTo("main");
    }

    @Test
    void digitsAndGlobalIntentsMatch() {
        assertThat(say(new BrainInput.Dtmf("1"))).containsExactly("You pressed one.", "done");
        assertThat(say(new BrainInput.UserText("ok goodbye"))).containsExactly("Bye.", "END");
    }

    @Test
    void aFailedToolGivesTheToolErrorReply() {
        say(new BrainInput.UserText("book an appointment"));
        say(new BrainInput.UserText("today at nine"));
        say(new BrainInput.UserText("yes"));
        AgentBrain.ToolCall call = new AgentBrain.ToolCall("script-1", "book", "{}");
        assertThat(say(new BrainInput.ToolResults(List.of(new AgentBrain.ToolResult(call, false, "{}")))))
                .containsExactly("Sorry, something went wrong on my side.", "done");
    }

    @Test
    void theGrammarListsEveryPhraseAndPatternWithSlotValues() {
        assertThat(JsgfGrammar.of(Script.parse(SCRIPT))).contains("public <utterance> = goodbye",
                "| book an appointment", "| <slot_day> at <slot_hour>", "| yes;", "<slot_day> = today | tomorrow;");
    }

    @Test
    void aScriptWithAnUnknownStateOrSlotIsRefused() {
        assertThatThrownBy(() -> Script.parse("{\"states\":{\"a\":{\"intents\":[{\"goto\":\"b\"}]}}}"))
                .hasMessageContaining("unknown state 'b'");
        assertThatThrownBy(() -> Script.parse("{\"states\":{\"a\":{\"intents\":[{\"patterns\":[\"{x}\"]}]}}}"))
                .hasMessageContaining("slot 'x'");
        assertThatThrownBy(() -> Script.parse("not json")).hasMessageContaining("not valid JSON");
    }
}
