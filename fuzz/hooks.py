"""Schemathesis hooks for bin/fuzz (loaded by fuzz/schemathesis.toml).

The positive-data check (ST202: a schema-valid request must not be rejected) stays on for every operation. The
one thing excused here is a 422 from an ingest operation whose every listed problem is an ATIF rule that a JSON
schema cannot express; any other problem in the same answer, any other status and any other operation still
fails the run. The rules are listed once, below, and in the README ("Testing").
"""

import json
import re

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
]

_TRAJECTORY = r"^\$(\.trajectories\[\d+\])?"
_COMPILED = [(name, re.compile(_TRAJECTORY + field), re.compile(message))
             for name, _, field, message in BUSINESS_RULES]


def business_rule(error):
    """The name of the business rule a problem's `errors` entry reports, or None."""
    field = error.get("field", "") if isinstance(error, dict) else ""
    message = error.get("message", "") if isinstance(error, dict) else ""
    for name, field_pattern, message_pattern in _COMPILED:
        if field_pattern.search(field) and message_pattern.search(message):
            return name
    return None


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure except a positive-data 422 on ingest caused only by listed business rules."""
    if failure.code != "ST202" or response.status_code != 422:
        return True
    if case.operation.definition.raw.get("operationId") not in INGEST_OPERATIONS:
        return True
    try:
        errors = json.loads(response.content).get("errors")
    except (ValueError, AttributeError):
        return True
    if not errors:
        return True
    return not all(business_rule(error) for error in errors)
