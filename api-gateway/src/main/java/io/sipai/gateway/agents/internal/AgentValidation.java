package io.sipai.gateway.agents.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.web.UrlField;
import io.sipai.schemas.telephony.TransferTarget;

/** Checks an {@link AgentSpec} before anything is written; the first problem is answered as 422 with its field. */
final class AgentValidation {

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> ASR = Set.of("offline", "deepgram", "sphinx", "vosk");
    private static final Set<String> LLM = Set.of("offline", "openai", "scripted");
    private static final Set<String> TTS = Set.of("offline", "deepgram", "flite", "marytts");

    private AgentValidation() {
    }

    static void check(AgentSpec spec) {
        if (spec.name() == null || spec.name().isBlank()) {
            throw ApiException.invalid("name", "is required");
        }
        length("name", spec.name(), 200);
        length("greeting", spec.greeting(), 2_000);
        length("systemPrompt", spec.systemPrompt(), 32_000);
        length("voice", spec.voice(), 100);
        length("script", spec.script(), 32_000);
        if (spec.language() != null && !LANGUAGE.matcher(spec.language()).matches()) {
            throw ApiException.invalid("language", "must be a BCP 47 tag such as en-US");
        }
        provider("asr", spec.asr(), ASR);
        provider("llm", spec.llm(), LLM);
        provider("tts", spec.tts(), TTS);
        tools(spec.tools());
        if (spec.bargeIn() != null) {
            range("bargeIn.minSpeechMs", spec.bargeIn().minSpeechMs(), 0, 5_000);
            range("bargeIn.backchannelMs", spec.bargeIn().backchannelMs(), 0, 5_000);
        }
        if (spec.endpointing() != null) {
            range("endpointing.silenceMs", spec.endpointing().silenceMs(), 100, 5_000);
            range("endpointing.pauseMs", spec.endpointing().pauseMs(), 0, 5_000);
            Integer pause = spec.endpointing().pauseMs();
            int silence = spec.endpointing().silenceMs() == null ? 700 : spec.endpointing().silenceMs();
            if (pause != null && pause > 0 && pause >= silence) {
                throw ApiException.invalid("endpointing.pauseMs", "must be below endpointing.silenceMs ("
                        + silence + "), or 0");
            }
            Float db = spec.endpointing().vadThresholdDb();
            if (db != null && (db < -90 || db > 0)) {
                throw ApiException.invalid("endpointing.vadThresholdDb", "must be between -90 and 0");
            }
        }
        range("silencePromptMs", spec.silencePromptMs(), 1_000, 120_000);
        range("silenceHangupMs", spec.silenceHangupMs(), 1_000, 120_000);
        range("maxDurationSec", spec.maxDurationSec(), 10, 14_400);
        analysis(spec.analysis());
        if (spec.voicemail() != null) {
            spec.voicemail().validate("voicemail");
        }
    }

    private static void analysis(AgentSpec.Analysis analysis) {
        if (analysis == null) {
            return;
        }
        length("analysis.summaryPrompt", analysis.summaryPrompt(), 4_000);
        length("analysis.successCriteria", analysis.successCriteria(), 4_000);
        if (analysis.structuredData() != null && !analysis.structuredData().isNull()) {
            if (!analysis.structuredData().isObject()
                    || !analysis.structuredData().path("type").isString()
                    || !"object".equals(analysis.structuredData().path("type").asString())
                    || !analysis.structuredData().path("properties").isObject()) {
                throw ApiException.invalid("analysis.structuredData", "must be a JSON Schema object with "
                        + "\"type\": \"object\" and \"properties\"");
            }
            length("analysis.structuredData", analysis.structuredData().toString(), 16_000);
        }
    }

    private static void tools(List<AgentSpec.Tool> tools) {
        if (tools == null) {
            return;
        }
        if (tools.size() > 32) {
            throw ApiException.invalid("tools", "at most 32 tools");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            AgentSpec.Tool tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (tool == null) {
                throw ApiException.invalid(at, "must be an object");
            }
            if (tool.name() == null || !TOOL_NAME.matcher(tool.name()).matches()) {
                throw ApiException.invalid(at + ".name", "1-64 letters, digits, _ or -");
            }
            if (!names.add(tool.name())) {
                throw ApiException.invalid(at + ".name", "duplicate tool name " + tool.name());
            }
            if (tool.description() == null || tool.description().isBlank()) {
                throw ApiException.invalid(at + ".description", "is required");
            }
            length(at + ".description", tool.description(), 1_000);
            if (tool.type() == null) {
                throw ApiException.invalid(at + ".type", "is required: http, end_call, transfer_call or send_dtmf");
            }
            if (tool.parameters() != null && !tool.parameters().isObject()) {
                throw ApiException.invalid(at + ".parameters", "must be a JSON Schema object");
            }
            if (tool.type() == AgentSpec.ToolType.HTTP) {
                httpsUrl(at + ".url", tool.url());
            } else if (tool.type() == AgentSpec.ToolType.TRANSFER_CALL) {
                transferTarget(at + ".url", tool.url());
            } else if (tool.url() != null) {
                throw ApiException.invalid(at + ".url", "only http and transfer_call tools have a url");
            }
            range(at + ".timeoutMs", tool.timeoutMs(), 100, 30_000);
        }
    }

    /** A transfer tool's fixed target; optional (without one the edge answers the tool with an error). */
    private static void transferTarget(String field, String url) {
        if (url != null && TransferTarget.parse(url).isEmpty()) {
            throw ApiException.invalid(field, "must be " + TransferTarget.EXPECTED);
        }
    }

    static void httpsUrl(String field, String url) {
        UrlField.check(field, url, Set.of("https"));
    }

    /** An unknown provider is 400 listing the known ones (an enum in all but name); a missing one is 422. */
    private static void provider(String field, AgentSpec.Provider provider, Set<String> allowed) {
        if (provider == null) {
            return;
        }
        if (provider.provider() == null) {
            throw ApiException.invalid(field + ".provider", "is required");
        }
        if (!allowed.contains(provider.provider())) {
            throw ApiException.notOneOf(field + ".provider", provider.provider(), allowed.stream().sorted().toList());
        }
        length(field + ".model", provider.model(), 200);
        if (provider.options() != null) {
            // Avro maps of strings cannot carry a null value: the publish would fail after validation.
            provider.options().forEach((name, value) -> {
                if (value == null) {
                    throw ApiException.invalid(field + ".options." + name, "must be a string, not null");
                }
            });
        }
    }

    private static void length(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.invalid(field, "must be at most " + max + " characters");
        }
    }

    private static void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ApiException.invalid(field, "must be between " + min + " and " + max);
        }
    }
}
