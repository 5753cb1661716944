// Round trips through the generated TypeScript SDK (typescript-fetch) against the real server: every SDK operation,
// nulls and values of every nullable response field, pagination walking, the export streamed as NDJSON and CSV, and
// every declared error status parsed into `Problem`. The servers come from SdkRoundTripIT (it-tests) through the
// environment.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AtifSchemaVersion, AtifStepSource, AtifTrajectory, ComparisonVerdict, Configuration, ExperimentAnalysisApi,
  ExperimentRequest, ExperimentSessionResponse, ExperimentSessionResponseFromJSON, ExperimentSessionsApi,
  ExperimentSort, ExperimentsApi, IngestApi, Problem, ProblemCode, ProblemFieldLocation, ProblemFromJSON,
  ResponseError, SessionExportFormat, SpanStatus, VerdictRule,
} from '../../target/typescript/src';

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: this suite runs from SdkRoundTripIT, which starts the servers`);
  }
  return value.replace(/\/+$/, '');
}

function config(baseUrl: string, accessToken?: string): Configuration {
  return new Configuration({ basePath: baseUrl, accessToken });
}

const shared = config(env('INTAKE_BASE_URL'));

function workspace(): string {
  return `${process.env.INTAKE_WORKSPACE ?? 'sdk'}-ts-${randomUUID().slice(0, 8)}`;
}

function experiment(name: string, values: Partial<ExperimentRequest> = {}): ExperimentRequest {
  return { name, agentName: 'agent', agentVersion: '1.0', datasetName: 'dataset', ...values };
}

function trajectory(sessionId: string, experimentId: string, testCaseId?: string, correct = true): AtifTrajectory {
  return {
    schemaVersion: AtifSchemaVersion.ATIF_V1_7,
    sessionId,
    agent: { name: 'agent', version: '1.0' },
    experimentContext: { experimentId, testCaseId },
    steps: [
      { stepId: 1, timestamp: '2026-11-26T10:00:00.123456Z', source: AtifStepSource.User, message: '2+2?' },
      {
        stepId: 2, timestamp: '2026-11-26T10:00:01.653456Z', source: AtifStepSource.Agent, message: '4',
        metrics: { promptTokens: 100, completionTokens: 10, cachedTokens: 5, costUsd: 0.05 },
      },
    ],
    extra: { verifier_result: { rewards: { correct, quality: 0.5 } } },
  };
}

/** Runs `call`, which must fail with `status` and `code`, and returns the answer parsed into the SDK's Problem. */
async function problemOf(call: () => Promise<unknown>, status: number, code: ProblemCode): Promise<Problem> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof ResponseError)) {
      throw e;
    }
    assert.equal(e.response.status, status);
    assert.match(e.response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = ProblemFromJSON(await e.response.json());
    assert.equal(problem.status, status);
    assert.equal(problem.code, code);
    assert.ok(problem.detail.length > 0 && problem.requestId.length > 0 && problem.instance.startsWith('/'));
    assert.equal(e.response.headers.get('x-request-id'), problem.requestId);
    return problem;
  }
  throw new Error(`expected the answer ${status}`);
}

test('the SDK offers every operation of the spec and nothing internal', () => {
  const offered = new Set<string>();
  for (const api of [ExperimentsApi, ExperimentSessionsApi, ExperimentAnalysisApi, IngestApi]) {
    Object.getOwnPropertyNames(api.prototype).forEach((m) => offered.add(m));
  }
  // sdks/build lists the spec's SDK operations (tags not marked x-internal) next to the generated code.
  const expected = readFileSync(join(__dirname, '../../../sdk-operations.txt'), 'utf8').split('\n').filter((l) => l);
  assert.ok(expected.length > 0);
  for (const op of expected) {
    assert.ok(offered.has(op), `missing ${op}`);
  }
  for (const internal of ['getLiveness', 'getReadiness', 'getOpenApiDocument']) {
    assert.ok(!offered.has(internal), `${internal} is internal`);
  }
});

test('experiment CRUD with nulls and values', async () => {
  const ws = workspace();
  const experiments = new ExperimentsApi(shared);

  const bare = await experiments.createExperiment({ workspace: ws, experimentRequest: experiment('bare') });
  assert.equal(bare.workspace, ws);
  assert.deepEqual([bare.datasetVersion, bare.experimentGroupId, bare.sourceLink, bare.description, bare.summary],
    [null, null, null, null, null]);
  assert.deepEqual(bare.metadata, {});

  const full = await experiments.createExperiment({
    workspace: ws, experimentRequest: experiment('full', {
      datasetVersion: 'v2', experimentGroupId: 'g-1', sourceLink: 'https://ci.example/run/1',
      metadata: { k: [1, 'two'] }, description: 'd', summary: 's',
    }),
  });
  assert.deepEqual([full.datasetVersion, full.experimentGroupId, full.sourceLink, full.description, full.summary],
    ['v2', 'g-1', 'https://ci.example/run/1', 'd', 's']);
  assert.deepEqual(full.metadata, { k: [1, 'two'] });
  // A string, not a Date: up to six fraction digits survive (trailing zeros are not written).
  assert.match(full.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);

  assert.deepEqual(await experiments.getExperiment({ workspace: ws, name: 'full' }), full);

  const updated = await experiments.updateExperiment({
    workspace: ws, name: 'full', experimentRequest: experiment('full', { datasetVersion: 'v2', summary: null }),
  });
  assert.equal(updated.summary, null);
  assert.equal(updated.id, full.id);

  await experiments.deleteExperiment({ workspace: ws, name: 'bare' });
  const gone = await problemOf(() => experiments.getExperiment({ workspace: ws, name: 'bare' }), 404, ProblemCode.ExperimentNotFound);
  assert.deepEqual(gone.errors, []);
});

test('experiment list filters, sorts and walks every page', async () => {
  const ws = workspace();
  const experiments = new ExperimentsApi(shared);
  const names = [0, 1, 2, 3, 4].map((i) => `exp-${i}`);
  for (const name of names) {
    await experiments.createExperiment({ workspace: ws, experimentRequest: experiment(name) });
  }

  const seen: string[] = [];
  for (let page = 1; ; page++) {
    const result = await experiments.listExperiments({ workspace: ws, page, pageSize: 2, sort: ExperimentSort.NAME });
    assert.equal(result.sort, ExperimentSort.NAME);
    assert.deepEqual([result.pagination.totalResults, result.pagination.totalPages], [5, 3]);
    seen.push(...result.data.map((e) => e.name));
    if (page >= result.pagination.totalPages) break;
  }
  assert.deepEqual(seen, names);

  const unfiltered = await experiments.listExperiments({ workspace: ws });
  assert.deepEqual(unfiltered.filter, { name: null, agentName: null, datasetName: null });
  const filtered = await experiments.listExperiments({
    workspace: ws, name: 'exp-3', agentName: 'agent', datasetName: 'dataset',
  });
  assert.deepEqual(filtered.data.map((e) => e.name), ['exp-3']);
  assert.deepEqual(filtered.filter, { name: 'exp-3', agentName: 'agent', datasetName: 'dataset' });
});

test('ingest and sessions with values and nulls, microseconds kept', async () => {
  const ws = workspace();
  await new ExperimentsApi(shared).createExperiment({ workspace: ws, experimentRequest: experiment('exp') });
  const ingest = new IngestApi(shared);
  const sessions = new ExperimentSessionsApi(shared);

  const stored = await ingest.ingestAtifTrajectory({ workspace: ws, atifTrajectory: trajectory('s-full', 'exp', 'case-1') });
  assert.deepEqual([stored.sessionId, stored.experimentName, stored.testCaseId], ['s-full', 'exp', 'case-1']);
  assert.equal(stored.evaluatorResultsWritten, 2);

  const bare: AtifTrajectory = {
    schemaVersion: AtifSchemaVersion.ATIF_V1_0, sessionId: 's-bare', agent: { name: 'a', version: '1' },
    experimentContext: { experimentId: 'exp' },
    steps: [{ stepId: 1, source: AtifStepSource.Agent, message: [{ type: 'text', text: 'hi' }] }],
  };
  assert.equal((await ingest.ingestAtifTrajectory({ workspace: ws, atifTrajectory: bare })).testCaseId, null);

  const batch = await ingest.ingestAtifTrajectoryBatch({
    workspace: ws, atifTrajectoryBatch: { trajectories: [trajectory('s-batch-1', 'exp', 'case-2'), trajectory('s-batch-2', 'exp', 'case-3')] },
  });
  assert.deepEqual(batch.results.map((r) => r.sessionId), ['s-batch-1', 's-batch-2']);

  const page = await sessions.listExperimentSessions({ workspace: ws, name: 'exp' });
  assert.equal(page.sort, 'started_at,root_span_id');
  assert.deepEqual([page.filter.status, page.filter.testCaseId], [null, null]);
  const rows = new Map(page.data.map((r) => [r.sessionId, r]));
  assert.deepEqual([...rows.keys()].sort(), ['s-bare', 's-batch-1', 's-batch-2', 's-full']);

  const full = rows.get('s-full')!;
  assert.equal(full.startedAt, '2026-11-26T10:00:00.123456Z');
  assert.equal(full.endedAt, '2026-11-26T10:00:01.653456Z');
  assert.deepEqual([full.testCaseId, full.input, full.latencyMs], ['case-1', '2+2?', 1530]);
  assert.deepEqual([full.inputTokens, full.outputTokens, full.cachedTokens, full.costTotalUsd], [100, 10, 5, 0.05]);
  assert.equal(full.status, SpanStatus.Success);
  assert.deepEqual(full.evaluatorScores, { correct: 1, quality: 0.5 });

  const none = rows.get('s-bare')!;
  assert.deepEqual([none.testCaseId, none.endedAt, none.latencyMs, none.input, none.inputTokens, none.outputTokens,
    none.cachedTokens, none.costTotalUsd], [null, null, null, null, null, null, null, null]);

  const only = await sessions.listExperimentSessions({ workspace: ws, name: 'exp', status: SpanStatus.Success, testCaseId: 'case-2' });
  assert.deepEqual(only.data.map((r) => r.sessionId), ['s-batch-1']);
  assert.deepEqual([only.filter.status, only.filter.testCaseId], [SpanStatus.Success, 'case-2']);
});

test('session pages walk every session exactly once', async () => {
  const ws = workspace();
  await new ExperimentsApi(shared).createExperiment({ workspace: ws, experimentRequest: experiment('exp') });
  const ids = [0, 1, 2, 3, 4, 5, 6].map((i) => `s-${i}`);
  await new IngestApi(shared).ingestAtifTrajectoryBatch({
    workspace: ws, atifTrajectoryBatch: { trajectories: ids.map((id) => trajectory(id, 'exp')) },
  });
  const sessions = new ExperimentSessionsApi(shared);
  const seen: string[] = [];
  for (let page = 1; ; page++) {
    const result = await sessions.listExperimentSessions({ workspace: ws, name: 'exp', page, pageSize: 3 });
    seen.push(...result.data.map((r) => r.sessionId));
    if (page >= result.pagination.totalPages) break;
  }
  assert.deepEqual([...seen].sort(), ids);
  assert.equal(new Set(seen).size, seen.length);

  // The same walk by cursor: `pagination.nextCursor` until it is null.
  const byCursor: string[] = [];
  let cursor: string | undefined;
  do {
    const result = await sessions.listExperimentSessions({ workspace: ws, name: 'exp', pageSize: 3, cursor });
    byCursor.push(...result.data.map((r) => r.sessionId));
    cursor = result.pagination.nextCursor ?? undefined;
  } while (cursor);
  assert.deepEqual(byCursor, seen);
});

/** The lines of a streamed body, decoded chunk by chunk as they arrive (never the whole body at once). */
async function* streamedLines(response: Response, separator: string): AsyncGenerator<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for (;;) {
    const { done, value } = await reader.read();
    pending += decoder.decode(value, { stream: !done });
    const complete = pending.split(separator);
    pending = complete.pop()!;
    yield* complete;
    if (done) break;
  }
  assert.equal(pending, '', 'every line ends with its separator');
}

/** The fields of one RFC 4180 record (no line break inside a field in these tests): quotes removed, "" unescaped. */
function csvFields(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (quoted && c === '"' && record[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

async function collect(lines: AsyncGenerator<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

test('export streams every session as NDJSON and CSV', async () => {
  const ws = workspace();
  await new ExperimentsApi(shared).createExperiment({ workspace: ws, experimentRequest: experiment('exp') });
  const ingest = new IngestApi(shared);
  await ingest.ingestAtifTrajectoryBatch({
    workspace: ws, atifTrajectoryBatch: {
      trajectories: [0, 1, 2, 3, 4, 5].map((n) => trajectory(`s-${n}`, 'exp', `case-${n % 2}`, n % 3 !== 0)),
    },
  });
  await ingest.ingestAtifTrajectory({
    workspace: ws, atifTrajectory: {
      schemaVersion: AtifSchemaVersion.ATIF_V1_0, sessionId: 's-bare', agent: { name: 'a', version: '1' },
      experimentContext: { experimentId: 'exp' },
      steps: [{ stepId: 1, source: AtifStepSource.Agent, message: 'no time or metrics or scores' }],
    },
  });
  const sessions = new ExperimentSessionsApi(shared);
  const listed = (await sessions.listExperimentSessions({ workspace: ws, name: 'exp' })).data;
  assert.equal(listed.length, 7);

  // The Raw method hands back the fetch Response unread, so its body can be streamed.
  const ndjson = (await sessions.exportExperimentSessionsRaw({ workspace: ws, name: 'exp' })).raw;
  assert.match(ndjson.headers.get('content-type') ?? '', /^application\/x-ndjson/);
  assert.equal(ndjson.headers.get('content-disposition'), 'attachment; filename="exp-sessions.ndjson"');
  const exported: ExperimentSessionResponse[] = (await collect(streamedLines(ndjson, '\n')))
    .map((line) => ExperimentSessionResponseFromJSON(JSON.parse(line)));
  assert.deepEqual(exported, listed); // every session once, in the list's order, each line as the list's row

  const oneCase = (await sessions.exportExperimentSessionsRaw({
    workspace: ws, name: 'exp', testCaseId: 'case-1', format: SessionExportFormat.Ndjson,
  })).raw;
  assert.deepEqual((await collect(streamedLines(oneCase, '\n'))).map((l) => JSON.parse(l).session_id),
    listed.filter((s) => s.testCaseId === 'case-1').map((s) => s.sessionId));

  const csv = (await sessions.exportExperimentSessionsRaw({ workspace: ws, name: 'exp', format: SessionExportFormat.Csv })).raw;
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="exp-sessions.csv"');
  // No field of these sessions holds a line break, so each \r\n ends a record.
  const [header, ...rows] = (await collect(streamedLines(csv, '\r\n'))).map(csvFields);
  assert.deepEqual(header.slice(0, 3), ['workspace', 'experiment_name', 'session_id']);
  assert.deepEqual(header.slice(-3), ['cost_total_usd', 'score.correct', 'score.quality']);
  const column = (row: string[], name: string) => row[header.indexOf(name)];
  assert.deepEqual(rows.map((row) => column(row, 'session_id')), listed.map((s) => s.sessionId));
  const byId = new Map(rows.map((row) => [column(row, 'session_id'), row]));
  const one = byId.get('s-1')!;
  assert.deepEqual(['latency_ms', 'cost_total_usd', 'score.correct'].map((c) => Number(column(one, c))), [1530, 0.05, 1]);
  assert.equal(column(one, 'started_at'), '2026-11-26T10:00:00.123456Z');
  assert.equal(Number(column(byId.get('s-0')!, 'score.correct')), 0);
  const bare = byId.get('s-bare')!;
  assert.deepEqual(['test_case_id', 'cost_total_usd', 'score.quality'].map((c) => column(bare, c)), ['', '', '']);

  const gone = await problemOf(() => sessions.exportExperimentSessionsRaw({ workspace: ws, name: 'no-such-experiment' }),
    404, ProblemCode.ExperimentNotFound);
  assert.deepEqual(gone.errors, []);
});

test('analysis: stats, test cases and a comparison with a baseline', async () => {
  const ws = workspace();
  const experiments = new ExperimentsApi(shared);
  const analysis = new ExperimentAnalysisApi(shared);
  for (const name of ['baseline', 'candidate']) {
    await experiments.createExperiment({ workspace: ws, experimentRequest: experiment(name) });
  }
  // The baseline fails case-1 and passes case-2; the candidate passes both, case-1 twice.
  await new IngestApi(shared).ingestAtifTrajectoryBatch({
    workspace: ws, atifTrajectoryBatch: {
      trajectories: [
        trajectory('b-1', 'baseline', 'case-1', false), trajectory('b-2', 'baseline', 'case-2'),
        trajectory('c-1a', 'candidate', 'case-1'), trajectory('c-1b', 'candidate', 'case-1'),
        trajectory('c-2', 'candidate', 'case-2'),
      ],
    },
  });

  const stats = await analysis.getExperimentStats({ workspace: ws, name: 'candidate' });
  assert.deepEqual([stats.sessions, stats.byStatus.success, stats.byStatus.error], [3, 3, 0]);
  assert.deepEqual([stats.latencyMs.n, stats.latencyMs.p50], [3, 1530]);
  const correct = stats.evaluators['correct'];
  assert.deepEqual([correct.n, correct.mean, correct.passRate], [3, 1, 1]);
  assert.equal(stats.evaluators['quality'].passRate, null);
  assert.deepEqual([stats.testCases.count, stats.testCases.repetitionsMin, stats.testCases.repetitionsMax], [2, 1, 2]);

  const first = await analysis.listExperimentTestCases({ workspace: ws, name: 'baseline', page: 1, pageSize: 1 });
  assert.equal(first.sort, 'test_case_id');
  assert.deepEqual([first.pagination.totalResults, first.pagination.totalPages], [2, 2]);
  const row = first.data[0];
  assert.deepEqual([row.testCaseId, row.sessions, row.latencyMsMean, row.totalTokensMean], ['case-1', 1, 1530, 110]);
  assert.deepEqual([row.evaluators['correct'].mean, row.evaluators['correct'].stddev], [0, null]);

  const comparison = await analysis.compareExperiments({
    workspace: ws, name: 'candidate', baseline: 'baseline', evaluator: 'correct',
  });
  assert.deepEqual([comparison.baseline, comparison.candidate], ['baseline', 'candidate']);
  const rows = new Map(comparison.data.map((r) => [r.testCaseId, r]));
  const improved = rows.get('case-1')!;
  assert.deepEqual([improved.baseline.mean, improved.candidate.n, improved.delta, improved.pValue], [0, 2, 1, null]);
  assert.deepEqual([improved.verdict, improved.verdictRule], [ComparisonVerdict.Improved, VerdictRule.MinDelta]);
  assert.equal(improved.latencyMsDelta, 0);
  assert.deepEqual([rows.get('case-2')!.delta, rows.get('case-2')!.verdict], [0, ComparisonVerdict.Unchanged]);
  const summary = comparison.summary;
  assert.deepEqual([summary.compared, summary.paired, summary.improved, summary.unchanged, summary.meanDelta],
    [2, 2, 1, 1, 0.5]);

  const unknown = await problemOf(() => analysis.compareExperiments({
    workspace: ws, name: 'candidate', baseline: 'no-such-baseline', evaluator: 'correct',
  }), 404, ProblemCode.ExperimentNotFound);
  assert.deepEqual(unknown.errors, []);
});

test('every declared error status parses into Problem', async () => {
  const ws = workspace();
  const experiments = new ExperimentsApi(shared);
  const ingest = new IngestApi(shared);
  await experiments.createExperiment({ workspace: ws, experimentRequest: experiment('exp') });

  const where = (p: Problem) => p.errors.map((e) => [e.field, e.location]);
  const bad = await problemOf(() => ingest.ingestAtifTrajectory({ workspace: ws, atifTrajectory: trajectory('s', 'nope') }),
    422, ProblemCode.ExperimentNotFound);
  assert.deepEqual(where(bad), [['$.experiment_context.experiment_id', ProblemFieldLocation.Body]]);

  await problemOf(() => experiments.getExperiment({ workspace: ws, name: 'missing' }), 404, ProblemCode.ExperimentNotFound);

  const taken = await problemOf(() => experiments.createExperiment({ workspace: ws, experimentRequest: experiment('exp') }),
    409, ProblemCode.ExperimentNameTaken);
  assert.deepEqual(where(taken), [['$.name', ProblemFieldLocation.Body]]);
  const immutable = await problemOf(() => experiments.updateExperiment({
    workspace: ws, name: 'exp', experimentRequest: experiment('exp', { agentName: 'other', datasetName: 'data-2' }),
  }), 409, ProblemCode.ImmutableField);
  assert.deepEqual(immutable.errors.map((e) => e.field), ['$.agent_name', '$.dataset_name']);

  const wrongSteps = trajectory('s', 'exp');
  wrongSteps.steps![0].stepId = 2;
  const invalid = await problemOf(() => ingest.ingestAtifTrajectory({ workspace: ws, atifTrajectory: wrongSteps }),
    422, ProblemCode.ValidationFailed);
  assert.deepEqual(where(invalid), [['$.steps[0].step_id', ProblemFieldLocation.Body]]);

  // The body as text/plain: the server wants application/json.
  await problemOf(() => experiments.createExperiment({ workspace: ws, experimentRequest: experiment('typed') },
    { headers: { 'Content-Type': 'text/plain' } }), 415, ProblemCode.UnsupportedMediaType);

  const small = new ExperimentsApi(config(env('INTAKE_SMALL_BODY_URL')));
  await problemOf(() => small.createExperiment({ workspace: ws, experimentRequest: experiment('big', { description: 'x'.repeat(5000) }) }),
    413, ProblemCode.BodyTooLarge);

  const down = new ExperimentsApi(config(env('INTAKE_STORE_DOWN_URL')));
  await problemOf(() => down.listExperiments({ workspace: ws }), 503, ProblemCode.StoreUnavailable);

  const anonymous = new ExperimentsApi(config(env('INTAKE_JWT_URL')));
  await problemOf(() => anonymous.listExperiments({ workspace: ws }), 401, ProblemCode.Unauthenticated);
  const noRole = new ExperimentsApi(config(env('INTAKE_JWT_URL'), env('INTAKE_JWT_TOKEN_WITHOUT_ROLE')));
  await problemOf(() => noRole.listExperiments({ workspace: ws }), 403, ProblemCode.Forbidden);

  // A value the SDK itself would send unchecked: the server names the query parameter.
  const outOfRange = await problemOf(() => experiments.listExperiments({ workspace: ws, pageSize: 0 }),
    400, ProblemCode.InvalidParameter);
  assert.deepEqual(where(outOfRange), [['page_size', ProblemFieldLocation.Query]]);
});
