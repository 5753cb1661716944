package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Error answers describe the request that failed: its own id (also in the header) and path. */
@ExtendWith(ContractChecked.class)
class ProblemDocumentsIT {
    static final TestServer SERVER = TestServer.shared();

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void eachProblemCarriesItsOwnRequestIdAndPath() {
        Http.Response first = SERVER.http().get("/apis/intake/v2/workspaces/w1/experiments/none-1");
        Http.Response second = SERVER.http().get("/apis/intake/v2/workspaces/w2/experiments/none-2?page=x");

        assertThat(first.status()).isEqualTo(404);
        assertThat(second.status()).isEqualTo(400);
        assertThat(first.json().get("instance").asText()).isEqualTo("/apis/intake/v2/workspaces/w1/experiments/none-1");
        assertThat(second.json().get("instance").asText()).isEqualTo("/apis/intake/v2/workspaces/w2/experiments/none-2");
        assertThat(first.json().get("request_id").asText()).isNotEqualTo(second.json().get("request_id").asText());
        assertThat(first.headers().firstValue("X-Request-Id")).hasValue(first.json().get("request_id").asText());
    }

    @Test
    void aSaneCallerRequestIdIsKept() {
        Http.Response r = SERVER.http().withHeader("X-Request-Id", "trace-abc.123")
                .get("/apis/intake/v2/workspaces/w1/experiments/none-3");

        assertThat(r.json().get("request_id").asText()).isEqualTo("trace-abc.123");
    }
}
