package dev.intake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private final Topology cluster = Topology.cluster("c1");

    @Test
    void aSingleNodeRunsEveryStatementAsWritten() {
        String ddl = "-- why\nCREATE TABLE IF NOT EXISTS spans (a String) ENGINE = MergeTree ORDER BY a";
        assertThat(Topology.singleNode().statements("f", ddl)).containsExactly(ddl);
    }

    @Test
    void aClusterTableBecomesAReplicatedLocalTableBehindADistributedOne() {
        List<String> out = cluster.statements("f",
                "-- comment\nCREATE TABLE IF NOT EXISTS spans (\n  a String -- why\n) ENGINE = ReplacingMergeTree(v, d)\nORDER BY a");
        assertThat(out).containsExactly(
                "CREATE TABLE IF NOT EXISTS spans_local ON CLUSTER 'c1' (\n  a String -- why\n) ENGINE = "
                        + "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', v, d)\nORDER BY a",
                "CREATE TABLE IF NOT EXISTS spans ON CLUSTER 'c1' AS spans_local ENGINE = Distributed('c1', "
                        + "currentDatabase(), 'spans_local', cityHash64(workspace, session_id))");
    }

    @Test
    void columnChangesReachTheDistributedTableAndOtherAltersOnlyTheLocalOne() {
        assertThat(cluster.statements("f", "ALTER TABLE spans ADD COLUMN IF NOT EXISTS x String"))
                .containsExactly("ALTER TABLE spans_local ON CLUSTER 'c1' ADD COLUMN IF NOT EXISTS x String",
                        "ALTER TABLE spans ON CLUSTER 'c1' ADD COLUMN IF NOT EXISTS x String");
        assertThat(cluster.statements("f", "ALTER TABLE spans MODIFY TTL toDateTime(start_time) + toIntervalDay(?)"))
                .containsExactly("ALTER TABLE spans_local ON CLUSTER 'c1' MODIFY TTL toDateTime(start_time) + toIntervalDay(?)");
    }

    @Test
    void aViewFiresOnTheLocalTableAndWritesThroughTheDistributedOne() {
        assertThat(cluster.statements("f", "CREATE MATERIALIZED VIEW IF NOT EXISTS v TO counters AS\n"
                + "SELECT workspace, 1 AS n\nFROM experiment_sessions\nARRAY JOIN x AS y"))
                .containsExactly("CREATE MATERIALIZED VIEW IF NOT EXISTS v ON CLUSTER 'c1' TO counters AS\n"
                        + "SELECT workspace, 1 AS n\nFROM experiment_sessions_local\nARRAY JOIN x AS y");
    }

    @Test
    void whatItDoesNotUnderstandFailsLoudlyInsteadOfRunningHalfTranslated() {
        assertThatThrownBy(() -> cluster.statements("V099__x.sql", "DROP TABLE spans"))
                .hasMessageContaining("V099__x.sql").hasMessageContaining("not understood");
        assertThatThrownBy(() -> cluster.statements("V099__x.sql",
                "CREATE TABLE IF NOT EXISTS unknown_table (a String) ENGINE = MergeTree() ORDER BY a"))
                .hasMessageContaining("no sharding key");
        assertThatThrownBy(() -> Topology.cluster("c1' ; DROP")).isInstanceOf(IllegalArgumentException.class);
    }
}
