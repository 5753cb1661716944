package dev.intake.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.api.model.ExperimentSessionResponse;
import dev.intake.api.model.ExperimentSessionResponsesPage;
import dev.intake.api.model.PaginationData;
import dev.intake.api.model.SessionMode;
import dev.intake.api.model.SessionPagination;
import dev.intake.web.ApiJson;
import dev.intake.web.Pages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process part of a sessions request for a 100-row page: mapping the index rows to the wire model
 * ({@link SessionMapper}, package-private, hence this package) and writing the page with the app's ObjectMapper.
 * Rows have the corpus's shape: a 400-character input, token and cost sums, two evaluator scores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionPageBenchmark {
    private static final int ROWS = 100;

    private List<SessionRow> rows;
    private ExperimentSessionResponsesPage page;
    private ObjectMapper json;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        rows = new ArrayList<>(ROWS);
        Instant start = Instant.parse("2026-11-20T10:00:00.123456Z");
        for (int i = 0; i < ROWS; i++) {
            String id = UUID.nameUUIDFromBytes(("s" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            Instant at = start.plusMillis(i * 1234L);
            rows.add(new SessionRow(id, "case-" + (i % 50), id, "span-" + id, at, at.plusMillis(40_000),
                    40_000.0, i % 12 == 0 ? "error" : "success", text(rnd, 400), text(rnd, 200),
                    40_000L + rnd.nextLong(80_000),
                    6_000L + rnd.nextLong(6_000), rnd.nextLong(20_000), 120_000L + rnd.nextLong(200_000),
                    Map.of("quality", rnd.nextDouble(), "safety", rnd.nextDouble())));
        }
        json = ApiJson.create();
        page = page(mapRows());
    }

    @Benchmark
    public List<ExperimentSessionResponse> mapRows() {
        List<ExperimentSessionResponse> data = new ArrayList<>(ROWS);
        for (SessionRow row : rows) {
            data.add(SessionMapper.toResponse("load-testing", "deep-10000", row));
        }
        return data;
    }

    @Benchmark
    public byte[] serializePage() throws JsonProcessingException {
        return json.writeValueAsBytes(page);
    }

    @Benchmark
    public byte[] mapAndSerializePage() throws JsonProcessingException {
        return json.writeValueAsBytes(page(mapRows()));
    }

    private static ExperimentSessionResponsesPage page(List<ExperimentSessionResponse> data) {
        PaginationData p = Pages.pagination(1, ROWS, data.size(), 10_000);
        return new ExperimentSessionResponsesPage(data, new SessionPagination(p.getPage(), p.getPageSize(),
                p.getCurrentPageSize(), p.getTotalPages(), p.getTotalResults(), null), SessionSort.parse(null).echo(),
                new ExperimentSessionFilter(null, null, null, null, null, null, null, null, null, null, List.of(), null),
                SessionMode.DETAILED);
    }

    private static String text(SplittableRandom rnd, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (' ' + 1 + rnd.nextInt(94)));
        }
        return sb.toString();
    }
}
