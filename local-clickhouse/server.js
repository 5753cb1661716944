#!/usr/bin/env node
'use strict';
// local-clickhouse: the ClickHouse engine of the npm package `chdb` (in-process ClickHouse) behind the subset of
// ClickHouse's HTTP interface that clients use (clickhouse-jdbc / client-v2, curl, ...). For local development and
// CI only: production runs a real ClickHouse server. See README.md for configuration and limits.

// The engine reads TZ once, when it loads; the driver interprets DateTime values without an explicit zone in the
// server's zone (X-ClickHouse-Timezone), so pin it before chdb is required.
process.env.TZ = process.env.LOCAL_CLICKHOUSE_TZ || 'UTC';

const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { randomUUID } = require('crypto');
const chdb = require('chdb');

// ---------------------------------------------------------------------------------------------------------------
// Configuration

const MIB = 1024 * 1024;
// Exit status when another process holds the data dir: the caller may retry (the holder may be stopping), as with
// sysexits' EX_TEMPFAIL.
const EXIT_DATA_DIR_LOCKED = 75;

function parseArgs(argv) {
  // Accepts --port=N --host=H --data-dir=D (and the two-word form --port N); flags win over env vars.
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument '${argv[i]}'`);
    out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
  }
  return out;
}

function intSetting(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function loadConfig(env, argv) {
  const args = parseArgs(argv);
  return {
    host: args.host || env.LOCAL_CLICKHOUSE_HOST || '127.0.0.1',
    // 0 asks the OS for a free port; the ready line tells which one.
    port: intSetting(args.port !== undefined ? args.port : env.LOCAL_CLICKHOUSE_PORT, 8123, 'LOCAL_CLICKHOUSE_PORT'),
    dataDir: path.resolve(args['data-dir'] || env.LOCAL_CLICKHOUSE_DATA_DIR || env.DATA_DIR || '.data/clickhouse'),
    pidFile: env.LOCAL_CLICKHOUSE_PIDFILE ? path.resolve(env.LOCAL_CLICKHOUSE_PIDFILE) : null,
    maxBodyBytes: intSetting(env.LOCAL_CLICKHOUSE_MAX_BODY_BYTES, 256 * MIB, 'LOCAL_CLICKHOUSE_MAX_BODY_BYTES'),
    shutdownTimeoutMs: intSetting(env.LOCAL_CLICKHOUSE_SHUTDOWN_TIMEOUT_MS, 10000, 'LOCAL_CLICKHOUSE_SHUTDOWN_TIMEOUT_MS'),
    // The process that started us: when it dies (even by kill -9) we stop too, releasing the data dir's lock for
    // its next start instead of holding it as an orphan. 0 = nobody to watch.
    parentPid: intSetting(env.LOCAL_CLICKHOUSE_PARENT_PID, 0, 'LOCAL_CLICKHOUSE_PARENT_PID'),
    displayName: env.LOCAL_CLICKHOUSE_DISPLAY_NAME || 'local-clickhouse',
    logQueries: env.LOCAL_CLICKHOUSE_LOG_QUERIES === '1',
    // Engine time reads get for each unit a write takes while reads are waiting (see SerialQueue); 0 = FIFO.
    readsPerWrite: intSetting(env.LOCAL_CLICKHOUSE_READS_PER_WRITE, 2, 'LOCAL_CLICKHOUSE_READS_PER_WRITE'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors in ClickHouse's shape

// Error names of the codes this file produces itself or maps to an HTTP status.
const ERROR_NAMES = {
  36: 'BAD_ARGUMENTS', 48: 'NOT_IMPLEMENTED', 62: 'SYNTAX_ERROR', 89: 'UNKNOWN_COMPRESSION_METHOD', 115: 'UNKNOWN_SETTING',
  229: 'QUERY_IS_TOO_LARGE', 236: 'ABORTED', 271: 'CANNOT_DECOMPRESS', 1001: 'STD_EXCEPTION',
};

class ClickHouseError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// HTTP status per exception code, as ClickHouse's own exceptionCodeToHTTPStatus (src/Server/HTTP/).
const STATUS_BY_CODE = new Map();
function mapCodes(status, codes) { for (const c of codes) STATUS_BY_CODE.set(c, status); }
mapCodes(401, [194]); // REQUIRED_PASSWORD
mapCodes(403, [192, 193, 516, 512, 497]); // UNKNOWN_USER, WRONG_PASSWORD, AUTHENTICATION_FAILED, SET_NON_GRANTED_ROLE, ACCESS_DENIED
// BAD_ARGUMENTS, CANNOT_COMPILE_REGEXP, CANNOT_PARSE_* (text, escape, quoted, date, datetime, number, domain, ipv4,
// ipv6, input assertion, uuid), DUPLICATE_COLUMN, ILLEGAL_COLUMN, UNKNOWN_ELEMENT_IN_AST, UNKNOWN_TYPE_OF_AST_NODE,
// THERE_IS_NO_COLUMN, TOO_DEEP_AST, TOO_BIG_AST, UNEXPECTED_AST_STRUCTURE, SYNTAX_ERROR, INCORRECT_DATA,
// TYPE_MISMATCH, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
mapCodes(400, [36, 427, 6, 25, 26, 38, 41, 72, 441, 675, 676, 27, 376, 15, 44, 37, 123, 8, 167, 168, 223, 62, 117, 53, 321]);
// UNKNOWN_TABLE, UNKNOWN_FUNCTION, UNKNOWN_IDENTIFIER, UNKNOWN_TYPE, UNKNOWN_STORAGE, UNKNOWN_DATABASE,
// UNKNOWN_SETTING, UNKNOWN_DIRECTION_OF_SORTING, UNKNOWN_AGGREGATE_FUNCTION, UNKNOWN_FORMAT,
// UNKNOWN_DATABASE_ENGINE, UNKNOWN_TYPE_OF_QUERY, UNKNOWN_ROLE
mapCodes(404, [60, 46, 47, 50, 56, 81, 115, 152, 63, 73, 336, 78, 511]);
mapCodes(413, [229]); // QUERY_IS_TOO_LARGE
mapCodes(501, [48]); // NOT_IMPLEMENTED
mapCodes(503, [209, 76, 439]); // SOCKET_TIMEOUT, CANNOT_OPEN_FILE, CANNOT_SCHEDULE_TASK
mapCodes(411, [381]); // HTTP_LENGTH_REQUIRED
mapCodes(408, [159]); // TIMEOUT_EXCEEDED
mapCodes(415, [779]); // UNSUPPORTED_MEDIA_TYPE

function httpStatusFor(code) {
  return STATUS_BY_CODE.get(code) || 500;
}

// Engine errors arrive as "Code: N. DB::Exception: ... (NAME)"; anything else (a bug here, an addon error) is
// wrapped the way ClickHouse wraps a std::exception.
function toClickHouseError(e) {
  if (e instanceof ClickHouseError) return e;
  const message = String((e && e.message) || e);
  const m = /^Code: (\d+)\. /.exec(message);
  if (m) return new ClickHouseError(Number(m[1]), message.slice(m[0].length));
  const code = e && Number.isInteger(e.clickhouseCode) ? e.clickhouseCode : 1001;
  return new ClickHouseError(code, `DB::Exception: ${message}. (${ERROR_NAMES[code] || 'STD_EXCEPTION'})`);
}

function newError(code, text) {
  return new ClickHouseError(code, `DB::Exception: ${text}. (${ERROR_NAMES[code]})`);
}

// ---------------------------------------------------------------------------------------------------------------
// The engine: one chDB session on the data dir, one statement at a time.

// Statements that only read: they may run before queued writes (see SerialQueue).
const READ_KINDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXISTS', 'EXPLAIN']);

class SerialQueue {
  // Async jobs run strictly one after another: a chDB data dir belongs to one connection, and the engine keeps
  // per-connection state (current database, settings, pending output) between statements.
  // Reads go first: a queued read runs before queued writes, so a large insert does not make every page wait
  // behind it. Writes are not starved: after a write has run for d ms while reads were waiting, reads keep the
  // priority for d * readsPerWrite ms, then the oldest write runs even if reads wait; so under a steady read load
  // writes still get 1 / (1 + readsPerWrite) of the engine, and a read waits for at most one write. Within each
  // kind the order is FIFO. readsPerWrite = 0 runs every job in arrival order.
  constructor(readsPerWrite = 0) {
    this.readsPerWrite = readsPerWrite;
    this.reads = [];
    this.writes = [];
    this.running = false;
    this.idleWaiters = [];
    this.readsFirstUntil = 0n; // hrtime (ns) until which queued reads go before queued writes
  }

  push(job, isRead = false) {
    return new Promise((resolve, reject) => {
      const entry = { job, resolve, reject };
      (this.readsPerWrite > 0 && isRead ? this.reads : this.writes).push(entry);
      if (!this.running) this.pump();
    });
  }

  next() {
    if (this.reads.length === 0) return { entry: this.writes.shift(), isWrite: true };
    if (this.writes.length === 0) return { entry: this.reads.shift(), isWrite: false };
    if (process.hrtime.bigint() < this.readsFirstUntil) return { entry: this.reads.shift(), isWrite: false };
    // the reads' head start is used up: the oldest write runs
    return { entry: this.writes.shift(), isWrite: true };
  }

  async pump() {
    this.running = true;
    while (this.reads.length > 0 || this.writes.length > 0) {
      const { entry, isWrite } = this.next();
      const started = process.hrtime.bigint();
      try { entry.resolve(await entry.job()); } catch (e) { entry.reject(e); }
      if (isWrite && this.readsPerWrite > 0) {
        const now = process.hrtime.bigint();
        this.readsFirstUntil = now + BigInt(Math.round(Number(now - started) * this.readsPerWrite));
      }
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  get busy() { return this.running || this.reads.length > 0 || this.writes.length > 0; }

  whenIdle() {
    return this.busy ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }
}

// chdb's public API escapes bound parameter values (it expects JS values), while the HTTP interface receives them
// already in ClickHouse's escaped text form; and only its internal entry point returns written rows and accepts
// binary INSERT data. So statements go to the native addon of the pinned chdb 3.4.0 directly; the Session object
// is still used to open and close the connection.
function loadNativeAddon() {
  const loader = require(path.join(path.dirname(require.resolve('chdb')), 'dist', 'loader.js'));
  const native = loader.loadNative();
  for (const fn of ['QueryAsyncConnection', 'InsertRawAsyncConnection']) {
    if (typeof native[fn] !== 'function') throw new Error(`chdb native addon lacks ${fn}; this file expects chdb 3.4.0`);
  }
  return native;
}

function quoteIdentifier(name) {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

function quoteString(value) {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

class Engine {
  constructor(dataDir, readsPerWrite) {
    this.dataDir = dataDir;
    this.queue = new SerialQueue(readsPerWrite);
    this.session = null;
    this.native = null;
    this.currentDb = null; // database the connection is in, null when unknown
    this.baseline = new Map(); // settings chDB itself changed from the defaults, to restore instead of DEFAULT
    // URL settings of the last statement, still set on the connection: they are put back to the baseline only when
    // the next statement starts, in the same SET as that statement's own settings (one engine call instead of two,
    // and none when consecutive statements carry the same settings, as a client's statements mostly do).
    this.lingering = new Map();
  }

  async open() {
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.native = loadNativeAddon();
    this.session = new chdb.Session(this.dataDir);
    this.version = (await this.raw('SELECT version()', 'TabSeparated')).toString().trim();
    this.timezone = (await this.raw('SELECT timezone()', 'TabSeparated')).toString().trim();
    const changed = (await this.raw('SELECT name, value FROM system.settings WHERE changed', 'JSONEachRow')).toString();
    for (const line of changed.split('\n')) {
      if (line.trim()) { const { name, value } = JSON.parse(line); this.baseline.set(name, value); }
    }
  }

  // Runs one internal statement and returns its output bytes.
  async raw(sql, format) {
    const r = await this.native.QueryAsyncConnection(this.session.connection, sql, format);
    return Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  }

  // Runs an internal statement whose failure must not fail the request (cleanup); logs instead.
  async quietly(sql) {
    try { await this.raw(sql, 'TabSeparated'); } catch (e) { console.error(`local-clickhouse: '${sql}' failed: ${e.message}`); }
  }

  // Queues a request's statement; `isAbandoned` is asked when its turn comes, so a statement whose client has
  // gone is skipped instead of run.
  submit(stmt, isAbandoned) {
    const queuedAt = process.hrtime.bigint();
    return this.queue.push(async () => {
      if (isAbandoned()) return { abandoned: true };
      const startedAt = process.hrtime.bigint();
      const result = await this.execute(stmt);
      result.queueWaitNs = startedAt - queuedAt;
      result.elapsedNs = process.hrtime.bigint() - startedAt;
      return result;
    }, READ_KINDS.has(stmt.kind));
  }

  async execute(stmt) {
    let failed = true;
    try {
      await this.useDatabase(stmt.database);
      await this.applySettings(new Map(stmt.settings));
      const result = await this.runStatement(stmt);
      failed = false;
      return result;
    } finally {
      // After a failure the engine keeps the failed statement's partial output and hands it to the NEXT
      // statement; a statement with no output of its own absorbs it.
      if (failed) await this.quietly('SELECT 1 WHERE 0');
      if (stmt.kind === 'SET') await this.restoreBaselineSettings();
      if (stmt.kind === 'USE') this.currentDb = null;
    }
  }

  // URL settings apply to their statement only, as on a real server without a session: the connection gets
  // exactly the baseline plus `wanted` before the statement runs, the previous statement's settings reset in the
  // same SET.
  async applySettings(wanted) {
    const parts = [];
    for (const [k, v] of wanted) {
      if (this.lingering.get(k) !== v) parts.push(`${k} = ${quoteString(v)}`);
    }
    for (const k of this.lingering.keys()) {
      if (!wanted.has(k)) parts.push(this.baselineAssignment(k));
    }
    if (parts.length === 0) return;
    try {
      await this.raw('SET ' + parts.join(', '), 'TabSeparated');
      this.lingering = wanted;
    } catch (e) {
      // a refused SET (an unknown setting, a bad value) may have set some of them: back to the baseline, one
      // by one, as the refused name would make a reset of all of them fail too
      for (const k of new Set([...this.lingering.keys(), ...wanted.keys()])) await this.resetSettings([k]);
      this.lingering = new Map();
      throw e;
    }
  }

  async useDatabase(db) {
    if (db === this.currentDb) return;
    this.currentDb = null;
    await this.raw('USE ' + quoteIdentifier(db), 'TabSeparated');
    this.currentDb = db;
  }

  async runStatement(stmt) {
    const conn = this.session.connection;
    if (stmt.kind === 'INSERT' && Object.keys(stmt.params).length === 0) {
      // Binary-safe: the data stays a Buffer, and the engine reports the rows it wrote.
      const r = await this.native.InsertRawAsyncConnection(conn, stmt.insertPrefix, stmt.insertData, false);
      return { bytes: Buffer.alloc(0), engineElapsed: r.elapsed, resultRows: 0, resultBytes: 0,
        writtenRows: r.rowsWritten || 0, writtenBytes: r.bytesWritten || 0 };
    }
    const r = Object.keys(stmt.params).length > 0
      ? await this.native.QueryAsyncConnection(conn, stmt.sql, stmt.format, stmt.params)
      : await this.native.QueryAsyncConnection(conn, stmt.sql, stmt.format);
    return { bytes: Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength), engineElapsed: r.elapsed,
      resultRows: r.rowsRead || 0, resultBytes: r.bytesRead || 0, writtenRows: 0, writtenBytes: 0 };
  }

  // `name = <its value when the engine started>`, the text of a SET that puts one setting back
  baselineAssignment(name) {
    return this.baseline.has(name) ? `${name} = ${quoteString(this.baseline.get(name))}` : `${name} = DEFAULT`;
  }

  async resetSettings(names) {
    await this.quietly('SET ' + [...new Set(names)].map((n) => this.baselineAssignment(n)).join(', '));
  }

  // A SET statement sent over HTTP without a session does not outlive its request on a real server; here the
  // connection is shared, so put back every setting it changed.
  async restoreBaselineSettings() {
    let changed;
    try {
      changed = (await this.raw('SELECT name, value FROM system.settings WHERE changed', 'JSONEachRow')).toString();
    } catch (e) {
      console.error(`local-clickhouse: cannot read changed settings: ${e.message}`);
      return;
    }
    const drifted = [];
    for (const line of changed.split('\n')) {
      if (!line.trim()) continue;
      const { name, value } = JSON.parse(line);
      if (this.baseline.get(name) !== value) drifted.push(name);
    }
    if (drifted.length > 0) await this.resetSettings(drifted);
    this.lingering = new Map();
  }

  close() {
    if (this.session) this.session.close();
    this.session = null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP request -> statement

// URL parameters that steer the HTTP interface instead of being settings of the query (as in ClickHouse's
// HTTPHandler). Every other parameter, except param_*, is applied as a setting.
const CONTROL_PARAMS = new Set([
  'query', 'database', 'default_format', 'query_id', 'user', 'password', 'quota_key', 'role', 'stacktrace',
  'compress', 'decompress', 'buffer_size', 'wait_end_of_query', 'session_id', 'session_timeout', 'session_check',
  'close_session', 'client_protocol_version',
  // Real settings about HTTP response handling, which this front does not implement; they never change results.
  'enable_http_compression', 'http_zlib_compression_level', 'send_progress_in_http_headers',
  'http_headers_progress_interval_ms', 'add_http_cors_header', 'http_wait_end_of_query',
  'http_response_buffer_size', 'http_native_compression_disable_checksumming_on_decompress',
]);

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// A header, honouring the RFC 5987 form `Name*: UTF-8''<percent-encoded>` the Java client uses for non-ASCII values.
function header(req, name) {
  const plain = req.headers[name];
  if (plain !== undefined && plain !== '') return plain;
  const ext = req.headers[name + '*'];
  if (ext === undefined) return undefined;
  const m = /^UTF-8''(.*)$/i.exec(ext);
  return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : ext;
}

function isTrue(v) {
  return v === '1' || v === 'true';
}

// The statement's first keyword, past whitespace, comments and opening parentheses.
function firstKeyword(sql) {
  const m = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(sql);
  return m ? m[1].toUpperCase() : '';
}

// The output format a trailing FORMAT clause asks for (it wins over the requested default format).
function explicitFormat(sql) {
  const m = /\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$/i.exec(sql);
  return m ? m[1] : null;
}

function contentTypeFor(format) {
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent';
  if (/^JSON/i.test(format)) return /EachRow/i.test(format) ? 'application/x-ndjson; charset=UTF-8' : 'application/json; charset=UTF-8';
  if (/^(Pretty|Vertical|Values|Markdown|XML|PrettyCompact)/i.test(format)) return 'text/plain; charset=UTF-8';
  return 'application/octet-stream';
}

// Minimal multipart/form-data reader: newer Java clients can send `query` and `param_*` as form fields.
function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw newError(36 /* BAD_ARGUMENTS */, 'multipart/form-data without a boundary');
  const delimiter = Buffer.from('--' + (m[1] || m[2]).trim());
  const fields = new Map();
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.slice(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.slice(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.slice(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers);
      let value = part.slice(headerEnd + 4);
      if (value.slice(-2).toString() === '\r\n') value = value.slice(0, -2);
      if (name) fields.set(name[1], value.toString('utf8'));
    }
    pos = next;
  }
  return fields;
}

// Turns an HTTP request into the statement to run: SQL, data, format, database, settings, parameters.
function buildStatement(req, url, body) {
  const p = url.searchParams;
  if (isTrue(p.get('compress')) || isTrue(p.get('decompress'))) {
    throw newError(48, 'ClickHouse LZ4 framing (compress=1 / decompress=1) is not supported by local-clickhouse; ' +
      'configure the client with compress=false');
  }
  const params = {};
  const settings = [];
  for (const [k, v] of p) {
    if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (!CONTROL_PARAMS.has(k)) {
      if (!SETTING_NAME.test(k)) throw newError(115, `Unknown setting '${k}'`);
      settings.push([k, v]);
    }
  }

  let queryParam = p.get('query');
  let data = body;
  const contentType = req.headers['content-type'] || '';
  if (/^multipart\/form-data/i.test(contentType)) {
    const fields = parseMultipart(body, contentType);
    for (const [k, v] of fields) if (k.startsWith('param_')) params[k.slice(6)] = v;
    if (fields.has('query')) queryParam = fields.get('query');
    data = Buffer.alloc(0);
  }

  // As on a real server: the `query` parameter, then the body (INSERT data) after a newline; or the body alone.
  let sql;
  let insertPrefix;
  let insertData;
  if (queryParam !== null && queryParam !== undefined) {
    sql = data.length > 0 ? queryParam + '\n' + data.toString('utf8') : queryParam;
    insertPrefix = queryParam;
    insertData = data;
  } else {
    sql = data.toString('utf8');
    insertPrefix = '';
    insertData = data;
  }
  if (sql.trim() === '') throw newError(62, 'Empty query');

  const kind = firstKeyword(sql);
  const requestedFormat = header(req, 'x-clickhouse-format') || p.get('default_format') || 'TabSeparated';
  return {
    sql,
    kind,
    insertPrefix,
    insertData,
    params,
    settings,
    format: requestedFormat,
    responseFormat: (kind !== 'INSERT' && explicitFormat(sql)) || requestedFormat,
    database: header(req, 'x-clickhouse-database') || p.get('database') || 'default',
    queryId: header(req, 'x-clickhouse-query-id') || p.get('query_id') || randomUUID(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP plumbing

// Reads the whole request body, decompressing a Content-Encoding, refusing more than `limit` bytes. A too large
// body is still read to its end (and discarded) so the client can read the error instead of a reset connection.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] || 0) > limit;
    req.on('data', (chunk) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) { tooLarge = true; chunks.length = 0; return; }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return reject(bodyTooLarge(limit));
      decodeBody(Buffer.concat(chunks), req.headers['content-encoding'], limit).then(resolve, reject);
    });
    req.on('error', reject);
  });
}

function bodyTooLarge(limit) {
  return newError(229, `Request body is larger than ${limit} bytes (LOCAL_CLICKHOUSE_MAX_BODY_BYTES)`);
}

function decodeBody(buf, encoding, limit) {
  const enc = (encoding || 'identity').trim().toLowerCase();
  const decoders = { gzip: zlib.gunzip, 'x-gzip': zlib.gunzip, deflate: zlib.inflate, br: zlib.brotliDecompress };
  if (enc === 'identity' || buf.length === 0) return Promise.resolve(buf);
  const decode = decoders[enc];
  if (!decode) return Promise.reject(newError(89, `Unknown Content-Encoding '${encoding}'`));
  return new Promise((resolve, reject) => {
    decode(buf, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out);
      reject(err.code === 'ERR_BUFFER_TOO_LARGE' ? bodyTooLarge(limit) : newError(271, `Cannot decompress request body: ${err.message}`));
    });
  });
}

// Writes a whole response with a Content-Length (keep-alive clients need it), unless the client has gone.
function send(res, status, headers, body) {
  if (res.destroyed || res.writableEnded) return;
  try {
    res.writeHead(status, { ...headers, 'Content-Length': body.length });
    res.end(body);
  } catch (e) {
    console.error(`local-clickhouse: cannot write response: ${e.message}`);
  }
}

class LocalClickHouse {
  constructor(config) {
    this.config = config;
    this.engine = new Engine(config.dataDir, config.readsPerWrite);
    this.server = null;
    this.stopping = false;
  }

  commonHeaders(queryId) {
    const h = {
      'X-ClickHouse-Server-Display-Name': this.config.displayName,
      'X-ClickHouse-Timezone': this.engine.timezone,
    };
    if (queryId) h['X-ClickHouse-Query-Id'] = queryId;
    return h;
  }

  sendError(res, err, queryId) {
    const e = toClickHouseError(err);
    const body = Buffer.from(`Code: ${e.code}. ${e.message} (version ${this.engine.version})\n`);
    const headers = { ...this.commonHeaders(queryId), 'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(e.code) };
    if (this.stopping) headers.Connection = 'close';
    send(res, httpStatusFor(e.code), headers, body);
  }

  async handle(req, res) {
    // A client that drops the connection must never bring the process down.
    res.on('error', (e) => console.error(`local-clickhouse: response error: ${e.message}`));
    req.on('error', () => {});
    let abandoned = false;
    res.on('close', () => { if (!res.writableFinished) abandoned = true; });

    const url = new URL(req.url, 'http://localhost');
    const plainText = { 'Content-Type': 'text/html; charset=UTF-8' };
    if (url.pathname === '/ping' || (url.pathname === '/' && req.method !== 'POST' && !url.searchParams.has('query'))) {
      req.resume();
      return send(res, 200, plainText, Buffer.from('Ok.\n'));
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      req.resume();
      return send(res, 405, plainText, Buffer.from(`Method ${req.method} is not allowed\n`));
    }
    if (this.stopping) {
      req.resume();
      return this.sendError(res, newError(236, 'Server is shutting down'));
    }

    let stmt;
    try {
      stmt = buildStatement(req, url, await readBody(req, this.config.maxBodyBytes));
    } catch (e) {
      return this.sendError(res, e, header(req, 'x-clickhouse-query-id') || url.searchParams.get('query_id'));
    }

    try {
      const r = await this.engine.submit(stmt, () => abandoned || req.socket.destroyed);
      if (r.abandoned) return this.log(stmt, 'skipped: client gone');
      this.log(stmt, `${(Number(r.elapsedNs) / 1e6).toFixed(1)} ms`);
      send(res, 200, {
        ...this.commonHeaders(stmt.queryId),
        ...(this.stopping ? { Connection: 'close' } : {}),
        'Content-Type': contentTypeFor(stmt.responseFormat),
        'X-ClickHouse-Format': stmt.responseFormat,
        'X-ClickHouse-Summary': JSON.stringify(summaryOf(r)),
      }, r.bytes);
    } catch (e) {
      this.log(stmt, `error: ${String(e.message).split('\n')[0]}`);
      this.sendError(res, e, stmt.queryId);
    }
  }

  log(stmt, outcome) {
    if (!this.config.logQueries) return;
    console.error(`local-clickhouse: [${stmt.queryId}] ${stmt.sql.slice(0, 200).replace(/\s+/g, ' ')} -> ${outcome}`);
  }

  async start() {
    await this.engine.open();
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        console.error(`local-clickhouse: unexpected error: ${e.stack || e}`);
        this.sendError(res, e);
      });
    });
    // Longer than the Java client's idle time before reuse, so a pooled connection is not closed under it.
    this.server.keepAliveTimeout = 30000;
    this.server.headersTimeout = 35000;
    this.server.requestTimeout = 0; // large uploads and slow statements are bounded by the client, not here
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, resolve);
    });
    this.port = this.server.address().port;
    if (this.config.pidFile) fs.writeFileSync(this.config.pidFile, `${process.pid}\n`);
  }

  // Stops accepting work, lets accepted statements finish (bounded), then releases the data dir.
  async stop() {
    this.stopping = true;
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeIdleConnections();
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve(false), this.config.shutdownTimeoutMs); });
    const finished = await Promise.race([this.engine.queue.whenIdle().then(() => true), timedOut]);
    clearTimeout(timer);
    // Responses sent while stopping carry Connection: close; give them a moment to drain, then cut the rest.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    this.server.closeAllConnections();
    await closed;
    if (this.config.pidFile) fs.rmSync(this.config.pidFile, { force: true });
    if (finished) {
      this.engine.close();
      await chdb.drainPending();
    }
    return finished;
  }
}

function summaryOf(r) {
  // Values are strings, as ClickHouse sends them. The engine reports result rows, not scanned rows, so read_*
  // carries the result size; engine_elapsed_ns is chDB's own timing, queue_wait_ns the time spent queued.
  const readRows = r.writtenRows > 0 ? r.writtenRows : r.resultRows;
  const s = {
    read_rows: readRows, read_bytes: r.writtenRows > 0 ? r.writtenBytes : r.resultBytes,
    written_rows: r.writtenRows, written_bytes: r.writtenBytes, total_rows_to_read: readRows,
    result_rows: r.resultRows, result_bytes: r.resultBytes,
    elapsed_ns: r.elapsedNs, engine_elapsed_ns: Math.round((r.engineElapsed || 0) * 1e9), queue_wait_ns: r.queueWaitNs,
  };
  for (const k of Object.keys(s)) s[k] = String(s[k]);
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Process lifecycle

async function main() {
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (e) {
    console.error(`local-clickhouse: ${e.message}`);
    process.exit(2);
  }
  const app = new LocalClickHouse(config);
  try {
    await app.start();
  } catch (e) {
    if (/Failed to create connection|Cannot lock file|CANNOT_OPEN_FILE/.test(String(e && e.message))) {
      console.error(`local-clickhouse: data dir ${config.dataDir} is locked by another process (another local-clickhouse or chDB instance); stop it or choose another DATA_DIR`);
      process.exit(EXIT_DATA_DIR_LOCKED);
    } else if (e && e.code === 'EADDRINUSE') {
      console.error(`local-clickhouse: ${config.host}:${config.port} is already in use`);
    } else {
      console.error(`local-clickhouse: cannot start: ${(e && e.message) || e}`);
    }
    process.exit(1);
  }
  console.log(`local-clickhouse: ClickHouse ${app.engine.version} listening on http://${config.host}:${app.port}, data ${config.dataDir}`);

  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) {
      console.error(`local-clickhouse: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`local-clickhouse: ${signal}, shutting down`);
    app.stop().then((finished) => {
      if (!finished) console.error(`local-clickhouse: statements still running after ${config.shutdownTimeoutMs} ms; exiting without closing the engine`);
      process.exit(finished ? 0 : 1);
    }, (e) => {
      console.error(`local-clickhouse: shutdown failed: ${e.stack || e}`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (config.parentPid) watchParent(config.parentPid, () => onSignal('parent process gone'));
}

// A dead parent is noticed by polling: Linux re-parents an orphan (process.ppid changes), and signal 0 to a dead
// pid fails; there is no event for it.
function watchParent(parentPid, onGone) {
  const alive = () => {
    if (process.ppid !== parentPid) return false;
    try { process.kill(parentPid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
  };
  if (!alive()) { onGone(); return; }
  const timer = setInterval(() => { if (!alive()) { clearInterval(timer); onGone(); } }, 200);
  timer.unref();
}

if (require.main === module) main();

module.exports = { LocalClickHouse, SerialQueue, loadConfig, buildStatement, firstKeyword, httpStatusFor };
