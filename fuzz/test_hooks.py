"""Tests of fuzz/hooks.py: the positive-data exception excuses the listed ATIF rules and nothing else.

Run by bin/fuzz before the fuzzer (fuzz/.venv/bin/python -m pytest fuzz/test_hooks.py). The messages are the
server's own (AtifChecks, IngestResource, SessionFilter, SessionSort, SessionCursor, AnalysisResource), so a reworded message shows up here first.
"""

import json
import types

import pytest

import hooks


def answer(status, *errors):
    return types.SimpleNamespace(
        status_code=status,
        content=json.dumps({"status": status, "errors": [{"field": f, "message": m} for f, m in errors]}).encode())


def case(operation_id, body=None):
    raw = {"operationId": operation_id}
    return types.SimpleNamespace(operation=types.SimpleNamespace(definition=types.SimpleNamespace(raw=raw)),
                                 body=body)


ST202 = types.SimpleNamespace(code="ST202")

EVERY_RULE = [
    ("$.experiment_context.experiment_id", "no experiment named 'x' in workspace 'w'"),
    ("$.steps[1].step_id", "must be 2: steps are numbered 1, 2, 3, ... in order"),
    ("$.steps[0].metrics", "only agent steps may carry this field"),
    ("$.steps[0].tool_calls[1].tool_call_id", "duplicate tool_call_id 'c' in this step"),
    ("$.steps[0].observation.results[0].source_call_id", "refers to 'c', which is not a tool_call_id of this step"),
    ("$.extra.verifier.started_at", "must be an ISO-8601 date-time with an offset, such as 2025-01-01T00:00:00Z"),
    ("$.extra.verifier_result.rewards.correct", "must be a boolean, a number or a string"),
    ("$.steps[3].metrics", "prompt_tokens + completion_tokens must not exceed 9007199254740991, the largest total the"
                           " store keeps exactly"),
    ("$.steps[4].metrics.cost_usd", "the trajectory's sum of cost_usd in micro-USD must not exceed 9007199254740991,"
                                    " the largest sum the store keeps exactly"),
]

OUT_OF_RANGE = "must be an RFC 3339 date-time with an offset (such as 2025-01-01T00:00:00Z) from 1900-01-01 to " \
               "2299-12-31, without leap seconds"


def steps_at(*timestamps):
    return {"steps": [{"step_id": i + 1, "source": "user", "timestamp": t} for i, t in enumerate(timestamps)]}


@pytest.mark.parametrize("timestamp", ["0129-12-26T23:19:47.0Z", "2300-01-01T00:00:00Z", "2299-12-31T23:30:00-01:00",
                                       "1900-01-01T00:30:00+01:00", "2020-06-30T23:59:60Z", "0000-01-01T00:00:00Z"])
def test_a_timestamp_out_of_the_stores_range_is_excused(timestamp):
    body = steps_at("2026-01-01T00:00:00Z", timestamp)
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory", body),
                                answer(422, ("$.steps[1].timestamp", OUT_OF_RANGE))) is False


@pytest.mark.parametrize("timestamp", ["0523-03-31T04:25:22+19:17", "2026-11-26T10:00:00.000999-23:13",
                                       "1900-01-01T00:00:00Z", "2299-12-31T23:59:59.999999Z"])
def test_a_timestamp_within_the_stores_range_still_fails(timestamp):
    body = {"trajectories": [{}, steps_at(timestamp.replace("0523", "2023"))]}
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectoryBatch", body),
                                answer(422, ("$.trajectories[1].steps[0].timestamp", OUT_OF_RANGE))) is True


@pytest.mark.parametrize("field,message", EVERY_RULE)
def test_each_rule_is_excused_on_single_ingest(field, message):
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory"), answer(422, (field, message))) is False


def test_rules_are_excused_inside_a_batch():
    errors = [("$.trajectories[3]" + field[1:], message) for field, message in EVERY_RULE]
    errors.append(("$.trajectories[2].session_id", "session 's' is already in this batch at $.trajectories[0]"))
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectoryBatch"), answer(422, *errors)) is False


def test_another_problem_beside_a_rule_still_fails():
    errors = [EVERY_RULE[1], ("$.steps[0].timestamp", "must be an ISO-8601 date-time with an offset")]
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory"), answer(422, *errors)) is True


def test_a_rule_message_at_another_field_still_fails():
    errors = [("$.agent.name", "must be 2: steps are numbered 1, 2, 3, ... in order")]
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory"), answer(422, *errors)) is True


def test_another_status_or_operation_or_check_still_fails():
    rule = EVERY_RULE[0]
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory"), answer(400, rule)) is True
    assert hooks.filter_failure(None, ST202, case("createExperiment"), answer(422, rule)) is True
    other_check = types.SimpleNamespace(code="ST101")
    assert hooks.filter_failure(None, other_check, case("ingestAtifTrajectory"), answer(422, rule)) is True


def test_a_422_without_errors_still_fails():
    assert hooks.filter_failure(None, ST202, case("ingestAtifTrajectory"), answer(422)) is True


@pytest.mark.parametrize("operation,field,message", [
    ("exportExperimentSessions", "min_total_tokens", "min_total_tokens is greater than max_total_tokens"),
    ("getExperimentStats", "min_latency_ms", "min_latency_ms is greater than max_latency_ms"),
    ("getExperimentStats", "started_after", "started_after is greater than started_before"),
    ("exportExperimentSessions", "sort", "sort key 'latency_ms' is repeated"),
    ("compareExperiments", "baseline", "must name another experiment than 'exp'"),
    ("compareExperiments", "evaluator", "no session of either experiment with a test case id carries it"),
])
def test_each_parameter_rule_is_excused_where_it_applies(operation, field, message):
    assert hooks.filter_failure(None, ST202, case(operation), answer(400, (field, message))) is False


def query_case(operation, **query):
    found = case(operation)
    found.query = query
    return found


@pytest.mark.parametrize("value", ["1343-09-11T09:20:52-18:45", "2300-01-01T00:00:00Z", "2020-06-30T23:59:60Z"])
def test_a_query_time_out_of_the_stores_range_is_excused(value):
    assert hooks.filter_failure(None, ST202, query_case("getExperimentStats", started_before=value),
                                answer(400, ("started_before", OUT_OF_RANGE))) is False


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00-18:45", "1900-01-01T00:00:00Z", None])
def test_a_query_time_within_the_stores_range_still_fails(value):
    assert hooks.filter_failure(None, ST202, query_case("exportExperimentSessions", started_after=value),
                                answer(400, ("started_after", OUT_OF_RANGE))) is True


def test_a_range_rule_needs_matching_bounds_and_an_operation_with_them():
    mismatched = ("min_latency_ms", "min_latency_ms is greater than max_total_tokens")
    assert hooks.filter_failure(None, ST202, case("getExperimentStats"), answer(400, mismatched)) is True
    range_rule = ("min_latency_ms", "min_latency_ms is greater than max_latency_ms")
    assert hooks.filter_failure(None, ST202, case("compareExperiments"), answer(400, range_rule)) is True
    unknown_sort = ("sort", "unknown sort key 'bogus'; keys: started_at")
    assert hooks.filter_failure(None, ST202, case("listExperimentSessions"), answer(400, unknown_sort)) is True


@pytest.mark.parametrize("field,message", [
    ("sort", "sort key 'evaluator_scores.q' is repeated"),
    ("started_after", "started_after is greater than started_before"),
    ("cursor", "it is not a cursor of this service"),
    ("cursor", "it is not a cursor of this service, or it was altered"),
    ("cursor", "it was made for other filters or another sort; use the same ones, or start a new one"),
    ("cursor", "it does not match the sort"),
    ("page", "not allowed together with cursor"),
    ("min_cost_total_usd", "min_cost_total_usd is greater than max_cost_total_usd"),
])
def test_each_parameter_rule_is_excused_on_the_session_list(field, message):
    assert hooks.filter_failure(None, ST202, case("listExperimentSessions"), answer(400, (field, message))) is False


def test_a_parameter_rule_elsewhere_or_beside_another_problem_still_fails():
    cursor = ("cursor", "it is not a cursor of this service")
    assert hooks.filter_failure(None, ST202, case("listExperiments"), answer(400, cursor)) is True
    assert hooks.filter_failure(None, ST202, case("listExperimentSessions"),
                                answer(400, cursor, ("page_size", "must not be empty"))) is True
    assert hooks.filter_failure(None, ST202, case("listExperimentSessions"), answer(422, cursor)) is True
