package dev.intake.store;

import java.util.List;

/** Answers "can the store serve requests right now?" with a live, cheap statement. */
public final class StoreProbe {
    /** The outcome of one probe; {@code problem} is null when ready. */
    public record Result(boolean ready, String problem) {
    }

    private final Store store;
    private final SchemaState schema;
    private final Sql ping = Sql.load(StoreProbe.class, "ping.sql");

    public StoreProbe(Store store, SchemaState schema) {
        this.store = store;
        this.schema = schema;
    }

    public Result check() {
        if (!schema.isApplied()) {
            return new Result(false, "ClickHouse: " + schema.describe());
        }
        try {
            List<Integer> one = store.queryUnchecked(ping, Params.of(), rs -> rs.getInt(1));
            return one.equals(List.of(1)) ? new Result(true, null) : new Result(false, "ClickHouse answered unexpectedly");
        } catch (StoreUnavailableException e) {
            return new Result(false, "ClickHouse unreachable: " + StoreFailure.rootMessage(e));
        } catch (StoreRejectedException e) {
            return new Result(false, "ClickHouse refused the probe: " + StoreFailure.rootMessage(e));
        }
    }
}
