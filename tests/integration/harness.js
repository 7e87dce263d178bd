'use strict';
// Helpers shared by the end-to-end tests: start and stop the dtsmock binary,
// build official Node SDK clients pointed at it, send hand-made (possibly
// broken) HTTP requests, and sign requests by hand (TC3 and v1) so tests can
// control what the SDK would never send (old timestamps, odd versions...).

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert/strict');

const tencentcloud = require('tencentcloud-sdk-nodejs');

const BIN = process.env.DTSMOCK_BIN || path.resolve(__dirname, '..', '..', 'build', 'dtsmock');
const API_VERSION = '2021-12-06';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LISTEN_RE = /dtsmock listening on http:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/;
const START_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 10000;
const OUTPUT_CAP = 256 * 1024; // keep the tail of the child's stdout/stderr

// Every server still running, so that an aborted or failing test file never
// leaves a dtsmock process behind.
const live = new Set();
function killAll() {
  for (const proc of live) {
    try { proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
  live.clear();
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => { killAll(); process.exit(128 + os.constants.signals[sig]); });
}

const tempDirs = [];
process.on('exit', () => {
  for (const d of tempDirs) {
    try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
});
function makeTempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dtsmock-it-'));
  tempDirs.push(d);
  return d;
}

function appendCapped(prev, chunk) {
  const s = prev + chunk;
  return s.length > OUTPUT_CAP ? s.slice(s.length - OUTPUT_CAP) : s;
}

// The 'exit' hook above does not run when this process is killed outright
// (SIGKILL, or the test runner dying). A tiny shell loop then kills the server
// once we are gone; it ends by itself when the server ends.
function watchdog(childPid) {
  if (!childPid) return;
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.5; done; '
    + 'kill -0 "$1" 2>/dev/null || kill -9 "$2" 2>/dev/null; exit 0';
  try {
    const w = spawn('/bin/sh', ['-c', script, 'dtsmock-watchdog', String(process.pid), String(childPid)], { stdio: 'ignore' });
    w.on('error', () => { /* no shell: rely on the exit hook */ });
    w.unref();
  } catch { /* rely on the exit hook */ }
}

// Spawn one dtsmock process and wait for its "listening" line.
function spawnServer(args, env) {
  return new Promise((resolve, reject) => {
    let proc;
    try {
      proc = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      reject(new Error(`cannot spawn ${BIN}: ${e.message}`));
      return;
    }
    live.add(proc);
    watchdog(proc.pid);
    const out = { stdout: '', stderr: '' };
    let settled = false;
    let lineBuf = '';
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        try { proc.kill('SIGKILL'); } catch { /* gone */ }
        reject(err);
      } else {
        resolve(value);
      }
    };
    const describe = () =>
      `${BIN} ${args.join(' ')}\n--- stderr ---\n${out.stderr}\n--- stdout ---\n${out.stdout}`;
    const timer = setTimeout(
      () => finish(new Error(`dtsmock did not report listening within ${START_TIMEOUT_MS} ms: ${describe()}`)),
      START_TIMEOUT_MS);
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (chunk) => {
      out.stdout = appendCapped(out.stdout, chunk);
      if (settled) return;
      lineBuf += chunk;
      const m = LISTEN_RE.exec(lineBuf);
      if (m) finish(null, { proc, out, host: m[1], port: Number(m[2]) });
      else if (lineBuf.length > 65536) lineBuf = lineBuf.slice(-4096);
    });
    proc.stderr.on('data', (chunk) => { out.stderr = appendCapped(out.stderr, chunk); });
    proc.on('error', (e) => { live.delete(proc); finish(new Error(`cannot run ${BIN}: ${e.message}`)); });
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      finish(new Error(`dtsmock exited before listening (code ${code}, signal ${signal}): ${describe()}`));
    });
  });
}

function waitExit(proc, ms) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve({ code: proc.exitCode, signal: proc.signalCode, timedOut: false });
      return;
    }
    const timer = setTimeout(() => resolve({ code: null, signal: null, timedOut: true }), ms);
    proc.once('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, timedOut: false }); });
  });
}

/**
 * Start dtsmock.
 * opts:
 *   db:          ':memory:' (default), 'file' (a fresh temp file), or a path
 *   auth:        'off' | 'verify' (omitted: the binary's default)
 *   credentials: array of {SecretId, SecretKey, Token?, Tenant?}; written to a temp file for --credentials
 *   rateLimit:   number for --rate-limit (omitted: the binary's default)
 *   args:        extra command-line arguments
 *   env:         extra environment variables (DTSMOCK_* from the parent environment are not inherited)
 * Returns {host, port, url, proc, dbPath, stdout(), stderr(), stop(), restart()}.
 */
async function startServer(opts = {}) {
  const args = ['--host', '127.0.0.1'];
  let dbPath = ':memory:';
  if (opts.db === 'file') dbPath = path.join(makeTempDir(), 'dtsmock.db');
  else if (opts.db) dbPath = opts.db;
  args.push('--db', dbPath);
  if (opts.auth) args.push('--auth', opts.auth);
  let credentialsFile = null;
  if (opts.credentials) {
    credentialsFile = path.join(makeTempDir(), 'credentials.json');
    fs.writeFileSync(credentialsFile, JSON.stringify(opts.credentials, null, 2));
    args.push('--credentials', credentialsFile);
  }
  if (opts.rateLimit !== undefined) args.push('--rate-limit', String(opts.rateLimit));
  if (opts.args) args.push(...opts.args);

  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('DTSMOCK_') || k === 'DTSMOCK_BIN') env[k] = v;
  }
  Object.assign(env, opts.env || {});

  const server = { dbPath, credentialsFile, args };
  let current = null;
  const launch = async (port) => {
    current = await spawnServer([...args, '--port', String(port)], env);
    server.proc = current.proc;
    server.host = '127.0.0.1';
    server.port = current.port;
    server.url = `http://127.0.0.1:${current.port}`;
  };
  server.stdout = () => (current ? current.out.stdout : '');
  server.stderr = () => (current ? current.out.stderr : '');
  // SIGTERM, wait for the exit, and insist on a clean exit code 0.
  server.stop = async () => {
    const proc = current.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      live.delete(proc);
      assert.fail(`dtsmock had already exited (code ${proc.exitCode}, signal ${proc.signalCode}); stderr:\n${server.stderr()}`);
    }
    proc.kill('SIGTERM');
    const r = await waitExit(proc, STOP_TIMEOUT_MS);
    if (r.timedOut) {
      proc.kill('SIGKILL');
      await waitExit(proc, 2000);
      live.delete(proc);
      assert.fail(`dtsmock did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; stderr:\n${server.stderr()}`);
    }
    live.delete(proc);
    assert.equal(r.signal, null, `dtsmock died of signal ${r.signal}; stderr:\n${server.stderr()}`);
    assert.equal(r.code, 0, `dtsmock exited with code ${r.code} after SIGTERM; stderr:\n${server.stderr()}`);
    return r;
  };
  // Stop, then start again with the same flags, database and port.
  server.restart = async () => {
    const port = server.port;
    await server.stop();
    await launch(port);
    return server;
  };
  // Make sure the process dies even when the caller forgets to stop it.
  server.kill = () => {
    if (current && current.proc.exitCode === null && current.proc.signalCode === null) current.proc.kill('SIGKILL');
    if (current) live.delete(current.proc);
  };
  await launch(0);
  return server;
}

/**
 * An official SDK client (tencentcloud.dts.v20211206.Client) pointed at the server.
 * opts: secretId, secretKey, token, signMethod ('TC3-HMAC-SHA256' | 'HmacSHA256' | 'HmacSHA1'),
 *       reqMethod ('POST' | 'GET'), region (default 'ap-guangzhou'; null leaves it out), language.
 */
function client(server, opts = {}) {
  const profile = {
    signMethod: opts.signMethod || 'TC3-HMAC-SHA256',
    httpProfile: {
      endpoint: `127.0.0.1:${server.port}`,
      protocol: 'http://',
      reqMethod: opts.reqMethod || 'POST',
      reqTimeout: opts.reqTimeout || 15,
    },
  };
  if (opts.language) profile.language = opts.language;
  const credential = {
    secretId: opts.secretId === undefined ? 'AKIDdtsmockIntegrationTest0001' : opts.secretId,
    secretKey: opts.secretKey === undefined ? 'dtsmockIntegrationTestSecretKey001' : opts.secretKey,
  };
  if (opts.token) credential.token = opts.token;
  return new tencentcloud.dts.v20211206.Client({
    credential,
    region: opts.region === undefined ? 'ap-guangzhou' : opts.region,
    profile,
  });
}

/**
 * Run an SDK call that must fail; return the thrown error (with .code, .message, .requestId).
 */
async function sdkError(promise) {
  try {
    const r = await promise;
    assert.fail(`expected an error, got a success: ${JSON.stringify(r)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
}

// ---------------------------------------------------------------------------
// Raw HTTP over node:net.

function normaliseHeaders(headers) {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.map(([k, v]) => [k, v]);
  return Object.entries(headers);
}

// Parse as much of an HTTP/1.x response as `buf` holds. Returns null while
// incomplete, else {status, statusText, headers, rawHeaders, body, used}.
function parseResponse(buf, closed) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const lines = head.split('\r\n');
  const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
  const headers = {};
  const rawHeaders = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`bad header line: ${JSON.stringify(line)}`);
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    rawHeaders.push([k, v]);
    const lk = k.toLowerCase();
    headers[lk] = lk in headers ? `${headers[lk]}, ${v}` : v;
  }
  const rest = buf.subarray(end + 4);
  let body;
  let used;
  if (/\bchunked\b/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    let off = 0;
    for (;;) {
      const le = rest.indexOf('\r\n', off);
      if (le < 0) return null;
      const size = parseInt(rest.subarray(off, le).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      if (size === 0) {
        const te = rest.indexOf('\r\n\r\n', le);
        if (te < 0) return null;
        used = end + 4 + te + 4;
        break;
      }
      if (rest.length < le + 2 + size + 2) return null;
      parts.push(rest.subarray(le + 2, le + 2 + size));
      off = le + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (rest.length < n) return null;
    body = rest.subarray(0, n);
    used = end + 4 + n;
  } else if (Number(m[2]) === 204 || Number(m[2]) === 304) {
    body = Buffer.alloc(0);
    used = end + 4;
  } else {
    if (!closed) return null; // body runs to the end of the connection
    body = rest;
    used = buf.length;
  }
  return { httpVersion: m[1], status: Number(m[2]), statusText: m[3] || '', headers, rawHeaders, body, used };
}

function decorate(res) {
  res.text = res.body.toString('utf8');
  try {
    res.validUtf8 = true;
    new TextDecoder('utf-8', { fatal: true }).decode(res.body);
  } catch {
    res.validUtf8 = false;
  }
  try { res.json = JSON.parse(res.text); } catch { res.json = undefined; }
  return res;
}

/**
 * Send one or more requests on one TCP connection and read the responses.
 *   requests: array of Buffers (already serialised requests)
 *   opts.halfClose: end our side after writing (default false)
 *   opts.timeoutMs: give up after this long without the expected responses (default 5000)
 * Resolves {responses: [...], closed, reset, timedOut, error}. Never rejects for
 * network trouble: a reset or a close is part of the result.
 */
function exchange(server, requests, opts = {}) {
  const timeoutMs = opts.timeoutMs || 5000;
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port: server.port });
    let buf = Buffer.alloc(0);
    const responses = [];
    const state = { closed: false, reset: false, timedOut: false, error: null, parseError: null };
    let done = false;
    let sent = 0;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ responses: responses.map(decorate), ...state });
    };
    const timer = setTimeout(() => { state.timedOut = true; finish(); }, timeoutMs);
    const drainResponses = () => {
      for (;;) {
        let r;
        try { r = parseResponse(buf, state.closed); } catch (e) { state.parseError = e.message; finish(); return; }
        if (!r) break;
        responses.push(r);
        buf = buf.subarray(r.used);
        if (sent < requests.length) writeNext();
      }
      if (responses.length >= requests.length) finish();
    };
    const writeNext = () => {
      const req = requests[sent++];
      sock.write(req);
      if (sent === requests.length && opts.halfClose) sock.end();
    };
    sock.on('connect', () => writeNext());
    sock.on('data', (d) => { buf = Buffer.concat([buf, d]); drainResponses(); });
    sock.on('end', () => { state.closed = true; drainResponses(); finish(); });
    sock.on('close', () => { state.closed = true; finish(); });
    sock.on('error', (e) => {
      state.error = e.code || e.message;
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') state.reset = true;
      state.closed = true;
      drainResponses();
      finish();
    });
  });
}

/**
 * Serialise a request. spec: {method='POST', path='/', headers (object or [[k,v]...]),
 * body (string | Buffer), host (default 127.0.0.1:PORT; null = no Host header),
 * contentLength (override; null = none), httpVersion='1.1', connectionClose=true}
 */
function buildRequest(server, spec = {}) {
  const method = spec.method || 'POST';
  const reqPath = spec.path || '/';
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
  const headers = normaliseHeaders(spec.headers);
  const has = (name) => headers.some(([k]) => k.toLowerCase() === name);
  const lines = [`${method} ${reqPath} HTTP/${spec.httpVersion || '1.1'}`];
  if (spec.host !== null && !has('host')) lines.push(`Host: ${spec.host || `127.0.0.1:${server.port}`}`);
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  if (!has('content-length') && !has('transfer-encoding') && spec.contentLength !== null) {
    const n = spec.contentLength !== undefined ? spec.contentLength : body.length;
    if (n > 0 || method === 'POST' || method === 'PUT' || method === 'PATCH') lines.push(`Content-Length: ${n}`);
  }
  if (spec.connectionClose !== false && !has('connection')) lines.push('Connection: close');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

/**
 * raw(server, spec): send one hand-made request; resolves
 * {status, statusText, headers (lower-case keys), rawHeaders, body (Buffer), text, json,
 *  validUtf8, closed, reset, timedOut, error, noResponse}.
 * spec as for buildRequest, plus spec.bytes (send these exact bytes instead),
 * spec.halfClose, spec.timeoutMs.
 */
async function raw(server, spec = {}) {
  const bytes = spec.bytes ? Buffer.from(spec.bytes) : buildRequest(server, spec);
  const r = await exchange(server, [bytes], { halfClose: spec.halfClose, timeoutMs: spec.timeoutMs });
  const res = r.responses[0] || { status: null, statusText: '', headers: {}, rawHeaders: [], body: Buffer.alloc(0), text: '', json: undefined, validUtf8: true };
  return { ...res, closed: r.closed, reset: r.reset, timedOut: r.timedOut, error: r.error, parseError: r.parseError, noResponse: !r.responses[0] };
}

// ---------------------------------------------------------------------------
// Hand signing.

const sha256hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data, enc) => crypto.createHmac('sha256', key).update(data).digest(enc);

function utcDate(timestamp) {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * TC3-HMAC-SHA256 Authorization header (protocol.md §3).
 * p: {secretId, secretKey, method, query (raw, after '?'), contentType, host, service, timestamp,
 *     payload (string | Buffer), signedHeaders (default 'content-type;host'), extraHeaders {name: value}}
 */
function tc3Authorization(p) {
  const method = (p.method || 'POST').toUpperCase();
  const signed = (p.signedHeaders || 'content-type;host').split(';');
  const values = { 'content-type': p.contentType, host: p.host, ...(p.extraHeaders || {}) };
  const canonicalHeaders = signed.map((h) => `${h}:${String(values[h]).trim()}\n`).join('');
  const payloadHash = sha256hex(method === 'GET' ? '' : (p.payload || ''));
  const canonicalRequest = [method, '/', method === 'GET' ? (p.query || '') : '', canonicalHeaders, signed.join(';'), payloadHash].join('\n');
  const date = utcDate(p.timestamp);
  const scope = `${date}/${p.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(p.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const kDate = hmac('TC3' + p.secretKey, date);
  const kService = hmac(kDate, p.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = hmac(kSigning, stringToSign, 'hex');
  return `TC3-HMAC-SHA256 Credential=${p.secretId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
}

/**
 * v1 signature (protocol.md §4): params without Signature, string 'METHOD' + host + '/?' + sorted k=v.
 */
function v1Signature({ secretKey, method = 'POST', host, params, signatureMethod = 'HmacSHA256' }) {
  const keys = Object.keys(params).filter((k) => k !== 'Signature').sort();
  const s = `${method.toUpperCase()}${host}/?${keys.map((k) => `${k}=${params[k]}`).join('&')}`;
  const algo = signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1';
  return crypto.createHmac(algo, secretKey).update(s, 'utf8').digest('base64');
}

/**
 * A TC3-signed request spec for raw(), signed the way the Node SDK signs
 * (host without port, service '127'), unless told otherwise.
 * p: {action, body (object | string | Buffer), version, region (null = none), timestamp,
 *     secretId, secretKey, contentType, method ('POST' | 'GET'), query (GET), headers (extra)}
 */
function signedRequest(server, p) {
  const method = (p.method || 'POST').toUpperCase();
  const timestamp = p.timestamp !== undefined ? p.timestamp : Math.floor(Date.now() / 1000);
  const contentType = p.contentType || (method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  let payload = '';
  if (method !== 'GET') {
    payload = p.body === undefined ? '{}' : (typeof p.body === 'string' || Buffer.isBuffer(p.body)) ? p.body : JSON.stringify(p.body);
  }
  const query = p.query || '';
  const authorization = tc3Authorization({
    secretId: p.secretId, secretKey: p.secretKey, method, query, contentType,
    host: p.signHost || '127.0.0.1', service: p.service || '127', timestamp, payload,
  });
  const headers = {
    'Content-Type': contentType,
    'X-TC-Action': p.action,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Version': p.version || API_VERSION,
    Authorization: authorization,
    ...(p.headers || {}),
  };
  if (p.region !== null) headers['X-TC-Region'] = p.region || 'ap-guangzhou';
  return { method, path: query ? `/?${query}` : '/', headers, body: payload };
}

// Checks shared by the test files.
function assertEnvelope(res, what = '') {
  const ctx = `${what}\nstatus ${res.status}\nheaders ${JSON.stringify(res.headers)}\nbody ${res.text.slice(0, 2000)}`;
  assert.equal(res.status, 200, `HTTP status: ${ctx}`);
  assert.equal(res.headers['content-type'], 'application/json', `Content-Type: ${ctx}`);
  assert.ok(res.validUtf8, `body is not valid UTF-8: ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `body is not a JSON object: ${ctx}`);
  const r = res.json.Response;
  assert.ok(r && typeof r === 'object', `no Response object: ${ctx}`);
  assert.match(String(r.RequestId), UUID_RE, `RequestId: ${ctx}`);
  return r;
}

function assertErrorEnvelope(res, what = '') {
  const r = assertEnvelope(res, what);
  const ctx = `${what}\nbody ${res.text.slice(0, 2000)}`;
  assert.ok(r.Error && typeof r.Error === 'object', `no Response.Error: ${ctx}`);
  assert.equal(typeof r.Error.Code, 'string', `Error.Code: ${ctx}`);
  assert.ok(r.Error.Code.length > 0, `empty Error.Code: ${ctx}`);
  assert.equal(typeof r.Error.Message, 'string', `Error.Message: ${ctx}`);
  assert.ok(r.Error.Message.length > 0, `empty Error.Message: ${ctx}`);
  return r.Error;
}

module.exports = {
  BIN,
  API_VERSION,
  UUID_RE,
  startServer,
  client,
  sdkError,
  raw,
  exchange,
  buildRequest,
  tc3Authorization,
  v1Signature,
  signedRequest,
  assertEnvelope,
  assertErrorEnvelope,
  killAll,
};
