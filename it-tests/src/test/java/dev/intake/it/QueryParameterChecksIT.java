package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A query string means exactly one thing or is refused: an empty value is not "no filter", a repeated single-valued
 * parameter is not "the first one". Each answer is a 400 naming the parameter.
 */
@ExtendWith(ContractChecked.class)
class QueryParameterChecksIT {
    static final TestServer SERVER = TestServer.shared();
    static final String SESSIONS = "/apis/intake/v2/workspaces/qpc/experiments/exp/sessions";
    static final String EXPERIMENTS = "/apis/intake/v2/workspaces/qpc/experiments";

    @BeforeAll
    static void ready() {
        SERVER.awaitReady(Duration.ofSeconds(60));
        Experiments.create(SERVER.http(), "qpc", "exp");
    }

    @ParameterizedTest(name = "{0}?{1} -> 400 naming {2}")
    @CsvSource(delimiter = '|', value = {
            SESSIONS + "|status=|status|must not be empty",
            SESSIONS + "|test_case_id=|test_case_id|must not be empty",
            SESSIONS + "|page=|page|must not be empty",
            SESSIONS + "|page_size=|page_size|must not be empty",
            SESSIONS + "|page=&page=abc|page|must not be empty",
            SESSIONS + "|page=1&page=2|page|must be given at most once",
            SESSIONS + "|page_size=1&page_size=1000000|page_size|must be given at most once",
            SESSIONS + "|status=error&status=success|status|must be given at most once",
            EXPERIMENTS + "|name=|name|must not be empty",
            EXPERIMENTS + "|sort=name&sort=-name|sort|must be given at most once",
    })
    void emptyOrRepeatedIs400NamingTheParameter(String path, String query, String parameter, String message) {
        Http.Response r = SERVER.http().get(path + "?" + query);

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly(parameter);
        assertThat(r.json().get("errors").get(0).get("message").asText()).startsWith(message);
        assertThat(r.json().get("detail").asText()).contains(parameter);
    }

    @Test
    void everyOffenderIsNamedInOneAnswer() {
        Http.Response r = SERVER.http().get(SESSIONS + "?status=&page=1&page=2&colour=red");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("colour", "page", "status");
    }

    @Test
    void singleValuesStillWork() {
        assertThat(SERVER.http().get(SESSIONS + "?status=error&page=1&page_size=5&test_case_id=c").status()).isEqualTo(200);
    }
}
