package dev.intake.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Experiment fixtures and unique names, so tests sharing a server never see each other's data. */
final class Experiments {
    private Experiments() {
    }

    static String uniqueWorkspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> request(String name) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("agent_name", "test-agent");
        r.put("agent_version", "1.0.0");
        r.put("dataset_name", "dataset-a");
        return r;
    }

    /** Creates the experiment through the API and checks it was created. */
    static void create(Http http, String workspace, String name) {
        Http.Response r = http.post("/apis/intake/v2/workspaces/" + workspace + "/experiments", request(name));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** Ingests a trajectory through the API and checks it was stored. */
    static Http.Response ingest(Http http, String workspace, Trajectories t) {
        Http.Response r = http.post("/apis/intake/v2/workspaces/" + workspace + "/ingest/atif", t.json());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r;
    }

    /** Ingests trajectories with one batch request and checks they were stored. */
    static void ingestAll(Http http, String workspace, List<Trajectories> trajectories) {
        Http.Response r = http.post("/apis/intake/v2/workspaces/" + workspace + "/ingest/atif/batch",
                Map.of("trajectories", trajectories.stream().map(Trajectories::json).toList()));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
}
