'use strict';
// A table of broken requests sent by hand to dtsmock (--auth off). Each must be
// answered with a well-formed error envelope (HTTP 200, Content-Type
// application/json, Response.Error.Code, a UUID RequestId), or, where HTTP
// itself is broken, with a 4xx or a clean close; never a hang or a crash. After
// the table, the server must still serve a normal SDK call and its health check.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, client, sdkError, raw, signedRequest, assertErrorEnvelope } = require('./harness');

const ID = 'AKIDdtsmockMalformedTest0001';
const KEY = 'malformedTestSecretKey0001abcdef';
const NOJOB = { JobId: 'dts-nonexist', ResumeOption: 'normal' };
const now = () => Math.floor(Date.now() / 1000);

let server;
before(async () => { server = await startServer({ auth: 'off' }); });
after(async () => { if (server) await server.stop(); });

// A TC3 POST as the SDK would send it, then altered by `mutate(spec)`.
function tc3(body, mutate) {
  const spec = signedRequest(server, { secretId: ID, secretKey: KEY, action: 'ResumeMigrateJob', body: JSON.stringify(NOJOB) });
  spec.body = body === undefined ? JSON.stringify(NOJOB) : body;
  if (mutate) mutate(spec);
  return spec;
}
function dropHeader(spec, name) {
  for (const k of Object.keys(spec.headers)) if (k.toLowerCase() === name.toLowerCase()) delete spec.headers[k];
}
// A v1 form POST (fields given in order; values already encoded).
function v1Form(fields) {
  const body = fields.map(([k, v]) => `${k}=${v}`).join('&');
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body };
}
const v1Common = () => [
  ['Action', 'ResumeMigrateJob'], ['Version', '2021-12-06'], ['Region', 'ap-guangzhou'], ['Timestamp', String(now())],
  ['Nonce', '4711'], ['SecretId', ID], ['SignatureMethod', 'HmacSHA256'], ['Signature', 'c2lnbmF0dXJl'],
];
const tc3Get = (query) => ({
  method: 'GET',
  path: `/?${query}`,
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded', 'X-TC-Action': 'ResumeMigrateJob', 'X-TC-Version': '2021-12-06',
    'X-TC-Region': 'ap-guangzhou', 'X-TC-Timestamp': String(now()),
    Authorization: `TC3-HMAC-SHA256 Credential=${ID}/2024-01-01/127/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
  },
});
const nest = (open, close, n, inner = '0') => open.repeat(n) + inner + close.repeat(n);

// codes: the allowed Error.Code values (null = any non-empty code: these rows only
// check that the server answers sanely). http: HTTP itself is broken, so a 4xx or
// a clean close is accepted as well as an error envelope (any code).
const ROWS = [
  // JSON syntax
  { name: 'unterminated JSON object', spec: () => tc3('{"JobId":"dts-nonexist"'), codes: ['InvalidParameter'] },
  { name: 'JSON with trailing garbage', spec: () => tc3('{"JobId":"dts-nonexist"} trailing'), codes: ['InvalidParameter'] },
  { name: 'JSON with single quotes', spec: () => tc3("{'JobId':'dts-nonexist'}"), codes: ['InvalidParameter'] },
  { name: 'JSON with a trailing comma', spec: () => tc3('{"JobId":"dts-nonexist",}'), codes: ['InvalidParameter'] },
  { name: 'JSON with NaN', spec: () => tc3('{"JobId":"dts-nonexist","ResumeOption":NaN}'), codes: ['InvalidParameter'] },
  { name: 'number too large for a double', spec: () => tc3('{"JobId":"dts-nonexist","ResumeOption":1e999}'), codes: ['InvalidParameter'] },
  { name: 'empty body', spec: () => tc3(''), codes: ['InvalidParameter', 'MissingParameter'] },
  { name: 'body null', spec: () => tc3('null'), codes: ['InvalidParameter'] },
  { name: 'body []', spec: () => tc3('[]'), codes: ['InvalidParameter'] },
  { name: 'body a JSON string', spec: () => tc3('"dts-nonexist"'), codes: ['InvalidParameter'] },
  { name: 'body a JSON number', spec: () => tc3('42'), codes: ['InvalidParameter'] },
  { name: 'duplicate keys', spec: () => tc3('{"JobId":"dts-other","JobId":"dts-nonexist"}'), codes: ['InvalidParameter', 'ResourceNotFound.JobNotExist'] },
  // Encoding
  { name: 'invalid UTF-8 outside strings', spec: () => tc3(Buffer.concat([Buffer.from('{"JobId":"dts-nonexist",'), Buffer.from([0xff, 0xfe]), Buffer.from('}')])), codes: ['InvalidParameter'] },
  { name: 'invalid UTF-8 inside a JSON string', spec: () => tc3(Buffer.concat([Buffer.from('{"JobId":"dts-'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')])), codes: ['InvalidParameter', 'InvalidParameterValue', 'ResourceNotFound.JobNotExist'] },
  { name: 'lone surrogate escape in a string', spec: () => tc3('{"JobId":"dts-\\ud800x"}'), codes: ['InvalidParameter', 'InvalidParameterValue', 'ResourceNotFound.JobNotExist'] },
  { name: 'NUL escape in a string', spec: () => tc3('{"JobId":"dts-\\u0000nonexist"}'), codes: ['InvalidParameter', 'InvalidParameterValue', 'ResourceNotFound.JobNotExist'] },
  // Nesting
  { name: 'arrays nested 10,000 deep as a value', spec: () => tc3(`{"JobId":${nest('[', ']', 10000)}}`), codes: ['InvalidParameter'] },
  { name: 'objects nested 10,000 deep as a value', spec: () => tc3(`{"JobId":${nest('{"a":', '}', 10000)}}`), codes: ['InvalidParameter'] },
  { name: 'a body of arrays nested 100,000 deep', spec: () => tc3(nest('[', ']', 100000)), codes: ['InvalidParameter'] },
  // Types
  { name: 'JobId a number', spec: () => tc3('{"JobId":123}'), codes: ['InvalidParameter'] },
  { name: 'JobId an array', spec: () => tc3('{"JobId":["dts-nonexist"]}'), codes: ['InvalidParameter'] },
  { name: 'JobId an object', spec: () => tc3('{"JobId":{"Id":"dts-nonexist"}}'), codes: ['InvalidParameter'] },
  { name: 'ResumeOption a boolean', spec: () => tc3('{"JobId":"dts-nonexist","ResumeOption":true}'), codes: ['InvalidParameter'] },
  { name: 'JobId null', spec: () => tc3('{"JobId":null}'), codes: ['MissingParameter', 'InvalidParameter'] },
  // Common parameters and headers
  { name: 'missing X-TC-Action', spec: () => tc3(undefined, (s) => dropHeader(s, 'X-TC-Action')), codes: ['MissingParameter'] },
  { name: 'empty X-TC-Action', spec: () => tc3(undefined, (s) => { s.headers['X-TC-Action'] = ''; }), codes: ['MissingParameter', 'InvalidAction'] },
  { name: 'X-TC-Action of 10 KB', spec: () => tc3(undefined, (s) => { s.headers['X-TC-Action'] = 'A'.repeat(10240); }), codes: ['InvalidAction'] },
  { name: 'X-TC-Action with non-ASCII bytes', spec: () => tc3(undefined, (s) => { s.headers['X-TC-Action'] = 'Resume\xe9\xffJob'; }), codes: ['InvalidAction'] },
  { name: 'missing X-TC-Version', spec: () => tc3(undefined, (s) => dropHeader(s, 'X-TC-Version')), codes: ['MissingParameter'] },
  { name: 'X-TC-Timestamp not a number', spec: () => tc3(undefined, (s) => { s.headers['X-TC-Timestamp'] = 'yesterday'; }), codes: null },
  { name: 'missing Content-Type', spec: () => tc3(undefined, (s) => dropHeader(s, 'Content-Type')), codes: null },
  { name: 'Content-Type text/plain', spec: () => tc3(undefined, (s) => { s.headers['Content-Type'] = 'text/plain'; }), codes: null },
  { name: 'multipart/form-data body', spec: () => tc3('--b\r\nContent-Disposition: form-data; name="JobId"\r\n\r\ndts-nonexist\r\n--b--\r\n', (s) => { s.headers['Content-Type'] = 'multipart/form-data; boundary=b'; }), codes: null },
  { name: 'junk Authorization', spec: () => tc3(undefined, (s) => { s.headers.Authorization = '!!! not an authorization header'; }), codes: ['AuthFailure.InvalidAuthorization', 'ResourceNotFound.JobNotExist'] },
  { name: 'path other than /', spec: () => tc3(undefined, (s) => { s.path = '/v3/whatever?x=%zz'; }), codes: null },
  { name: 'HTTP/1.0 without Host', spec: () => tc3(undefined, (s) => { s.httpVersion = '1.0'; s.host = null; }), codes: ['ResourceNotFound.JobNotExist'] },
  { name: 'chunked request body (valid HTTP)', spec: () => tc3(undefined, (s) => { const b = JSON.stringify(NOJOB); s.headers['Transfer-Encoding'] = 'chunked'; s.body = `5\r\n${b.slice(0, 5)}\r\n${(b.length - 5).toString(16)}\r\n${b.slice(5)}\r\n0\r\n\r\n`; }), codes: ['ResourceNotFound.JobNotExist'] },
  // Methods
  { name: 'PUT', spec: () => tc3(undefined, (s) => { s.method = 'PUT'; }), codes: ['UnsupportedProtocol'] },
  { name: 'DELETE', spec: () => tc3(undefined, (s) => { s.method = 'DELETE'; }), codes: ['UnsupportedProtocol'] },
  { name: 'PATCH', spec: () => tc3(undefined, (s) => { s.method = 'PATCH'; }), codes: ['UnsupportedProtocol'] },
  { name: 'OPTIONS', spec: () => tc3(undefined, (s) => { s.method = 'OPTIONS'; s.body = ''; }), codes: ['UnsupportedProtocol'] },
  // Sizes
  { name: 'GET with a 33 KB query', spec: () => tc3Get(`JobId=${'a'.repeat(33 * 1024)}`), codes: ['RequestSizeLimitExceeded'] },
  { name: 'GET with a 16 KB query is not refused for size', spec: () => tc3Get(`JobId=dts-${'a'.repeat(16 * 1024)}`), codes: ['ResourceNotFound.JobNotExist', 'InvalidParameterValue', 'InvalidParameterValue.InvalidParameterValue'] },
  { name: 'POST JSON over 10 MB', spec: () => tc3(`{"JobId":"${'a'.repeat(10 * 1024 * 1024 + 100)}"}`), codes: ['RequestSizeLimitExceeded'], timeoutMs: 15000 },
  { name: 'v1 form POST over 1 MB', spec: () => v1Form([...v1Common(), ['JobId', 'a'.repeat(1024 * 1024 + 100)]]), codes: ['RequestSizeLimitExceeded'], timeoutMs: 10000 },
  // v1 form and query
  { name: 'form body with a bad % escape', spec: () => v1Form([...v1Common(), ['JobId', 'dts-%zz']]), codes: ['InvalidParameter'] },
  { name: 'form body with a % at the end', spec: () => v1Form([...v1Common(), ['JobId', 'dts-nonexist%']]), codes: ['InvalidParameter'] },
  { name: 'form value decoding to invalid UTF-8', spec: () => v1Form([...v1Common(), ['JobId', 'dts-%E4%B8']]), codes: ['InvalidParameter', 'InvalidParameterValue'] },
  { name: 'v1 GET query value decoding to invalid UTF-8', spec: () => ({ method: 'GET', path: `/?${v1Common().map(([k, v]) => `${k}=${v}`).join('&')}&JobId=dts-%FF` }), codes: ['InvalidParameter', 'InvalidParameterValue'] },
  { name: 'form with duplicate keys', spec: () => v1Form([...v1Common(), ['JobId', 'dts-other'], ['JobId', 'dts-nonexist']]), codes: ['InvalidParameter', 'ResourceNotFound.JobNotExist'] },
  { name: 'v1 without Signature', spec: () => v1Form([...v1Common().filter(([k]) => k !== 'Signature'), ['JobId', 'dts-nonexist']]), codes: ['MissingParameter', 'ResourceNotFound.JobNotExist'] },
  { name: 'v1 without Action', spec: () => v1Form([...v1Common().filter(([k]) => k !== 'Action'), ['JobId', 'dts-nonexist']]), codes: ['MissingParameter'] },
  { name: 'v1 with a list index that is not a number', spec: () => v1Form([...v1Common(), ['JobId', 'dts-nonexist'], ['JobId.x', '1']]), codes: ['InvalidParameter', 'UnknownParameter'] },
  { name: 'GET / with no parameters at all', spec: () => ({ method: 'GET', path: '/' }), codes: ['MissingParameter'] },
  // HTTP itself broken
  { name: 'truncated body, then the client closes', spec: () => tc3('{"JobId":"dts-', (s) => { s.contentLength = 100; s.halfClose = true; }), http: true },
  { name: 'a 100 KB header', spec: () => tc3(undefined, (s) => { s.headers['X-Junk'] = 'j'.repeat(100 * 1024); }), http: true },
  { name: 'Content-Length not a number', spec: () => tc3(undefined, (s) => { s.headers['Content-Length'] = 'twelve'; }), http: true },
  { name: 'two different Content-Length headers', spec: () => tc3(undefined, (s) => { s.headers = { ...s.headers }; s.headers['Content-Length'] = '5'; s.headers['content-length'] = '7'; }), http: true },
  { name: 'garbage instead of a request line', spec: () => ({ bytes: Buffer.from('HELLO THERE\r\n\r\n'), halfClose: true }), http: true },
  { name: 'binary noise', spec: () => ({ bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)), halfClose: true }), http: true },
];

test('the table has at least 30 rows', () => {
  assert.ok(ROWS.length >= 30, `${ROWS.length} rows`);
});

test('baseline: the unaltered hand-made request reaches the handler', async () => {
  const res = await raw(server, tc3());
  assert.equal(assertErrorEnvelope(res, 'baseline').Code, 'ResourceNotFound.JobNotExist');
});

test('broken requests', async (t) => {
  for (const row of ROWS) {
    await t.test(row.name, async (st) => {
      const spec = row.spec();
      const res = await raw(server, { timeoutMs: row.timeoutMs || 5000, ...spec });
      const code = res.json && res.json.Response && res.json.Response.Error ? res.json.Response.Error.Code : '-';
      st.diagnostic(`answer: ${res.noResponse ? (res.reset ? 'reset' : 'closed') : `HTTP ${res.status}`} ${code}`);
      const summary = `status=${res.status} closed=${res.closed} reset=${res.reset} timedOut=${res.timedOut} error=${res.error} parseError=${res.parseError} body=${res.text.slice(0, 500)}`;
      assert.ok(!res.timedOut, `no answer and no close within ${row.timeoutMs || 5000} ms: ${summary}`);
      assert.equal(res.parseError, null, `the answer is not valid HTTP: ${summary}`);
      if (row.http && res.status !== 200) {
        // HTTP itself is broken: a 4xx or a close is as good as an error envelope.
        const ok = (res.status !== null && res.status >= 400 && res.status < 500) || (res.noResponse && (res.closed || res.reset));
        assert.ok(ok, `expected an error envelope, a 4xx or a clean close: ${summary}`);
      } else {
        const err = assertErrorEnvelope(res, row.name);
        if (row.codes) assert.ok(row.codes.includes(err.Code), `code ${err.Code} (${err.Message}) not in ${JSON.stringify(row.codes)}`);
      }
      assert.equal(server.proc.exitCode, null, `dtsmock exited: ${server.stderr().slice(-2000)}`);
      assert.equal(server.proc.signalCode, null, `dtsmock died: ${server.stderr().slice(-2000)}`);
    });
  }
});

test('after the table the server still serves a normal SDK call and its health check', async () => {
  const err = await sdkError(client(server).ResumeMigrateJob(NOJOB));
  assert.equal(err.code, 'ResourceNotFound.JobNotExist');
  const res = await raw(server, { method: 'GET', path: '/_dtsmock/health' });
  assert.equal(res.status, 200);
  assert.equal(res.json && res.json.status, 'ok', res.text);
});
