package dev.intake.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AnswersTest {
    private final Answers answers = new Answers(16 * 1024);

    @Test
    void aBodyWrittenWholeIsCopiedAsWrittenAndPassedOnUnchanged() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        AtomicReference<byte[]> kept = new AtomicReference<>();
        OutputStream out = answers.copying(sent, kept::set);
        out.write("{\"data\":".getBytes(StandardCharsets.UTF_8));
        out.write('[');
        out.write("]}".getBytes(StandardCharsets.UTF_8), 0, 2);

        assertThat(kept.get()).as("not before the body is whole").isNull();
        Answers.finished(out);
        assertThat(new String(kept.get(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
        assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo("{\"data\":[]}");
    }

    @Test
    void aBodyLargerThanASixteenthOfTheCacheIsNotCopiedButStillSent() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        AtomicReference<byte[]> kept = new AtomicReference<>();
        OutputStream out = answers.copying(sent, kept::set);
        out.write(new byte[1024]);
        out.write(new byte[1]);
        Answers.finished(out);

        assertThat(kept.get()).isNull();
        assertThat(sent.size()).isEqualTo(1025);
    }

    @Test
    void anAnswerIsFoundByItsKeyWithItsVersion() {
        answers.put("/a?\n", new Answers.Answer(7, "application/json", new byte[] {1}));

        assertThat(answers.get("/a?\n").version()).isEqualTo(7);
        assertThat(answers.get("/b?\n")).isNull();
    }
}
