package dev.intake.analysis;

import dev.intake.api.model.ExperimentSessionFilter;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import java.util.Map;

/**
 * What the statistics need from the session list: the sessions it would return with the same filters, parsed as
 * it parses them (the same 400s), as SQL parts for the statistics' own templates; so both select the same set.
 */
@FunctionalInterface
public interface SessionSelections {
    Selected select(String workspace, String experimentName, ExperimentSessionFilter filters);

    /**
     * @param sqlParts the text of each marker comment a template may hold (the key range, the filters, the order)
     * @param params   the values of their placeholders
     * @param filters  the filters as understood, for the answer's echo
     */
    record Selected(Map<String, String> sqlParts, Params params, ExperimentSessionFilter filters) {
        /** The template {@code file} beside {@code owner}, with the parts in place of the markers it holds. */
        Sql compose(Class<?> owner, String file) {
            return Sql.compose(owner, file, sqlParts);
        }
    }
}
