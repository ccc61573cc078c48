package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Every problem type the gateway can answer is in the error table of docs/api.md, with its status. */
class ProblemTypesDocumentedTest {

    @Test
    void givenTheProblemTypes_whenDocsApiMdIsRead_thenEachHasARowWithItsStatus() throws IOException {
        // given
        String docs = Files.readString(Path.of("../docs/api.md"), StandardCharsets.UTF_8);
        // then
        assertThat(Arrays.stream(ProblemType.values()).filter(type -> !docs.contains(
                "| `" + type.uri().toString().substring(ProblemType.BASE.length()) + "` | "
                        + type.status().value() + " |")).map(ProblemType::name)).isEmpty();
    }
}
