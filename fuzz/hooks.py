"""Schemathesis hooks for bin/fuzz (loaded by fuzz/schemathesis.toml).

The positive-data check (ST202: a schema-valid request must not be rejected) stays on for every operation. Excused
here: a 422 from an ingest operation whose every listed problem is an ATIF rule that a JSON schema cannot express,
and a 400 from a session list, export, statistics or comparison whose every listed problem is a rule between
parameters (or about the store's state) that OpenAPI 3.0 cannot express. Any other problem in the same answer, any
other status and any other operation still fails the run. The rules are listed once, below, and in the README
("Testing").
"""

import json
import re
from datetime import datetime, timedelta, timezone

import schemathesis

INGEST_OPERATIONS = {"ingestAtifTrajectory", "ingestAtifTrajectoryBatch"}

# (rule, why a schema cannot say it, field path pattern, message pattern). Paths are relative to one trajectory:
# `$` for a single ingest, `$.trajectories[i]` in a batch.
BUSINESS_RULES = [
    ("the experiment must exist",
     "whether a name is taken is state of the store, not a property of the body",
     r"\.experiment_context\.experiment_id", r"no experiment named"),
    ("steps are numbered 1, 2, 3, ...",
     "JSON Schema cannot relate an item's value to its position in the array",
     r"\.steps\[\d+\]\.step_id", r"steps are numbered"),
    ("agent-only fields only on agent steps",
     "a dependency between `source` and other properties needs if/then, which OpenAPI 3.0 lacks",
     r"\.steps\[\d+\]\.(model_name|reasoning_content|reasoning_effort|tool_calls|observation|metrics)",
     r"only agent steps may carry this field"),
    ("tool_call_id unique within a step",
     "uniqueItems compares whole items, not one property of them",
     r"\.steps\[\d+\]\.tool_calls\[\d+\]\.tool_call_id", r"duplicate tool_call_id"),
    ("an observation refers to a tool call of its own step",
     "a reference between two values of one body cannot be expressed",
     r"\.steps\[\d+\]\.observation\.results\[\d+\]\.source_call_id", r"not a tool_call_id of this step"),
    ("the two keys read from the free-form `extra` are well formed",
     "`extra` stays a free-form object in the contract; only `verifier` and `verifier_result` are read",
     r"\.extra\.verifier(_result)?(\.|$)", r"must be"),
    ("session ids are unique within a batch",
     "uniqueItems compares whole items, not one property of them",
     r"\.session_id$", r"is already in this batch"),
    ("token and cost sums over a trajectory fit what the store keeps exactly",
     "`maximum` bounds one value, not a sum over the items of an array",
     r"\.steps\[\d+\]\.metrics(\.\w+)?$", r"the largest (sum|total) the store keeps exactly"),
    ("timestamps lie from 1900-01-01 to 2299-12-31 (UTC), without leap seconds",
     "`format: date-time` has no bounds in OpenAPI 3.0 and allows second 60; excused only when the value sent "
     "really is out of that range or a leap second",
     r"(\.steps\[\d+\]\.timestamp|\.extra\.verifier\.(started_at|finished_at))$", r"from 1900-01-01 to 2299-12-31"),
]

# (rule, why a schema cannot say it, operations, parameter, message pattern) for 400s about query parameters. The
# messages are the server's own (SessionCursor, CursorExcludesPage, SessionFilter, SessionSort, AnalysisResource).
SESSION_FILTERS = {"listExperimentSessions", "exportExperimentSessions", "getExperimentStats"}
# The rule whose excuse also depends on the value sent, not only on the server's words.
_QUERY_TIME_RULE = "query date-times lie from 1900-01-01 to 2299-12-31 (UTC), without leap seconds"
PARAMETER_RULES = [
    ("a cursor is one this service issued, for the same filters and sort",
     "a cursor is an opaque signed token: any string has the shape the schema gives it",
     {"listExperimentSessions"}, "cursor",
     r"^it (is not a cursor of this service|was made for other filters|does not match the sort)"),
    ("cursor and page are not given together",
     "OpenAPI 3.0 cannot make two optional parameters exclusive",
     {"listExperimentSessions"}, "page", r"^not allowed together with cursor$"),
    ("a range's lower bound is not above its upper bound (min_* and max_*, started_after and started_before)",
     "a schema bounds each parameter alone, never one parameter by another",
     SESSION_FILTERS, r"min_\w+|started_after",
     r"^(min_(\w+) is greater than max_\2|started_after is greater than started_before)$"),
    ("a sort key is not repeated",
     "the sort grammar is a pattern, and a regular expression cannot compare one key of a list with another",
     {"listExperimentSessions", "exportExperimentSessions"}, "sort", r"^sort key '.*' is repeated$"),
    ("the baseline is another experiment than the one compared",
     "a schema cannot relate a query parameter to a path parameter",
     {"compareExperiments"}, "baseline", r"^must name another experiment than '"),
    (_QUERY_TIME_RULE,
     "`format: date-time` has no bounds in OpenAPI 3.0 and allows second 60; excused only when the value sent "
     "really is out of that range or a leap second",
     SESSION_FILTERS, r"started_after|started_before", r"from 1900-01-01 to 2299-12-31"),
    ("the evaluator scores a test case of one of the two experiments",
     "which evaluators an experiment's sessions carry is state of the store, not a property of the request",
     {"compareExperiments"}, "evaluator", r"^no session of either experiment with a test case id carries it$"),
]
_PARAMETER_RULES = [(name, operations, re.compile(parameter), re.compile(message))
                    for name, _, operations, parameter, message in PARAMETER_RULES]

# The rule whose excuse also depends on the value sent, not only on the server's words.
_TIMESTAMP_RULE = BUSINESS_RULES[-1][0]
_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$")
_EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(2299, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc)

_TRAJECTORY = r"^\$(\.trajectories\[\d+\])?"
_COMPILED = [(name, re.compile(_TRAJECTORY + field), re.compile(message))
             for name, _, field, message in BUSINESS_RULES]


def outside_the_store(value):
    """Whether a date-time string the schema allows lies outside 1900-01-01..2299-12-31 UTC or is a leap second."""
    match = _DATE_TIME.match(value) if isinstance(value, str) else None
    if match is None:
        return False  # not a date-time at all: a schema problem, never excused
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if second == 60:
        return True
    offset = timedelta(0)
    if match.group(9):
        offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
        offset = -offset if match.group(9) == "-" else offset
    try:
        instant = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc) - offset
    except (ValueError, OverflowError):
        return year < 1900 or year > 2299
    return instant < _EARLIEST or instant > _LATEST


def value_at(body, path):
    """The value at a JSON path such as `$.trajectories[0].steps[2].timestamp` in a request body, or None."""
    value = body
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        try:
            value = value[name] if name else value[int(index)]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def business_rule(error, body=None):
    """The name of the business rule a problem's `errors` entry reports, or None."""
    field = error.get("field", "") if isinstance(error, dict) else ""
    message = error.get("message", "") if isinstance(error, dict) else ""
    for name, field_pattern, message_pattern in _COMPILED:
        if field_pattern.search(field) and message_pattern.search(message):
            if name == _TIMESTAMP_RULE and not outside_the_store(value_at(body, field)):
                return None
            return name
    return None


def parameter_rule(operation, error, query=None):
    """Whether a problem's `errors` entry reports one of the operation's listed rules between query parameters."""
    if not isinstance(error, dict):
        return False
    field, message = error.get("field", ""), error.get("message", "")
    for name, operations, parameter, pattern in _PARAMETER_RULES:
        if operation in operations and parameter.fullmatch(field) and pattern.search(message):
            if name == _QUERY_TIME_RULE:
                value = (query or {}).get(field)
                return outside_the_store(value[0] if isinstance(value, list) and len(value) == 1 else value)
            return True
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure except a positive-data rejection caused only by listed business rules."""
    if failure.code != "ST202" or response.status_code not in (400, 422):
        return True
    operation = case.operation.definition.raw.get("operationId")
    try:
        errors = json.loads(response.content).get("errors")
    except (ValueError, AttributeError):
        return True
    if not errors:
        return True
    if response.status_code == 422 and operation in INGEST_OPERATIONS:
        return not all(business_rule(error, case.body) for error in errors)
    if response.status_code == 400:
        return not all(parameter_rule(operation, error, getattr(case, "query", None)) for error in errors)
    return True
