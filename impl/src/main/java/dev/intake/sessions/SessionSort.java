package dev.intake.sessions;

import dev.intake.api.model.ProblemCode;
import dev.intake.api.model.ProblemFieldLocation;
import dev.intake.store.Params;
import dev.intake.web.ApiProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order of a session list: up to three keys (each ascending or descending, nulls last either way), then the
 * tie-breaks started_at, root_span_id, session_id ascending, so every order is total. Keys map to column
 * expressions from a fixed whitelist; an evaluator name is a bound parameter, never SQL text.
 */
final class SessionSort {
    static final int MAX_KEYS = 3;
    private static final String SCORE_PREFIX = "evaluator_scores.";

    /** What a key sorts by: a whitelisted column expression of the session index. */
    enum Field {
        STARTED_AT("started_at", "started_at", false),
        ENDED_AT("ended_at", "ended_at", true),
        LATENCY_MS("latency_ms", "latency_ms", true),
        STATUS("status", "status", false),
        // '' is how the index stores "no test case"; the list shows null, so it sorts last like every null
        TEST_CASE_ID("test_case_id", "nullIf(test_case_id, '')", true),
        COST_TOTAL_USD("cost_total_usd", "cost_micro_usd", true),
        INPUT_TOKENS("input_tokens", "input_tokens", true),
        OUTPUT_TOKENS("output_tokens", "output_tokens", true),
        CACHED_TOKENS("cached_tokens", "cached_tokens", true),
        TOTAL_TOKENS("total_tokens", "total_tokens", true),
        // the map answers 0 for a missing key; a session without the evaluator must read NULL (and sort last)
        EVALUATOR_SCORE(null, "if(mapContains(evaluator_scores, :P), evaluator_scores[:P], NULL)", true),
        ROOT_SPAN_ID("root_span_id", "root_span_id", false),
        SESSION_ID("session_id", "session_id", false);

        final String key;
        final String expression;
        final boolean nullable;

        Field(String key, String expression, boolean nullable) {
            this.key = key;
            this.expression = expression;
            this.nullable = nullable;
        }
    }

    /** One key of the order; {@code evaluator} is set for {@link Field#EVALUATOR_SCORE} only. */
    record Key(Field field, String evaluator, boolean descending) {
        String name() {
            return field == Field.EVALUATOR_SCORE ? SCORE_PREFIX + evaluator : field.key;
        }

        String echo() {
            return (descending ? "-" : "") + name();
        }
    }

    static final SessionSort DEFAULT = new SessionSort(List.of(new Key(Field.STARTED_AT, null, false)));

    private final List<Key> all;

    private SessionSort(List<Key> requested) {
        List<Key> keys = new ArrayList<>(requested);
        Set<Field> present = new HashSet<>();
        requested.forEach(k -> present.add(k.field()));
        for (Field tie : List.of(Field.STARTED_AT, Field.ROOT_SPAN_ID, Field.SESSION_ID)) {
            if (!present.contains(tie)) {
                keys.add(new Key(tie, null, false));
            }
        }
        this.all = List.copyOf(keys);
    }

    /**
     * Parses the {@code sort} parameter; null means the default order. The order a page states ({@link #echo()})
     * parses back to the same order: its trailing tie-breaks {@code started_at} and {@code root_span_id} do not
     * count toward the three keys.
     *
     * @throws ApiProblemException 400 naming an unknown or repeated key, or more than three keys
     */
    public static SessionSort parse(String sort) {
        if (sort == null) {
            return DEFAULT;
        }
        String[] parts = sort.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            // spaces around a key are allowed ("a, b"), other whitespace is not: exactly the spec's pattern
            parts[i] = parts[i].replaceAll("^ +| +$", "");
        }
        int requested = parts.length;
        for (Field tie : List.of(Field.ROOT_SPAN_ID, Field.STARTED_AT)) {
            if (requested > MAX_KEYS && parts[requested - 1].equals(tie.key)) {
                requested--;
            }
        }
        if (requested > MAX_KEYS) {
            throw invalid("at most " + MAX_KEYS + " sort keys (then the tie-breaks started_at, root_span_id), got "
                    + parts.length + ": '" + sort + "'");
        }
        List<Key> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : parts) {
            boolean descending = part.startsWith("-");
            String name = descending ? part.substring(1) : part;
            Key key = key(name, descending);
            if (!seen.add(key.name())) {
                throw invalid("sort key '" + name + "' is repeated");
            }
            keys.add(key);
        }
        return new SessionSort(keys);
    }

    private static Key key(String name, boolean descending) {
        if (name.startsWith(SCORE_PREFIX) && name.length() > SCORE_PREFIX.length()) {
            return new Key(Field.EVALUATOR_SCORE, name.substring(SCORE_PREFIX.length()), descending);
        }
        for (Field f : Field.values()) {
            // root_span_id is accepted so that the order a page states (it lists that tie-break) can be sent back
            if (f.key != null && f.key.equals(name) && f != Field.SESSION_ID) {
                return new Key(f, null, descending);
            }
        }
        throw invalid("unknown sort key '" + name + "'; keys: started_at, ended_at, latency_ms, status, test_case_id,"
                + " cost_total_usd, input_tokens, output_tokens, cached_tokens, total_tokens, root_span_id,"
                + " evaluator_scores.<evaluator name>");
    }

    private static ApiProblemException invalid(String message) {
        return ApiProblemException.badRequest(ProblemCode.INVALID_PARAMETER, "Invalid sort: " + message + ".",
                List.of(new ApiProblemException.FieldError("sort", message, ProblemFieldLocation.QUERY)));
    }

    /** Whether this is the session index's own order (started_at, root_span_id, session_id ascending). */
    boolean isIndexOrder() {
        return all.size() == 3 && all.get(0).field() == Field.STARTED_AT && !all.get(0).descending();
    }

    /** Every key of the order, the tie-breaks included. */
    List<Key> keys() {
        return all;
    }

    /**
     * The effective order as the page states it: the requested keys, then the tie-breaks started_at and
     * root_span_id not already listed (session_id, the last tie-break, is documented, not echoed).
     */
    public String echo() {
        List<String> names = new ArrayList<>();
        for (Key k : all) {
            if (k.field() != Field.SESSION_ID) {
                names.add(k.echo());
            }
        }
        return String.join(",", names);
    }

    /** A stable text naming this order (every key), for a cursor's fingerprint. */
    String canonical() {
        return String.join(",", all.stream().map(Key::echo).toList());
    }

    /** The placeholder of key {@code i}'s evaluator name. */
    static String evaluatorParameter(int i) {
        return "sort_evaluator_" + i;
    }

    /** The SQL expression of key {@code i} (an evaluator name is a placeholder). */
    String expression(int i) {
        return all.get(i).field().expression.replace(":P", ":" + evaluatorParameter(i));
    }

    /** The ORDER BY list: every key, nulls last in both directions. */
    public String orderBy() {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            terms.add(expression(i) + (all.get(i).descending() ? " DESC" : " ASC") + " NULLS LAST");
        }
        return String.join(", ", terms);
    }

    /**
     * The exact reverse of {@link #orderBy()} (nulls first): reading the last rows of the order first, a page near
     * the end is a short read from the other end.
     */
    String reversedOrderBy() {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            terms.add(expression(i) + (all.get(i).descending() ? " ASC" : " DESC") + " NULLS FIRST");
        }
        return String.join(", ", terms);
    }

    /** Binds the evaluator names of the keys that sort by a score. */
    void bind(Params params) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).field() == Field.EVALUATOR_SCORE) {
                params.with(evaluatorParameter(i), all.get(i).evaluator());
            }
        }
    }
}
