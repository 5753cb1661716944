package dev.intake.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswersTest {
    private final Answers answers = new Answers(16 * 1024);

    @Test
    void aBodyWrittenWholeIsCopiedAsWrittenAndPassedOnUnchanged() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Answers.Copy out = answers.copying(sent);
        out.write("{\"data\":".getBytes(StandardCharsets.UTF_8));
        out.write('[');
        out.write("]}".getBytes(StandardCharsets.UTF_8), 0, 2);

        assertThat(new String(out.copied(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
        assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
    }

    @Test
    void aBodyLargerThanASixteenthOfTheCacheIsNotCopiedButStillSent() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Answers.Copy out = answers.copying(sent);
        out.write(new byte[1024]);
        out.write(new byte[1]);

        assertThat(out.copied()).isNull();
        assertThat(sent.size()).isEqualTo(1025);
    }

    @Test
    void anAnswerIsFoundByItsKeyWithItsVersion() {
        answers.put("/a?\n", new Answers.Answer(7, "application/json", new byte[] {1}));

        assertThat(answers.get("/a?\n").version()).isEqualTo(7);
        assertThat(answers.get("/b?\n")).isNull();
    }
}
