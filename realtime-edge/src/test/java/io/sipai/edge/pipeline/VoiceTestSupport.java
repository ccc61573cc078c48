package io.sipai.edge.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The booking agent the voice tests call, and how to publish it on {@code agent.config.v1}. */
final class VoiceTestSupport {

    static final String SCRIPT = """
            {
              "greeting": "Hello, this is the clinic. How can I help you?",
              "slots": {
                "day": {"values": ["today", "tomorrow", "monday", "friday"]},
                "hour": {"values": ["nine", "ten", "eleven", "noon"]}
              },
              "start": "main",
              "states": {
                "main": {"intents": [
                  {"name": "book", "phrases": ["i would like to book an appointment", "book an appointment"],
                   "reply": "Sure. What day and time would suit you?", "goto": "when"}]},
                "when": {"intents": [
                  {"name": "time", "patterns": ["{day} at {hour}"],
                   "reply": "So {day} at {hour}. Shall I book it?", "goto": "confirm"}]},
                "confirm": {"intents": [
                  {"name": "yes", "phrases": ["yes", "yeah", "correct"],
                   "tool": {"name": "book_appointment", "arguments": {"day": "{day}", "hour": "{hour}"}},
                   "reply": "You are booked for {day} at {hour}. Your reference is {reference}. Goodbye.",
                   "end": true},
                  {"name": "no", "phrases": ["no"], "reply": "Which day and time then?", "goto": "when"}]}
              },
              "global": [{"name": "bye", "phrases": ["goodbye"], "reply": "Goodbye.", "end": true}]
            }""";

    private VoiceTestSupport() {
    }

    static AgentConfig agent(String agentId, String toolUrl, String script) {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        return AgentConfig.newBuilder().setAgentId(agentId).setTenantId("acme").setVersion(1)
                .setUpdatedAt(Instant.now()).setName("booking").setAsr(offline).setLlm(offline).setTts(offline)
                .setTools(List.of(ToolDefinition.newBuilder().setName("book_appointment")
                        .setDescription("Books an appointment").setParametersJsonSchema("{\"type\":\"object\"}")
                        .setKind(ToolKind.HTTP).setUrl(toolUrl).setTimeoutMs(3000).build()))
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build())
                .setScriptJson(script).build();
    }

    static void publish(AgentConfig agent) {
        TestKafka.ensureTopics();
        try (KafkaProducer<String, AgentConfig> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.brokers()), new StringSerializer(),
                Topics.AGENT_CONFIG.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.AGENT_CONFIG.name(), agent.getAgentId(), agent));
        }
    }
}
