'use strict';
// End-to-end tests: each starts server.js as a child process on a free port with a temporary data dir and talks
// HTTP to it, the way the Java driver does. Run with `node --test` in local-clickhouse/.

const { test, describe, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');

const SERVER = path.join(__dirname, '..', 'server.js');
const started = new Set();
const tempDirs = [];

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-clickhouse-test-'));
  tempDirs.push(dir);
  return dir;
}

// Starts the server and resolves once it printed its ready line.
function startServer(dataDir, env = {}) {
  const proc = spawn(process.execPath, [SERVER], {
    env: { ...process.env, LOCAL_CLICKHOUSE_PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(proc);
  proc.on('exit', () => started.delete(proc));
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => { stdout += d; });
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const ready = new Promise((resolve, reject) => {
    const onData = () => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(stdout);
      if (m) { proc.stdout.off('data', onData); resolve(Number(m[1])); }
    };
    proc.stdout.on('data', onData);
    exited.then((r) => reject(new Error(`server exited early (${r.code}): ${r.stderr}`)));
  });
  return { proc, ready, exited, output: () => ({ stdout, stderr }) };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

// One HTTP request; resolves with status, headers, body (Buffer) and the local port of the socket used.
function request(port, { method = 'POST', path: p = '/', headers = {}, body, agent: a = agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent: a }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks),
        localPort: res.socket && res.socket.localPort }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function sql(port, text, { params = '', headers = {} } = {}) {
  return request(port, { path: '/' + (params ? '?' + params : ''), headers, body: text });
}

async function ok(port, text, opts) {
  const r = await sql(port, text, opts);
  assert.equal(r.status, 200, r.body.toString());
  return r;
}

after(async () => {
  agent.destroy();
  const exits = [...started].map((p) => new Promise((resolve) => { p.on('exit', resolve); p.kill('SIGKILL'); }));
  await Promise.all(exits);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('local-clickhouse HTTP interface', () => {
  let server;
  let port;
  let dataDir;

  before(async () => {
    dataDir = tempDir();
    server = startServer(dataDir);
    port = await server.ready;
    await ok(port, 'CREATE DATABASE IF NOT EXISTS intake');
    await ok(port, `CREATE TABLE intake.spans (
        workspace LowCardinality(String),
        session_id String,
        start_time DateTime64(6),
        attrs Map(LowCardinality(String), Float64),
        event_ts DateTime64(6),
        is_deleted UInt8 DEFAULT 0
      ) ENGINE = ReplacingMergeTree(event_ts, is_deleted)
      ORDER BY (workspace, session_id, start_time)`);
  });

  after(async () => {
    server.proc.kill('SIGTERM');
    await server.exited;
  });

  test('GET /ping and GET / answer Ok.', async () => {
    for (const p of ['/ping', '/']) {
      const r = await request(port, { method: 'GET', path: p });
      assert.equal(r.status, 200);
      assert.equal(r.body.toString(), 'Ok.\n');
      assert.equal(r.headers['content-length'], '4');
    }
  });

  test('SQL in ?query= (GET) and in the POST body; TabSeparated by default', async () => {
    const g = await request(port, { method: 'GET', path: '/?query=' + encodeURIComponent('SELECT 1 + 1') });
    assert.equal(g.body.toString(), '2\n');
    assert.equal(g.headers['x-clickhouse-format'], 'TabSeparated');
    const p = await ok(port, 'SELECT version()');
    assert.match(p.body.toString(), /^26\./);
    assert.equal(p.headers['x-clickhouse-timezone'], 'UTC');
    assert.equal(p.headers['x-clickhouse-server-display-name'], 'local-clickhouse');
    assert.equal(Number(p.headers['content-length']), p.body.length);
  });

  test('INSERT ... FORMAT JSONEachRow with the rows in the body reports written_rows', async () => {
    const rows = [
      { workspace: 'w', session_id: 's1', start_time: '2026-01-01 00:00:00.123456', attrs: { cost: 1.5 }, event_ts: '2026-01-01 00:00:00' },
      { workspace: 'w', session_id: 's2', start_time: '2026-01-01 00:00:01.5', attrs: { cost: 2 }, event_ts: '2026-01-01 00:00:00' },
    ];
    const r = await request(port, {
      path: '/?database=intake&query=' + encodeURIComponent('INSERT INTO spans FORMAT JSONEachRow'),
      body: rows.map((x) => JSON.stringify(x)).join('\n'),
    });
    assert.equal(r.status, 200, r.body.toString());
    const summary = JSON.parse(r.headers['x-clickhouse-summary']);
    assert.equal(summary.written_rows, '2');
    for (const k of ['read_rows', 'read_bytes', 'written_bytes', 'total_rows_to_read', 'result_rows', 'result_bytes', 'elapsed_ns', 'engine_elapsed_ns']) {
      assert.match(summary[k], /^\d+$/, k);
    }
    // the whole statement in the body, data after the FORMAT clause
    const b = await ok(port, 'INSERT INTO intake.spans FORMAT JSONEachRow\n' + JSON.stringify({ ...rows[0], session_id: 's3' }));
    assert.equal(JSON.parse(b.headers['x-clickhouse-summary']).written_rows, '1');
    // VALUES, as the JDBC driver sends a PreparedStatement batch
    const v = await ok(port, "INSERT INTO intake.spans (workspace, session_id, start_time, attrs, event_ts) VALUES ('w', 's4', now64(6), map('a', 1), now64(6)), ('w', 's5', now64(6), map(), now64(6))");
    assert.equal(JSON.parse(v.headers['x-clickhouse-summary']).written_rows, '2');
  });

  test('binary INSERT data (RowBinary) in the body', async () => {
    await ok(port, 'CREATE TABLE default.rb (a UInt32, s String) ENGINE = MergeTree ORDER BY a');
    const data = Buffer.concat([Buffer.from([7, 0, 0, 0, 2, 0xff, 0x00]), Buffer.from([8, 0, 0, 0, 1, 0x0a])]);
    const r = await request(port, { path: '/?query=' + encodeURIComponent('INSERT INTO rb FORMAT RowBinary'), body: data });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(JSON.parse(r.headers['x-clickhouse-summary']).written_rows, '2');
    const s = await ok(port, 'SELECT a, hex(s) FROM rb ORDER BY a');
    assert.equal(s.body.toString(), '7\tFF00\n8\t0A\n');
  });

  test('server-side parameters param_NAME bind {NAME:Type}', async () => {
    const r = await ok(port, 'SELECT session_id, start_time, attrs FROM spans FINAL WHERE session_id = {x:String}', {
      params: 'param_x=s1&default_format=JSONEachRow', headers: { 'X-ClickHouse-Database': 'intake' },
    });
    assert.deepEqual(JSON.parse(r.body.toString()), { session_id: 's1', start_time: '2026-01-01 00:00:00.123456', attrs: { cost: 1.5 } });
    // values arrive in ClickHouse's escaped text form, as from the Java client
    const q = await ok(port, 'SELECT {s:String} AS s, {n:UInt8} + 1, {a:Array(String)}', {
      params: 'param_s=' + encodeURIComponent("it's a \\\\ \\t") + '&param_n=41&param_a=' + encodeURIComponent("['x','y']") + '&default_format=JSONCompactEachRow',
    });
    assert.deepEqual(JSON.parse(q.body.toString()), ["it's a \\ \t", 42, ['x', 'y']]);
  });

  test('RowBinaryWithNamesAndTypes output, format from the header', async () => {
    const r = await ok(port, 'SELECT toUInt8(5) AS c', { headers: { 'X-ClickHouse-Format': 'RowBinaryWithNamesAndTypes' } });
    assert.equal(r.headers['x-clickhouse-format'], 'RowBinaryWithNamesAndTypes');
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    // 1 column, name "c", type "UInt8", value 5
    assert.deepEqual([...r.body], [1, 1, 0x63, 5, ...Buffer.from('UInt8'), 5]);
  });

  test('format precedence: header, then default_format; a FORMAT clause is reported', async () => {
    const h = await ok(port, 'SELECT 1 AS x', { params: 'default_format=CSV', headers: { 'X-ClickHouse-Format': 'JSONEachRow' } });
    assert.equal(h.body.toString(), '{"x":1}\n');
    const d = await ok(port, 'SELECT 1 AS x', { params: 'default_format=CSVWithNames' });
    assert.equal(d.body.toString(), '"x"\n1\n');
    const f = await ok(port, 'SELECT 1 AS x FORMAT JSONEachRow');
    assert.equal(f.headers['x-clickhouse-format'], 'JSONEachRow');
  });

  test('database from header or ?database=; query id echoed or generated', async () => {
    const h = await ok(port, 'SELECT currentDatabase()', { headers: { 'X-ClickHouse-Database': 'intake', 'X-ClickHouse-Query-Id': 'q-1' } });
    assert.equal(h.body.toString(), 'intake\n');
    assert.equal(h.headers['x-clickhouse-query-id'], 'q-1');
    const p = await ok(port, 'SELECT currentDatabase()', { params: 'database=system&query_id=q-2' });
    assert.equal(p.body.toString(), 'system\n');
    assert.equal(p.headers['x-clickhouse-query-id'], 'q-2');
    const n = await ok(port, 'SELECT currentDatabase()');
    assert.equal(n.body.toString(), 'default\n');
    assert.match(n.headers['x-clickhouse-query-id'], /^[0-9a-f-]{36}$/);
  });

  test('user, password and the driver\'s control parameters are accepted', async () => {
    const auth = 'Basic ' + Buffer.from('default:secret').toString('base64');
    const r = await ok(port, 'SELECT 1', {
      params: 'compress=0&decompress=0&wait_end_of_query=1&session_id=abc&extremes=0&role=r1&user=default&password=x',
      headers: { Authorization: auth, 'X-ClickHouse-User': 'u', 'X-ClickHouse-Key': 'k', 'User-Agent': 'clickhouse-java-v2/0.10.0' },
    });
    assert.equal(r.body.toString(), '1\n');
  });

  test('ClickHouse-style errors with the real server\'s HTTP status', async () => {
    const cases = [
      ['SELEC 1', '', 400, 62],
      ['SELECT * FROM nope', '', 404, 60],
      ['SELECT 1', 'database=nodb', 404, 81],
      ['SELECT 1', 'no_such_setting=1', 404, 115],
      ['SELECT throwIf(1)', '', 500, 395],
      ['SELECT 1', 'compress=1', 501, 48],
      ['   ', '', 400, 62],
    ];
    for (const [text, params, status, code] of cases) {
      const r = await sql(port, text, { params });
      assert.equal(r.status, status, `${text} ${params}: ${r.body}`);
      assert.equal(r.headers['x-clickhouse-exception-code'], String(code));
      assert.match(r.body.toString(), new RegExp(`^Code: ${code}\\. DB::Exception: .* \\(version 26\\.[0-9.]+\\)\\n$`, 's'));
    }
  });

  test('URL settings apply to their statement only; SET does not persist either', async () => {
    const limited = await ok(port, 'SELECT number FROM numbers(10)', { params: 'max_result_rows=3&result_overflow_mode=break&max_block_size=1' });
    assert.equal(limited.body.toString().trim().split('\n').length, 3);
    const after1 = await ok(port, "SELECT getSetting('max_result_rows'), getSetting('result_overflow_mode'), getSetting('max_block_size')");
    assert.equal(after1.body.toString(), '0\tthrow\t65409\n');
    await ok(port, 'SET max_threads = 1');
    const after2 = await ok(port, "SELECT changed FROM system.settings WHERE name = 'max_threads'");
    assert.equal(after2.body.toString(), '0\n');
    const use = await ok(port, 'USE system');
    assert.equal(use.status, 200);
    assert.equal((await ok(port, 'SELECT currentDatabase()')).body.toString(), 'default\n');
  });

  test('consecutive statements each run with exactly their own URL settings, whatever came before', async () => {
    const read = "SELECT getSetting('max_result_rows'), getSetting('log_comment')";
    const a = await ok(port, read, { params: 'max_result_rows=7&log_comment=a' });
    assert.equal(a.body.toString(), '7\ta\n');
    const same = await ok(port, read, { params: 'max_result_rows=7&log_comment=a' });
    assert.equal(same.body.toString(), '7\ta\n');
    const other = await ok(port, read, { params: 'log_comment=b' });
    assert.equal(other.body.toString(), '0\tb\n');
    const none = await ok(port, read);
    assert.equal(none.body.toString(), '0\t\n');
    const refused = await sql(port, 'SELECT 1', { params: 'max_result_rows=5&max_threads=nonsense' });
    assert.notEqual(refused.status, 200);
    const afterRefused = await ok(port, "SELECT getSetting('max_result_rows'), getSetting('max_threads') > 0");
    assert.equal(afterRefused.body.toString(), '0\t1\n');
  });

  test('max_execution_time cuts a slow statement off; the next result is clean', async () => {
    const t0 = Date.now();
    const r = await sql(port, 'SELECT sleepEachRow(0.5) FROM numbers(10) SETTINGS max_block_size = 1', {
      params: 'max_execution_time=1', headers: { 'X-ClickHouse-Format': 'RowBinaryWithNamesAndTypes' },
    });
    const took = Date.now() - t0;
    assert.equal(r.headers['x-clickhouse-exception-code'], '159', r.body.toString());
    assert.equal(r.status, 408);
    assert.ok(took < 3000, `took ${took} ms`);
    // the engine keeps a failed statement's partial output; it must not leak into the next response
    const next = await ok(port, 'SELECT toUInt8(7) AS v', { headers: { 'X-ClickHouse-Format': 'RowBinaryWithNamesAndTypes' } });
    assert.deepEqual([...next.body], [1, 1, 0x76, 5, ...Buffer.from('UInt8'), 7]);
    const setting = await ok(port, "SELECT getSetting('max_execution_time')");
    assert.equal(setting.body.toString(), '0\n');
  });

  test('an INSERT of several MB streamed in the body', async () => {
    const lines = [];
    for (let i = 0; i < 40000; i++) {
      lines.push(JSON.stringify({ workspace: 'big', session_id: 'sess-' + i, start_time: '2026-01-02 00:00:00', attrs: { i, pad: 0.5 }, event_ts: '2026-01-02 00:00:00', note: 'x'.repeat(100) }));
    }
    const body = Buffer.from(lines.join('\n'));
    assert.ok(body.length > 5 * 1024 * 1024);
    const r = await request(port, {
      path: '/?input_format_skip_unknown_fields=1&query=' + encodeURIComponent('INSERT INTO intake.spans FORMAT JSONEachRow'),
      headers: { 'Transfer-Encoding': 'chunked' }, body,
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(JSON.parse(r.headers['x-clickhouse-summary']).written_rows, '40000');
    const c = await ok(port, "SELECT count() FROM intake.spans WHERE workspace = 'big'");
    assert.equal(c.body.toString(), '40000\n');
  });

  test('gzip request body and multipart/form-data query', async () => {
    const g = await request(port, { headers: { 'Content-Encoding': 'gzip' }, body: zlib.gzipSync('SELECT 40 + 2') });
    assert.equal(g.body.toString(), '42\n');
    const boundary = 'b0undary';
    const form = [`--${boundary}`, 'Content-Disposition: form-data; name="param_v"', '', '41',
      `--${boundary}`, 'Content-Disposition: form-data; name="query"', '', 'SELECT {v:UInt8} + 1', `--${boundary}--`, ''].join('\r\n');
    const m = await request(port, { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: form });
    assert.equal(m.status, 200, m.body.toString());
    assert.equal(m.body.toString(), '42\n');
  });

  test('keep-alive: consecutive requests reuse one connection', async () => {
    const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = [];
    for (let i = 0; i < 5; i++) ports.push((await request(port, { body: 'SELECT 1', agent: one })).localPort);
    one.destroy();
    assert.equal(new Set(ports).size, 1);
  });

  test('a client that disconnects mid-query does not hurt; its queued statement is skipped', async () => {
    await ok(port, 'CREATE TABLE default.abandoned (a UInt8) ENGINE = MergeTree ORDER BY a');
    const fire = (body) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false });
      req.on('error', () => {});
      req.end(body);
      return req;
    };
    const slow = fire('SELECT sleepEachRow(0.5) FROM numbers(3) SETTINGS max_block_size = 1');
    await new Promise((r) => setTimeout(r, 200));
    const queued = fire('INSERT INTO default.abandoned VALUES (1)');
    await new Promise((r) => setTimeout(r, 200));
    slow.destroy();
    queued.destroy();
    const ping = await request(port, { method: 'GET', path: '/ping' });
    assert.equal(ping.body.toString(), 'Ok.\n');
    const q = await ok(port, 'SELECT count() FROM default.abandoned'); // runs after the slow statement
    assert.equal(q.body.toString(), '0\n');
  });
});

describe('process behaviour', () => {
  test('request bodies above LOCAL_CLICKHOUSE_MAX_BODY_BYTES get a ClickHouse-style error', async () => {
    const s = startServer(tempDir(), { LOCAL_CLICKHOUSE_MAX_BODY_BYTES: '1000' });
    const port = await s.ready;
    try {
      const r = await request(port, { body: 'SELECT ' + "'" + 'x'.repeat(5000) + "'", agent: false });
      assert.equal(r.status, 413);
      assert.equal(r.headers['x-clickhouse-exception-code'], '229');
      const chunked = await request(port, { body: 'x'.repeat(5000), headers: { 'Transfer-Encoding': 'chunked' }, agent: false });
      assert.equal(chunked.status, 413);
      assert.equal((await request(port, { body: 'SELECT 1', agent: false })).body.toString(), '1\n');
    } finally {
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  test('SIGTERM lets the running statement finish, exits 0 and frees the data dir; a locked dir is refused', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'server.pid');
    const a = startServer(dir, { LOCAL_CLICKHOUSE_PIDFILE: pidFile });
    const port = await a.ready;
    assert.equal(fs.readFileSync(pidFile, 'utf8').trim(), String(a.proc.pid));
    await ok(port, 'CREATE TABLE default.kept (a UInt8) ENGINE = MergeTree ORDER BY a');
    await ok(port, 'INSERT INTO default.kept VALUES (1), (2)');

    // a second process on the same data dir must give up with a clear message
    const b = startServer(dir);
    b.ready.catch(() => {});
    const bExit = await b.exited;
    assert.equal(bExit.code, 75, 'EX_TEMPFAIL: the caller may retry');
    assert.match(bExit.stderr, /local-clickhouse: data dir .* is locked by another process/);

    const slow = request(port, { body: 'SELECT sum(sleepEachRow(0.5)) FROM numbers(2) SETTINGS max_block_size = 1', agent: false });
    await new Promise((r) => setTimeout(r, 300));
    a.proc.kill('SIGTERM');
    const r = await slow;
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.body.toString(), '0\n');
    const aExit = await a.exited;
    assert.equal(aExit.code, 0, aExit.stderr);
    assert.equal(fs.existsSync(pidFile), false);

    const c = startServer(dir);
    const port2 = await c.ready;
    assert.equal((await request(port2, { body: 'SELECT count() FROM default.kept', agent: false })).body.toString(), '2\n');
    c.proc.kill('SIGINT');
    assert.equal((await c.exited).code, 0);
  });

  test('kill -9 of the parent stops the engine (no orphan holding the data dir) and a new start succeeds', async () => {
    const dir = tempDir();
    // A parent that starts the engine the way the Java service does (LOCAL_CLICKHOUSE_PARENT_PID = its own pid),
    // reports the engine's pid and port, then just lives until it is killed.
    const parentScript = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [${JSON.stringify(SERVER)}], {
        env: { ...process.env, LOCAL_CLICKHOUSE_PORT: '0', DATA_DIR: ${JSON.stringify(dir)},
               LOCAL_CLICKHOUSE_PARENT_PID: String(process.pid) },
        stdio: ['ignore', 'inherit', 'inherit'] });
      console.log('engine pid ' + child.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.add(parent);
    const engine = await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      parent.stderr.on('data', (d) => { err += d; });
      parent.stdout.on('data', (d) => {
        out += d;
        const pid = /engine pid (\d+)/.exec(out);
        const port = /listening on http:\/\/[^:]+:(\d+)/.exec(out);
        if (pid && port) resolve({ pid: Number(pid[1]), port: Number(port[1]) });
      });
      parent.on('exit', (code) => reject(new Error(`parent exited early (${code}): ${err}`)));
    });
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return false; } };
    try {
      await ok(engine.port, 'CREATE TABLE default.survivor (a UInt8) ENGINE = MergeTree ORDER BY a');
      await ok(engine.port, 'INSERT INTO default.survivor VALUES (7)');

      parent.kill('SIGKILL');
      const deadline = Date.now() + 10000;
      while (alive(engine.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(engine.pid), false, 'the engine outlived its parent');

      const next = startServer(dir);
      const port = await next.ready;
      assert.equal((await request(port, { body: 'SELECT a FROM default.survivor', agent: false })).body.toString(), '7\n');
      next.proc.kill('SIGTERM');
      assert.equal((await next.exited).code, 0);
    } finally {
      if (alive(engine.pid)) process.kill(engine.pid, 'SIGKILL');
    }
  });
});
