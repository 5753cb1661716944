package dev.intake.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.api.model.AtifTrajectory;
import dev.intake.api.model.ProblemCode;
import dev.intake.store.Params;
import dev.intake.store.Sql;
import dev.intake.store.Store;
import dev.intake.store.StoreRejectedException;
import dev.intake.store.Versions;
import dev.intake.web.ApiProblemException;
import dev.intake.web.LogFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes trajectories with a fixed number of statements whatever their size: insert all spans and all results as
 * one new generation, record the generation as complete, then publish the sessions' list rows: computed here for
 * sessions seen for the first time, else by retiring older generations and recomputing the rows from the store.
 * The index is written last, so a reader sees a session only once its spans and results are all stored; if
 * any statement fails, the index still shows the last complete copy (or nothing) and the client's retry converges.
 * Concurrent re-ingests of one session, from this or another instance, leave exactly one of them: the one whose
 * generation is the latest. Concurrent requests share these statements (group commit, see {@link GroupCommit}).
 */
final class IngestWriter {
    private static final Logger LOG = LoggerFactory.getLogger(IngestWriter.class);
    private static final Sql RETIRE_SPANS = Sql.load(IngestWriter.class, "retire-spans.sql");
    private static final Sql RETIRE_RESULTS = Sql.load(IngestWriter.class, "retire-results.sql");
    private static final Sql INSERT_SPANS = Sql.load(IngestWriter.class, "insert-spans.sql");
    private static final Sql INSERT_RESULTS = Sql.load(IngestWriter.class, "insert-results.sql");
    private static final Sql INSERT_GENERATIONS = Sql.load(IngestWriter.class, "insert-generations.sql");
    static final int MAX_GROUP_TRAJECTORIES = 1000;
    /** How many recently written sessions this instance remembers (about 100 bytes each). */
    static final int REMEMBERED_SESSIONS = 100_000;
    /** How many experiments seen live this instance remembers. */
    static final int REMEMBERED_EXPERIMENTS = 10_000;

    private final Store store;
    private final KnownExperiments experiments;
    private final SessionRows index;
    private final AtifMapper mapper;
    private final IngestObserver observer;
    private final GroupCommit<Request, List<MappedTrajectory>> groups;
    /**
     * Sessions this instance has written lately: writing one again is a re-ingest, so it skips the first-ingest
     * attempt, whose guard would refuse it anyway. Only a shortcut: a session written through another instance, or
     * forgotten, just makes the attempt.
     */
    private final RecentKeys recentlyWritten = new RecentKeys(REMEMBERED_SESSIONS);
    /**
     * Experiments this instance has lately seen live (a lookup answered yes, or a guarded publish wrote into them):
     * a write of new sessions skips their lookup, since its guarded publish checks them again (see writeGroup). A
     * name is never remembered as missing, so one created a moment ago is always found.
     */
    private final RecentKeys seenLive = new RecentKeys(REMEMBERED_EXPERIMENTS);

    IngestWriter(Store store, KnownExperiments experiments, SessionRows index, ObjectMapper json,
                        IngestObserver observer) {
        this.store = store;
        this.observer = observer;
        this.experiments = experiments;
        this.index = index;
        this.mapper = new AtifMapper(json);
        // a batch holds at most 1000 trajectories; a group of small requests stops there too, so no group's
        // statements are larger than the largest batch's
        this.groups = new GroupCommit<>(Request::workspace, Request::sessionIds, r -> r.trajectories().size(),
                MAX_GROUP_TRAJECTORIES, this::writeGroup, StoreRejectedException.class::isInstance,
                GroupCommit.MAX_LINGER);
    }

    /**
     * Maps and writes valid trajectories; all or nothing becomes visible. Requests that arrive while another
     * group of this workspace is being written are written together with one generation (see {@link GroupCommit}):
     * the same statements whatever the number of requests in the group.
     *
     * @param at the JSON path of each trajectory in the request body, for problems ({@code $}, or
     *           {@code $.trajectories[i]} in a batch)
     */
    List<MappedTrajectory> write(String workspace, List<AtifTrajectory> trajectories, IntFunction<String> at) {
        return groups.submit(new Request(workspace, trajectories, at, LogFields.currentRequestId()));
    }

    /**
     * One ingest request's write: its trajectories, the sessions they name (a group never holds one twice), and
     * its request id (a group's statements carry the id of the request that wrote it).
     */
    private record Request(String workspace, List<AtifTrajectory> trajectories, IntFunction<String> at,
                           String requestId) {
        List<String> sessionIds() {
            // a trajectory without a session id gets a new random one: it cannot meet another request's
            return trajectories.stream().map(AtifTrajectory::getSessionId).filter(Objects::nonNull).toList();
        }
    }

    /**
     * Writes one group of requests of one workspace: maps each request's trajectories, makes sure every experiment
     * they name exists (a 422 to each request naming one that does not), and stores the others' rows together.
     */
    private List<GroupCommit.Outcome<List<MappedTrajectory>>> writeGroup(List<Request> group) {
        // The bodies already passed their schema and IngestBodyRules (see BodyValidation): only the store can refuse
        // them now, or an experiment that does not exist (every one is listed).
        String workspace = group.get(0).workspace();
        if (group.size() > 1) {
            LOG.info("Ingest group of {} requests written by this one; its statements carry this request's id;"
                    + " members: {}", group.size(), group.stream().map(Request::requestId).toList());
        }
        Instant ingestTime = Instant.now();
        List<List<MappedTrajectory>> mapped = new ArrayList<>();
        Map<MappedTrajectory, SessionRows.FirstRow> firstRows = new IdentityHashMap<>();
        Set<String> names = new LinkedHashSet<>(); // looked up in the order the bodies name them
        for (Request request : group) {
            List<MappedTrajectory> rows = new ArrayList<>();
            for (AtifTrajectory t : request.trajectories()) {
                String name = experimentOf(t);
                if (name != null) {
                    names.add(name);
                }
                MappedTrajectory m = mapper.map(workspace, t, name, ingestTime);
                rows.add(m);
                if (!recentlyWritten.contains(workspace, m.sessionId())) {
                    FirstRows.of(m).ifPresent(row -> firstRows.put(m, row));
                }
            }
            mapped.add(rows);
        }
        // Each name is looked up once, after every member arrived, so each sees every experiment created before its
        // request. The exception: a name this instance saw live lately, when every session of the group gets the row
        // computed here. Then the guarded publish that writes those rows checks that the experiment is still live,
        // in the same statement, and a name it finds gone is looked up only then (see store).
        boolean everySessionNew = mapped.stream().mapToInt(List::size).sum() == firstRows.size();
        Map<String, Boolean> live = new HashMap<>();
        Set<String> unchecked = new TreeSet<>();
        for (String name : names) {
            if (everySessionNew && seenLive.contains(workspace, name)) {
                unchecked.add(name);
            } else {
                live.put(name, lookUp(workspace, name));
            }
        }
        List<GroupCommit.Outcome<List<MappedTrajectory>>> outcomes =
                new ArrayList<>(Collections.nCopies(group.size(), null));
        List<Integer> accepted = new ArrayList<>();
        for (int r = 0; r < group.size(); r++) {
            ApiProblemException unknown = unknownExperiments(group.get(r), n -> Boolean.FALSE.equals(live.get(n)));
            if (unknown == null) {
                accepted.add(r);
            } else {
                outcomes.set(r, GroupCommit.Outcome.failed(unknown));
            }
        }
        Set<String> gone = accepted.isEmpty() ? Set.of()
                : store(workspace, accepted.stream().map(mapped::get).toList(), firstRows, unchecked);
        for (int r : accepted) {
            ApiProblemException unknown = unknownExperiments(group.get(r), gone::contains);
            outcomes.set(r, unknown == null ? GroupCommit.Outcome.of(mapped.get(r)) : GroupCommit.Outcome.failed(unknown));
            if (unknown == null) {
                List<MappedTrajectory> written = mapped.get(r);
                observer.written(written.size(), written.stream().mapToInt(m -> m.spans().size()).sum(),
                        written.stream().mapToInt(m -> m.results().size()).sum());
            }
        }
        return outcomes;
    }

    private static String experimentOf(AtifTrajectory t) {
        return t.getExperimentContext() == null ? null : t.getExperimentContext().getExperimentId();
    }

    /** Whether the experiment exists, asked of the store; remembered when it does, forgotten when it does not. */
    private boolean lookUp(String workspace, String name) {
        boolean exists = experiments.exists(workspace, name);
        if (exists) {
            seenLive.add(workspace, name);
        } else {
            seenLive.remove(workspace, name);
        }
        return exists;
    }

    /** The 422 of a request naming experiments that do not exist (each trajectory naming one is listed), or null. */
    private static ApiProblemException unknownExperiments(Request request, Predicate<String> missing) {
        List<ApiProblemException.FieldError> errors = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < request.trajectories().size(); i++) {
            String name = experimentOf(request.trajectories().get(i));
            if (name != null && missing.test(name)) {
                names.add(name);
                errors.add(new ApiProblemException.FieldError(request.at().apply(i) + ".experiment_context.experiment_id",
                        "no experiment named '" + name + "' in workspace '" + request.workspace() + "'"));
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        return ApiProblemException.unprocessable(ProblemCode.EXPERIMENT_NOT_FOUND, names.size() == 1
                ? "Experiment '" + names.iterator().next() + "' must be created before it can be logged."
                : "Experiments " + String.join(", ", names.stream().map(n -> "'" + n + "'").toList())
                        + " must be created before they can be logged.", errors);
    }

    /**
     * One generation for every row of these requests: spans and results carry it as their version, then it is
     * recorded as complete. Then the sessions become visible: a session seen for the first time gets the list row
     * computed by the caller ({@code firstRows}, one guarded insert, see sessions/publish-new.sql); any other (a
     * re-ingest, or rows of another producer) has its older generations retired and its row recomputed from the
     * store (see the SQL files). A fixed number of statements whatever the number of requests, trajectories and
     * experiments: four when every session is new, at most seven otherwise (the caller's experiment lookups before).
     *
     * @param unchecked names of experiments not looked up before this write, which the guarded publish of every
     *                  session checks; should it refuse, they are looked up after it
     * @return those of {@code unchecked} found gone after all: the requests naming one are not published (their rows
     *         stay unlisted, as those of a deleted experiment), and each must answer its 422
     */
    private Set<String> store(String workspace, List<List<MappedTrajectory>> requests,
                              Map<MappedTrajectory, SessionRows.FirstRow> firstRows, Set<String> unchecked) {
        List<MappedTrajectory> mapped = requests.stream().flatMap(List::stream).toList();
        List<String> sessionIds = mapped.stream().map(MappedTrajectory::sessionId).distinct().toList();
        Instant generation = Versions.next();
        List<Params> spans = new ArrayList<>();
        List<Params> results = new ArrayList<>();
        List<Params> generations = new ArrayList<>();
        List<SessionRows.FirstRow> first = new ArrayList<>();
        for (MappedTrajectory m : mapped) {
            m.spans().forEach(s -> spans.add(spanParams(workspace, s, generation)));
            m.results().forEach(r -> results.add(resultParams(workspace, r, generation)));
            generations.add(Params.of("workspace", workspace).with("session_id", m.sessionId())
                    .with("generation", generation)
                    .with("span_count", m.spans().stream().map(s -> s.traceId() + "/" + s.spanId()).distinct().count())
                    .with("result_count", m.results().stream().map(r -> r.spanId() + "/" + r.name() + "/" + r.resultId())
                            .distinct().count()));
            if (firstRows.containsKey(m)) {
                first.add(firstRows.get(m));
            }
        }
        if (sessionIds.size() != mapped.size()) {
            // a session twice in one write (never, by the batch rules and GroupCommit): its rows are not its first
            first.clear();
        }
        store.insertBatch(INSERT_SPANS, spans);
        store.insertBatch(INSERT_RESULTS, results);
        store.insertBatch(INSERT_GENERATIONS, generations);
        sessionIds.forEach(id -> recentlyWritten.add(workspace, id));
        boolean firstPublished = index.publishFirst(workspace, generation, first);
        if (firstPublished) {
            // the publish found each experiment live, in the statement that wrote into it
            first.forEach(row -> seenLive.add(workspace, row.experimentName()));
        }
        Set<String> published = firstPublished
                ? first.stream().map(SessionRows.FirstRow::sessionId).collect(Collectors.toSet()) : Set.of();
        // a HashSet: a trajectory without an experiment context names none (null)
        Set<String> gone = new HashSet<>();
        if (published.size() < sessionIds.size()) {
            unchecked.stream().filter(name -> !lookUp(workspace, name)).forEach(gone::add);
        }
        Set<String> unpublishable = requests.stream()
                .filter(rows -> rows.stream().anyMatch(m -> gone.contains(m.experimentName())))
                .flatMap(rows -> rows.stream().map(MappedTrajectory::sessionId)).collect(Collectors.toSet());
        List<String> others = sessionIds.stream()
                .filter(id -> !published.contains(id) && !unpublishable.contains(id)).toList();
        if (others.isEmpty()) {
            return gone;
        }
        Params sessions = Params.of("workspace", workspace).with("session_ids", others);
        store.execute(RETIRE_SPANS, sessions);
        store.execute(RETIRE_RESULTS, sessions);
        index.refresh(workspace, others);
        return gone;
    }

    private static Params spanParams(String workspace, SpanRow s, Instant version) {
        return Params.of("workspace", workspace).with("session_id", s.sessionId()).with("trace_id", s.traceId())
                .with("span_id", s.spanId()).with("parent_span_id", s.parentSpanId()).with("source_format", "atif")
                .with("kind", s.kind().name()).with("name", s.name()).with("status", s.status().label())
                .with("start_time", s.startTime()).with("end_time", s.endTime())
                .with("attributes_string", s.attributesString()).with("attributes_number", s.attributesNumber())
                .with("attributes_bool", s.attributesBool()).with("input", s.input()).with("output", s.output())
                .with("version", version);
    }

    private static Params resultParams(String workspace, ResultRow r, Instant version) {
        return Params.of("workspace", workspace).with("session_id", r.sessionId()).with("span_id", r.spanId())
                .with("name", r.name()).with("evaluator_result_id", r.resultId()).with("data_type", r.dataType().name())
                .with("value", r.value()).with("string_value", r.stringValue()).with("version", version);
    }
}
