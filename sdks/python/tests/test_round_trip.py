"""Round trips through the generated Python SDK against the real server: every SDK operation, nulls and values of
every nullable response field, pagination walking, the export streamed as NDJSON and CSV, and every declared error
status parsed into `Problem`."""
import csv
import io
import os
import pathlib
import sys
import uuid

import pytest

import intake_sdk
from intake_sdk import (AtifAgent, AtifExperimentContext, AtifStep, AtifStepMetrics, AtifTrajectory,
                        AtifTrajectoryBatch, ComparisonVerdict, ExperimentRequest, ExperimentSessionResponse,
                        ExperimentSort, Problem, ProblemCode, ProblemFieldLocation, SessionExportFormat, SpanStatus,
                        VerdictRule)
from intake_sdk.exceptions import ApiException

from conftest import client

SDKS = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SDKS))
import sdk_spec  # noqa: E402

SPEC = SDKS.parent / "api-spec" / "src" / "main" / "resources" / "openapi.yaml"


def snake(operation_id):
    return "".join("_" + c.lower() if c.isupper() else c for c in operation_id)


def experiment(name, **values):
    return ExperimentRequest(name=name, agent_name="agent", agent_version="1.0", dataset_name="dataset", **values)


def trajectory(session_id, experiment_name, test_case_id=None, metrics=True, correct=True):
    steps = [AtifStep(step_id=1, timestamp="2026-11-26T10:00:00.123456Z", source="user", message="2+2?")]
    if metrics:
        steps.append(AtifStep(step_id=2, timestamp="2026-11-26T10:00:01.653456Z", source="agent", message="4",
                              metrics=AtifStepMetrics(prompt_tokens=100, completion_tokens=10, cached_tokens=5,
                                                      cost_usd=0.05)))
    return AtifTrajectory(
        schema_version="ATIF-v1.7", session_id=session_id, agent=AtifAgent(name="agent", version="1.0"),
        experiment_context=AtifExperimentContext(experiment_id=experiment_name, test_case_id=test_case_id),
        steps=steps, extra={"verifier_result": {"rewards": {"correct": correct, "quality": 0.5}}})


def problem_of(call, status, code):
    """Runs `call`, which must fail with `status` and `code`, and returns the answer parsed into the SDK's Problem."""
    with pytest.raises(ApiException) as failure:
        call()
    e = failure.value
    assert e.status == status, e.body
    problem = e.data if isinstance(e.data, Problem) else Problem.from_json(e.body)
    assert isinstance(problem, Problem)
    assert problem.status == status
    assert problem.code == code
    assert problem.detail and problem.request_id and problem.instance.startswith("/")
    assert e.headers.get("X-Request-Id") == problem.request_id
    return problem


def test_the_sdk_offers_every_operation_of_the_spec_and_nothing_internal():
    spec = sdk_spec.load(SPEC)
    offered = set()
    for api_class in (intake_sdk.ExperimentsApi, intake_sdk.ExperimentSessionsApi, intake_sdk.ExperimentAnalysisApi,
                      intake_sdk.IngestApi):
        offered |= {m for m in dir(api_class) if not m.startswith("_") and not m.endswith(("_with_http_info",
                                                                                             "_without_preload_content"))}
    expected = {snake(op) for op in sdk_spec.sdk_operations(spec)}
    assert expected <= offered, f"operations missing from the SDK: {expected - offered}"
    assert not {"get_liveness", "get_readiness", "get_open_api_document"} & offered


def test_experiment_crud_with_nulls_and_values(api, workspace):
    experiments = intake_sdk.ExperimentsApi(api)

    bare = experiments.create_experiment(workspace, experiment("bare"))
    assert bare.name == "bare" and bare.workspace == workspace
    for field in ("dataset_version", "experiment_group_id", "source_link", "description", "summary"):
        assert getattr(bare, field) is None, field
    assert bare.metadata == {}

    full = experiments.create_experiment(workspace, experiment(
        "full", dataset_version="v2", experiment_group_id="g-1", source_link="https://ci.example/run/1",
        metadata={"k": [1, "two"]}, description="d", summary="s"))
    assert (full.dataset_version, full.experiment_group_id, full.source_link, full.description, full.summary) == (
        "v2", "g-1", "https://ci.example/run/1", "d", "s")
    assert full.metadata == {"k": [1, "two"]}
    assert full.created_at.tzinfo is not None

    got = experiments.get_experiment(workspace, "full")
    assert got == full

    updated = experiments.update_experiment(workspace, "full", experiment("full", dataset_version="v2", summary=None))
    assert updated.summary is None and updated.description is None
    assert updated.id == full.id and updated.updated_at >= full.updated_at

    assert experiments.delete_experiment(workspace, "bare") is None
    problem = problem_of(lambda: experiments.get_experiment(workspace, "bare"), 404, ProblemCode.EXPERIMENT_NOT_FOUND)
    assert problem.errors == []


def test_experiment_list_filters_sort_and_walks_every_page(api, workspace):
    experiments = intake_sdk.ExperimentsApi(api)
    names = [f"exp-{i}" for i in range(5)]
    for name in names:
        experiments.create_experiment(workspace, experiment(name))

    seen, page = [], 1
    while True:
        result = experiments.list_experiments(workspace, page=page, page_size=2, sort=ExperimentSort.NAME)
        assert result.sort == ExperimentSort.NAME
        assert result.pagination.page == page and result.pagination.page_size == 2
        assert result.pagination.total_results == 5 and result.pagination.total_pages == 3
        assert result.pagination.current_page_size == len(result.data)
        seen += [e.name for e in result.data]
        if page >= result.pagination.total_pages:
            break
        page += 1
    assert seen == names

    unfiltered = experiments.list_experiments(workspace)
    assert (unfiltered.filter.name, unfiltered.filter.agent_name, unfiltered.filter.dataset_name) == (None, None, None)
    filtered = experiments.list_experiments(workspace, name="exp-3", agent_name="agent", dataset_name="dataset")
    assert [e.name for e in filtered.data] == ["exp-3"]
    assert (filtered.filter.name, filtered.filter.agent_name, filtered.filter.dataset_name) == (
        "exp-3", "agent", "dataset")


def test_ingest_and_sessions_with_values_and_nulls(api, workspace):
    intake_sdk.ExperimentsApi(api).create_experiment(workspace, experiment("exp"))
    ingest = intake_sdk.IngestApi(api)
    sessions = intake_sdk.ExperimentSessionsApi(api)

    stored = ingest.ingest_atif_trajectory(workspace, trajectory("s-full", "exp", test_case_id="case-1"))
    assert (stored.session_id, stored.experiment_name, stored.test_case_id) == ("s-full", "exp", "case-1")
    assert stored.spans_written >= 3 and stored.evaluator_results_written == 2

    # One agent step without time or metrics: no input, no end, no token or cost sums, no test case.
    bare = AtifTrajectory(schema_version="ATIF-v1.0", session_id="s-bare", agent=AtifAgent(name="a", version="1"),
                          experiment_context=AtifExperimentContext(experiment_id="exp"),
                          steps=[AtifStep(step_id=1, source="agent", message=[{"type": "text", "text": "hi"}])])
    stored_bare = ingest.ingest_atif_trajectory(workspace, bare)
    assert stored_bare.test_case_id is None

    batch = ingest.ingest_atif_trajectory_batch(workspace, AtifTrajectoryBatch(trajectories=[
        trajectory("s-batch-1", "exp", "case-2"), trajectory("s-batch-2", "exp", "case-3")]))
    assert [r.session_id for r in batch.results] == ["s-batch-1", "s-batch-2"]
    assert batch.spans_written == sum(r.spans_written for r in batch.results)

    page = sessions.list_experiment_sessions(workspace, "exp")
    assert page.sort == "started_at,root_span_id"
    assert (page.filter.status, page.filter.test_case_id) == (None, None)
    rows = {row.session_id: row for row in page.data}
    assert set(rows) == {"s-full", "s-bare", "s-batch-1", "s-batch-2"}

    full = rows["s-full"]
    assert full.test_case_id == "case-1" and full.input == "2+2?"
    assert full.started_at.microsecond == 123456 and full.ended_at.microsecond == 653456
    assert full.latency_ms == 1530
    assert (full.input_tokens, full.output_tokens, full.cached_tokens) == (100, 10, 5)
    assert full.cost_total_usd == pytest.approx(0.05)
    assert full.status == SpanStatus.SUCCESS
    assert full.evaluator_scores == {"correct": 1.0, "quality": 0.5}

    none = rows["s-bare"]
    for field in ("test_case_id", "ended_at", "latency_ms", "input", "input_tokens", "output_tokens",
                  "cached_tokens", "cost_total_usd"):
        assert getattr(none, field) is None, field
    assert none.evaluator_scores == {}

    only = sessions.list_experiment_sessions(workspace, "exp", status=SpanStatus.SUCCESS, test_case_id="case-2")
    assert [r.session_id for r in only.data] == ["s-batch-1"]
    assert (only.filter.status, only.filter.test_case_id) == (SpanStatus.SUCCESS, "case-2")
    assert isinstance(only.filter.status, SpanStatus)


def test_session_pages_walk_every_session_exactly_once(api, workspace):
    intake_sdk.ExperimentsApi(api).create_experiment(workspace, experiment("exp"))
    ids = [f"s-{i}" for i in range(7)]
    intake_sdk.IngestApi(api).ingest_atif_trajectory_batch(workspace, AtifTrajectoryBatch(
        trajectories=[trajectory(i, "exp") for i in ids]))
    sessions = intake_sdk.ExperimentSessionsApi(api)

    seen, page = [], 1
    while True:
        result = sessions.list_experiment_sessions(workspace, "exp", page=page, page_size=3)
        seen += [r.session_id for r in result.data]
        if page >= result.pagination.total_pages:
            break
        page += 1
    assert sorted(seen) == ids and len(seen) == len(set(seen))

    # The same walk by cursor: `pagination.next_cursor` until it is None.
    by_cursor, cursor = [], None
    while True:
        result = sessions.list_experiment_sessions(workspace, "exp", page_size=3, cursor=cursor)
        by_cursor += [r.session_id for r in result.data]
        cursor = result.pagination.next_cursor
        if cursor is None:
            break
    assert by_cursor == seen
    past_the_end = sessions.list_experiment_sessions(workspace, "exp", page=99, page_size=3)
    assert past_the_end.data == [] and past_the_end.pagination.total_results == 7


def streamed_lines(response):
    """The lines of a streamed body, read chunk by chunk as they arrive (never the whole body at once)."""
    pending = b""
    for chunk in response.stream(256):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        yield from complete
    assert pending == b"", "every NDJSON line ends with a newline"


def test_export_streams_every_session_as_ndjson_and_csv(api, workspace):
    intake_sdk.ExperimentsApi(api).create_experiment(workspace, experiment("exp"))
    ingest = intake_sdk.IngestApi(api)
    ingest.ingest_atif_trajectory_batch(workspace, AtifTrajectoryBatch(trajectories=[
        trajectory(f"s-{n}", "exp", f"case-{n % 2}", correct=n % 3 != 0) for n in range(6)]))
    ingest.ingest_atif_trajectory(workspace, AtifTrajectory(
        schema_version="ATIF-v1.0", session_id="s-bare", agent=AtifAgent(name="a", version="1"),
        experiment_context=AtifExperimentContext(experiment_id="exp"),
        steps=[AtifStep(step_id=1, source="agent", message="no time or metrics or scores")]))
    sessions = intake_sdk.ExperimentSessionsApi(api)
    listed = sessions.list_experiment_sessions(workspace, "exp").data
    assert len(listed) == 7

    ndjson = sessions.export_experiment_sessions_without_preload_content(workspace, "exp")
    assert ndjson.status == 200 and ndjson.headers["Content-Type"].startswith("application/x-ndjson")
    assert ndjson.headers["Content-Disposition"] == 'attachment; filename="exp-sessions.ndjson"'
    exported = [ExperimentSessionResponse.from_json(line.decode("utf-8")) for line in streamed_lines(ndjson)]
    assert exported == listed  # every session once, in the list's order, each line as the list's row

    one_case = sessions.export_experiment_sessions_without_preload_content(
        workspace, "exp", test_case_id="case-1", format=SessionExportFormat.NDJSON)
    filtered = [ExperimentSessionResponse.from_json(line.decode("utf-8")) for line in streamed_lines(one_case)]
    assert filtered == [r for r in listed if r.test_case_id == "case-1"] and len(filtered) == 3

    table = sessions.export_experiment_sessions_without_preload_content(workspace, "exp",
                                                                          format=SessionExportFormat.CSV)
    assert table.status == 200 and table.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert table.headers["Content-Disposition"] == 'attachment; filename="exp-sessions.csv"'
    text = b"".join(table.stream(256)).decode("utf-8")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    assert header[:3] == ["workspace", "experiment_name", "session_id"]
    assert header[-3:] == ["cost_total_usd", "score.correct", "score.quality"]
    assert [row[header.index("session_id")] for row in rows] == [r.session_id for r in listed]
    by_id = {row[header.index("session_id")]: dict(zip(header, row)) for row in rows}
    assert (float(by_id["s-1"]["latency_ms"]), float(by_id["s-1"]["cost_total_usd"]),
            float(by_id["s-1"]["score.correct"]), float(by_id["s-0"]["score.correct"]), by_id["s-1"]["started_at"]) == (
        1530, 0.05, 1, 0, "2026-11-26T10:00:00.123456Z")
    assert (by_id["s-bare"]["test_case_id"], by_id["s-bare"]["cost_total_usd"], by_id["s-bare"]["score.quality"]) == (
        "", "", "")

    gone = problem_of(lambda: sessions.export_experiment_sessions(workspace, "no-such-experiment"), 404,
                      ProblemCode.EXPERIMENT_NOT_FOUND)
    assert gone.errors == []


def test_analysis_stats_test_cases_and_comparison_with_a_baseline(api, workspace):
    experiments = intake_sdk.ExperimentsApi(api)
    analysis = intake_sdk.ExperimentAnalysisApi(api)
    for name in ("baseline", "candidate"):
        experiments.create_experiment(workspace, experiment(name))
    # The baseline fails case-1 and passes case-2; the candidate passes both, case-1 twice.
    intake_sdk.IngestApi(api).ingest_atif_trajectory_batch(workspace, AtifTrajectoryBatch(trajectories=[
        trajectory("b-1", "baseline", "case-1", correct=False), trajectory("b-2", "baseline", "case-2"),
        trajectory("c-1a", "candidate", "case-1"), trajectory("c-1b", "candidate", "case-1"),
        trajectory("c-2", "candidate", "case-2")]))

    stats = analysis.get_experiment_stats(workspace, "candidate")
    assert stats.sessions == 3 and stats.by_status.success == 3 and stats.by_status.error == 0
    assert (stats.latency_ms.n, stats.latency_ms.p50) == (3, 1530)
    assert (stats.total_tokens.n, stats.total_tokens.sum) == (3, 330)
    assert (stats.evaluators["correct"].n, stats.evaluators["correct"].mean,
            stats.evaluators["correct"].pass_rate) == (3, 1.0, 1.0)
    assert stats.evaluators["quality"].pass_rate is None
    assert (stats.test_cases.count, stats.test_cases.repetitions_min, stats.test_cases.repetitions_max) == (2, 1, 2)
    assert stats.filter.test_case_id is None and stats.filter.score == []

    first = analysis.list_experiment_test_cases(workspace, "baseline", page=1, page_size=1)
    assert first.sort == "test_case_id" and (first.filter.status, first.filter.min_sessions) == (None, None)
    assert (first.pagination.total_results, first.pagination.total_pages) == (2, 2)
    row = first.data[0]
    assert (row.test_case_id, row.sessions, row.by_status.success) == ("case-1", 1, 1)
    assert (row.latency_ms_mean, row.total_tokens_mean) == (1530, 110)
    assert row.cost_total_usd_mean == pytest.approx(0.05)
    assert (row.evaluators["correct"].mean, row.evaluators["correct"].stddev) == (0.0, None)
    repeated = analysis.list_experiment_test_cases(workspace, "candidate", min_sessions=2)
    assert [(t.test_case_id, t.sessions) for t in repeated.data] == [("case-1", 2)]
    assert repeated.filter.min_sessions == 2

    comparison = analysis.compare_experiments(workspace, "candidate", baseline="baseline", evaluator="correct")
    assert (comparison.baseline, comparison.candidate) == ("baseline", "candidate")
    rows = {r.test_case_id: r for r in comparison.data}
    improved = rows["case-1"]
    assert (improved.baseline.n, improved.baseline.mean, improved.candidate.n, improved.candidate.mean) == (
        1, 0.0, 2, 1.0)
    assert improved.delta == 1.0 and improved.p_value is None
    assert (improved.verdict, improved.verdict_rule) == (ComparisonVerdict.IMPROVED, VerdictRule.MIN_DELTA)
    assert improved.latency_ms_delta == 0 and improved.cost_total_usd_delta == pytest.approx(0)
    assert (rows["case-2"].delta, rows["case-2"].verdict) == (0.0, ComparisonVerdict.UNCHANGED)
    summary = comparison.summary
    assert (summary.evaluator, summary.compared, summary.paired, summary.improved, summary.unchanged) == (
        "correct", 2, 2, 1, 1)
    assert summary.mean_delta == 0.5 and summary.alpha == 0.05
    only_improved = analysis.compare_experiments(workspace, "candidate", baseline="baseline", evaluator="correct",
                                                 verdict=ComparisonVerdict.IMPROVED)
    assert [r.test_case_id for r in only_improved.data] == ["case-1"]
    assert only_improved.filter.verdict == ComparisonVerdict.IMPROVED and only_improved.summary.compared == 2
    assert isinstance(only_improved.filter.verdict, ComparisonVerdict) and comparison.filter.verdict is None

    unknown = problem_of(lambda: analysis.compare_experiments(workspace, "candidate", baseline="no-such-baseline",
                                                              evaluator="correct"),
                         404, ProblemCode.EXPERIMENT_NOT_FOUND)
    assert unknown.errors == []


def test_every_declared_error_status_parses_into_problem(api, workspace, servers):
    experiments = intake_sdk.ExperimentsApi(api)
    ingest = intake_sdk.IngestApi(api)
    experiments.create_experiment(workspace, experiment("exp"))

    bad = problem_of(lambda: ingest.ingest_atif_trajectory(workspace, trajectory("s", "no-such-experiment")), 422,
                     ProblemCode.EXPERIMENT_NOT_FOUND)
    assert [(e.field, e.location) for e in bad.errors] == [
        ("$.experiment_context.experiment_id", ProblemFieldLocation.BODY)]

    assert problem_of(lambda: experiments.get_experiment(workspace, "missing"), 404,
                      ProblemCode.EXPERIMENT_NOT_FOUND).errors == []

    taken = problem_of(lambda: experiments.create_experiment(workspace, experiment("exp")), 409,
                       ProblemCode.EXPERIMENT_NAME_TAKEN)
    assert [(e.field, e.location) for e in taken.errors] == [("$.name", ProblemFieldLocation.BODY)]
    immutable = problem_of(lambda: experiments.update_experiment(
        workspace, "exp", ExperimentRequest(name="exp", agent_name="other", agent_version="1.0",
                                            dataset_name="data-2")), 409, ProblemCode.IMMUTABLE_FIELD)
    assert [e.field for e in immutable.errors] == ["$.agent_name", "$.dataset_name"]

    wrong_steps = trajectory("s", "exp")
    wrong_steps.steps[0].step_id = 2
    invalid = problem_of(lambda: ingest.ingest_atif_trajectory(workspace, wrong_steps), 422,
                         ProblemCode.VALIDATION_FAILED)
    assert [(e.field, e.location) for e in invalid.errors] == [("$.steps[0].step_id", ProblemFieldLocation.BODY)]

    with client(servers["small_body"]) as small:
        too_large = problem_of(lambda: intake_sdk.ExperimentsApi(small).create_experiment(
            workspace, experiment("big", description="x" * 5000)), 413, ProblemCode.BODY_TOO_LARGE)
        assert too_large.errors == []

    with client(servers["store_down"]) as down:
        with pytest.raises(ApiException) as failure:
            intake_sdk.ExperimentsApi(down).list_experiments(workspace)
        assert failure.value.headers.get("Retry-After")
        unavailable = problem_of(lambda: intake_sdk.ExperimentsApi(down).list_experiments(workspace), 503,
                                 ProblemCode.STORE_UNAVAILABLE)
        assert unavailable.errors == []

    with client(servers["jwt"]) as anonymous:
        problem_of(lambda: intake_sdk.ExperimentsApi(anonymous).list_experiments(workspace), 401,
                   ProblemCode.UNAUTHENTICATED)
    with client(servers["jwt"], token=servers["token_without_role"]) as no_role:
        problem_of(lambda: intake_sdk.ExperimentsApi(no_role).list_experiments(workspace), 403,
                   ProblemCode.FORBIDDEN)


def raw(api, method, path, query=(), body=None, headers=None):
    """A request through the SDK's transport, for what the SDK's own checks would refuse to send."""
    response = api.call_api(*api.param_serialize(method, path, query_params=list(query), header_params=headers,
                                                 body=body))
    response.read()
    return api.response_deserialize(response, {"200": "object", "201": "object", "400": "Problem",
                                               "415": "Problem"})


def raw_get(api, path, query):
    return raw(api, "GET", path, query)


def test_parameter_problems_say_where_the_parameter_is(api, workspace):
    experiments = f"/apis/intake/v2/workspaces/{workspace}/experiments"
    out_of_range = problem_of(lambda: raw_get(api, experiments, [("page_size", 0)]), 400,
                              ProblemCode.INVALID_PARAMETER)
    assert [(e.field, e.location) for e in out_of_range.errors] == [("page_size", ProblemFieldLocation.QUERY)]

    unknown = problem_of(lambda: raw_get(api, experiments, [("colour", "red")]), 400, ProblemCode.UNKNOWN_PARAMETER)
    assert [(e.field, e.location) for e in unknown.errors] == [("colour", ProblemFieldLocation.QUERY)]

    wrong_type = problem_of(lambda: raw(api, "POST", experiments, body='{"name": "exp"}',
                                        headers={"Content-Type": "text/plain"}), 415,
                            ProblemCode.UNSUPPORTED_MEDIA_TYPE)
    assert wrong_type.errors == []

    bad_path = problem_of(lambda: raw_get(api, f"/apis/intake/v2/workspaces/{'w' * 64}/experiments", []), 400,
                          ProblemCode.INVALID_PARAMETER)
    assert [(e.field, e.location) for e in bad_path.errors] == [("workspace", ProblemFieldLocation.PATH)]
