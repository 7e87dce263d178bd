'use strict';
// The Tencent Cloud API 3.0 protocol as the official Node SDK sees it:
// signatures (TC3 and v1, POST and GET), common errors, rate limiting, the
// response envelope and headers, health and shutdown. Runs dtsmock with
// --auth verify and credentials from a file.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const tencentcloud = require('tencentcloud-sdk-nodejs');
const {
  startServer, client, sdkError, raw, exchange, buildRequest, signedRequest,
  tc3Authorization, v1Signature, assertEnvelope, assertErrorEnvelope, UUID_RE,
} = require('./harness');

const MAIN = { SecretId: 'AKIDdtsmockProtocolMain0001', SecretKey: 'protocolMainSecretKey0001abcdef', Tenant: 'tenant-main' };
const RATE = { SecretId: 'AKIDdtsmockProtocolRate0002', SecretKey: 'protocolRateSecretKey0002abcdef', Tenant: 'tenant-rate' };
const TOKEN = { SecretId: 'AKIDdtsmockProtocolTemp0003', SecretKey: 'protocolTempSecretKey0003abcdef', Token: 'session-token-0003', Tenant: 'tenant-temp' };
const NOJOB = { JobId: 'dts-nonexist', ResumeOption: 'normal' };

let server;

before(async () => {
  server = await startServer({ auth: 'verify', credentials: [MAIN, RATE, TOKEN] });
});
after(async () => {
  if (server) await server.stop();
});

const mainClient = (opts = {}) => client(server, { secretId: MAIN.SecretId, secretKey: MAIN.SecretKey, ...opts });
const signedMain = (p) => signedRequest(server, { secretId: MAIN.SecretId, secretKey: MAIN.SecretKey, ...p });

async function expectCode(promise, code) {
  const err = await sdkError(promise);
  assert.equal(err.code, code, `expected ${code}, got code=${err.code} message=${err.message}`);
  assert.match(err.requestId, UUID_RE, `requestId of ${code}`);
  assert.ok(typeof err.message === 'string' && err.message.length > 0, `message of ${code}`);
  return err;
}

test('the hand signer reproduces the known-answer vectors of protocol.md', () => {
  const id = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
  const key = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
  const P = '{"JobId":"dts-1kl0iy0v","ResumeOption":"normal"}';
  const base = { secretId: id, secretKey: key, method: 'POST', contentType: 'application/json', timestamp: 1700000000, payload: P };
  const sig = (h) => /Signature=([0-9a-f]{64})$/.exec(h)[1];
  assert.equal(sig(tc3Authorization({ ...base, host: 'dts.tencentcloudapi.com', service: 'dts' })),
    '2d1a14a64cb70cc24d9a7224f47cffeeb14f3fe62ca30343e1ace99ba9824639');
  assert.equal(sig(tc3Authorization({ ...base, host: '127.0.0.1', service: '127' })),
    '10b8c9780175efb0a6e6d42d70abac9e10738654fd1c14053527afeb731c0114');
  assert.equal(sig(tc3Authorization({
    ...base, method: 'GET', contentType: 'application/x-www-form-urlencoded', host: 'dts.tencentcloudapi.com',
    service: 'dts', query: 'JobId=dts-1kl0iy0v&ResumeOption=normal',
  })), 'b51314dce94767eef5d6eb3a509b7a87c0fc3076c3f47d49648b4b522d055315');
  assert.equal(v1Signature({
    secretKey: key, method: 'POST', host: 'dts.tencentcloudapi.com', signatureMethod: 'HmacSHA256',
    params: { Action: 'ResumeMigrateJob', JobId: 'dts-1kl0iy0v', Nonce: 11886, Region: 'ap-guangzhou', SecretId: id, SignatureMethod: 'HmacSHA256', Timestamp: 1700000000, Version: '2021-12-06' },
  }), '+1MFqZgDgKpDaIEBn1/hUdP3eANUWmrXqFLkc/lablk=');
});

test('TC3 POST through the SDK reaches the handler: ResourceNotFound.JobNotExist with a UUID RequestId', async () => {
  const c = mainClient();
  const e1 = await expectCode(c.ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  const e2 = await expectCode(c.ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  assert.notEqual(e1.requestId, e2.requestId, 'every request gets its own RequestId');
});

for (const [name, opts] of [
  ['v1 HmacSHA256 POST', { signMethod: 'HmacSHA256' }],
  ['v1 HmacSHA1 POST', { signMethod: 'HmacSHA1' }],
  ['TC3 GET', { reqMethod: 'GET' }],
  ['v1 HmacSHA256 GET', { signMethod: 'HmacSHA256', reqMethod: 'GET' }],
  ['v1 HmacSHA1 GET', { signMethod: 'HmacSHA1', reqMethod: 'GET' }],
]) {
  test(`${name} through the SDK is verified and reaches the handler`, async () => {
    await expectCode(mainClient(opts).ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  });
}

test('a wrong secret key gives AuthFailure.SignatureFailure (TC3 and v1)', async () => {
  await expectCode(mainClient({ secretKey: 'not-the-right-key' }).ResumeMigrateJob(NOJOB), 'AuthFailure.SignatureFailure');
  await expectCode(mainClient({ secretKey: 'not-the-right-key', signMethod: 'HmacSHA256' }).ResumeMigrateJob(NOJOB), 'AuthFailure.SignatureFailure');
  await expectCode(mainClient({ secretKey: 'not-the-right-key', reqMethod: 'GET' }).ResumeMigrateJob(NOJOB), 'AuthFailure.SignatureFailure');
});

test('an unknown SecretId gives AuthFailure.SecretIdNotFound', async () => {
  await expectCode(client(server, { secretId: 'AKIDnobodyHasThisKey', secretKey: 'whatever' }).ResumeMigrateJob(NOJOB), 'AuthFailure.SecretIdNotFound');
  await expectCode(client(server, { secretId: 'AKIDnobodyHasThisKey', secretKey: 'whatever', signMethod: 'HmacSHA1' }).ResumeMigrateJob(NOJOB), 'AuthFailure.SecretIdNotFound');
});

test('temporary credentials: the right token passes, a wrong one gives AuthFailure.TokenFailure', async () => {
  const c = (token) => client(server, { secretId: TOKEN.SecretId, secretKey: TOKEN.SecretKey, token });
  await expectCode(c(TOKEN.Token).ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  await expectCode(c('not-the-session-token').ResumeMigrateJob(NOJOB), 'AuthFailure.TokenFailure');
});

test('a hand-signed TC3 request is accepted now and refused with AuthFailure.SignatureExpire when 10 minutes old', async () => {
  const fresh = await raw(server, signedMain({ action: 'ResumeMigrateJob', body: NOJOB }));
  assert.equal(assertErrorEnvelope(fresh, 'fresh hand-signed request').Code, 'ResourceNotFound.JobNotExist');
  const old = await raw(server, signedMain({ action: 'ResumeMigrateJob', body: NOJOB, timestamp: Math.floor(Date.now() / 1000) - 600 }));
  assert.equal(assertErrorEnvelope(old, 'request signed 10 minutes ago').Code, 'AuthFailure.SignatureExpire');
});

test('a malformed Authorization header gives AuthFailure.InvalidAuthorization', async () => {
  const req = signedMain({ action: 'ResumeMigrateJob', body: NOJOB });
  req.headers.Authorization = 'this is not a TC3 authorization header';
  const res = await raw(server, req);
  assert.equal(assertErrorEnvelope(res, 'junk Authorization').Code, 'AuthFailure.InvalidAuthorization');
});

test('an unknown action gives InvalidAction', async () => {
  await expectCode(mainClient().request('NoSuchAction', {}), 'InvalidAction');
});

test('an unknown API version gives NoSuchVersion', async () => {
  for (const version of ['2099-01-01', '2018-03-30']) {
    const res = await raw(server, signedMain({ action: 'ResumeMigrateJob', body: NOJOB, version }));
    assert.equal(assertErrorEnvelope(res, `X-TC-Version ${version}`).Code, 'NoSuchVersion', `version ${version}`);
  }
  // The SDK's own client for the old DTS version.
  const old = new tencentcloud.dts.v20180330.Client({
    credential: { secretId: MAIN.SecretId, secretKey: MAIN.SecretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: `127.0.0.1:${server.port}`, protocol: 'http://', reqTimeout: 15 } },
  });
  await expectCode(old.DescribeMigrateJobs({}), 'NoSuchVersion');
});

test('parameter validation: bad value, missing and unknown parameters', async () => {
  const c = mainClient();
  // Which ResumeOption values are allowed depends on the job's link (redis or not),
  // so the value is judged against a real job.
  const created = await c.CreateMigrationService({
    SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou', InstanceClass: 'small', Count: 1,
  });
  assert.equal(created.JobIds.length, 1, JSON.stringify(created));
  const jobId = created.JobIds[0];
  await expectCode(c.ResumeMigrateJob({ JobId: jobId, ResumeOption: 'bogus' }), 'InvalidParameterValue.InvalidParameterValue');
  await expectCode(c.ResumeMigrateJob({ JobId: jobId, ResumeOption: 'overwrite' }), 'InvalidParameterValue.InvalidParameterValue');
  await expectCode(c.ResumeMigrateJob({ ResumeOption: 'normal' }), 'MissingParameter');
  await expectCode(c.request('ResumeMigrateJob', { ...NOJOB, NoSuchField: 'x' }), 'UnknownParameter');
});

test('an action of the model that dtsmock does not implement gives UnsupportedOperation', async () => {
  const err = await expectCode(mainClient().ResetConsumerGroupOffset({
    SubscribeId: 'subs-nonexist01', TopicName: 'topic-subs-nonexist01', ConsumerGroupName: 'consumer-grp-subs-nonexist01-g1',
    PartitionNos: [0, 1], ResetMode: 'earliest',
  }), 'UnsupportedOperation');
  assert.match(err.message, /ResetConsumerGroupOffset/, 'the message names the action');
});

test('rate limit: 25 calls of one action in one second are partly refused; other actions and tenants are served', async () => {
  const c = client(server, { secretId: RATE.SecretId, secretKey: RATE.SecretKey, language: 'en-US' });
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: 25 }, () => c.ResumeMigrateJob(NOJOB).then(
    () => ({ code: 'success' }), (e) => ({ code: e.code, message: e.message, requestId: e.requestId }))));
  const elapsed = Date.now() - t0;
  assert.ok(elapsed < 1000, `the 25 calls took ${elapsed} ms; cannot judge a per-second limit`);
  const limited = results.filter((r) => r.code === 'RequestLimitExceeded');
  const served = results.filter((r) => r.code === 'ResourceNotFound.JobNotExist');
  assert.equal(limited.length + served.length, 25, `unexpected codes: ${JSON.stringify(results.map((r) => r.code))}`);
  assert.ok(limited.length >= 1, 'at least one call is refused');
  assert.ok(served.length >= 20, `the limit is 20 per second, yet only ${served.length} were served`);
  for (const r of limited) {
    assert.match(r.requestId, UUID_RE);
    const m = /^Your current request times equals to `(\d+)` in a second, which exceeds the frequency limit `20` for a second\. Please reduce the frequency of calls\.$/.exec(r.message);
    assert.ok(m, `message in the real style: ${r.message}`);
    assert.ok(Number(m[1]) > 20, `the counted times (${m[1]}) exceed the limit`);
  }
  // Same tenant, another action: a separate bucket.
  const other = await c.DescribeMigrationJobs({}).then(() => ({ code: 'success' }), (e) => ({ code: e.code, message: e.message }));
  assert.ok(!String(other.code).startsWith('RequestLimitExceeded'), `DescribeMigrationJobs was refused: ${JSON.stringify(other)}`);
  // Same action, another tenant: a separate bucket.
  await expectCode(mainClient().ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  // A second later the bucket serves the first tenant again.
  await new Promise((r) => setTimeout(r, 1100));
  await expectCode(c.ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
});

test('a body that is not JSON gives InvalidParameter in a proper envelope', async () => {
  const res = await raw(server, signedMain({ action: 'ResumeMigrateJob', body: 'JobId=dts-nonexist, please' }));
  assert.equal(assertErrorEnvelope(res, 'non-JSON body').Code, 'InvalidParameter');
});

test('every kind of answer carries Content-Type: application/json exactly', async () => {
  const cases = [
    ['handler error', signedMain({ action: 'ResumeMigrateJob', body: NOJOB })],
    ['signature failure', signedRequest(server, { secretId: MAIN.SecretId, secretKey: 'wrong', action: 'ResumeMigrateJob', body: NOJOB })],
    ['no Authorization', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'ResumeMigrateJob', 'X-TC-Version': '2021-12-06', 'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)) }, body: JSON.stringify(NOJOB) }],
    ['unknown version', signedMain({ action: 'ResumeMigrateJob', body: NOJOB, version: '2099-01-01' })],
    ['PUT', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }],
  ];
  for (const [what, spec] of cases) {
    const res = await raw(server, spec);
    assertErrorEnvelope(res, what);
    assert.deepEqual(res.rawHeaders.filter(([k]) => k.toLowerCase() === 'content-type').map(([, v]) => v), ['application/json'], what);
  }
  const success = await raw(server, signedMain({ action: 'DescribeMigrationJobs', body: {} }));
  const r = assertEnvelope(success, 'DescribeMigrationJobs');
  assert.equal(r.Error, undefined, `DescribeMigrationJobs failed: ${success.text}`);
  assert.equal(typeof r.TotalCount, 'number', `DescribeMigrationJobs: ${success.text}`);
});

test('PUT is refused with UnsupportedProtocol', async () => {
  const res = await raw(server, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(NOJOB) });
  assert.equal(assertErrorEnvelope(res, 'PUT').Code, 'UnsupportedProtocol');
});

test('HTTP/1.1 keep-alive: three requests on one connection get three answers', async () => {
  const one = () => buildRequest(server, { ...signedMain({ action: 'ResumeMigrateJob', body: NOJOB }), connectionClose: false });
  const r = await exchange(server, [one(), one(), one()]);
  assert.equal(r.responses.length, 3, `answers on one connection: ${JSON.stringify({ ...r, responses: r.responses.map((x) => x.text) })}`);
  const ids = new Set();
  for (const res of r.responses) {
    assert.equal(assertErrorEnvelope(res, 'keep-alive').Code, 'ResourceNotFound.JobNotExist');
    ids.add(res.json.Response.RequestId);
  }
  assert.equal(ids.size, 3);
});

test('X-TC-Language selects the message language', async () => {
  const en = await sdkError(mainClient({ language: 'en-US' }).ResumeMigrateJob(NOJOB));
  const zh = await sdkError(mainClient({ language: 'zh-CN' }).ResumeMigrateJob(NOJOB));
  assert.equal(en.code, 'ResourceNotFound.JobNotExist');
  assert.equal(zh.code, 'ResourceNotFound.JobNotExist');
  assert.doesNotMatch(en.message, /[\u4e00-\u9fff]/, `English message: ${en.message}`);
  assert.match(zh.message, /[\u4e00-\u9fff]/, `Chinese message: ${zh.message}`);
});

test('health endpoint', async () => {
  const res = await raw(server, { method: 'GET', path: '/_dtsmock/health' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json');
  const h = res.json;
  assert.ok(h, `health body: ${res.text}`);
  assert.equal(h.status, 'ok');
  assert.equal(typeof h.version, 'string');
  assert.ok(h.version.length > 0);
  assert.equal(typeof h.db, 'string');
  assert.equal(typeof h.uptime_s, 'number');
  assert.ok(h.uptime_s >= 0);
});

test('credentials from DTSMOCK_SECRET_ID / DTSMOCK_SECRET_KEY', async () => {
  const s = await startServer({ auth: 'verify', env: { DTSMOCK_SECRET_ID: 'AKIDdtsmockFromEnvironment', DTSMOCK_SECRET_KEY: 'secretKeyFromEnvironment0001' } });
  try {
    await expectCode(client(s, { secretId: 'AKIDdtsmockFromEnvironment', secretKey: 'secretKeyFromEnvironment0001' }).ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
    await expectCode(client(s, { secretId: MAIN.SecretId, secretKey: MAIN.SecretKey }).ResumeMigrateJob(NOJOB), 'AuthFailure.SecretIdNotFound');
  } finally {
    await s.stop();
  }
});

test('SIGTERM exits 0 with an idle keep-alive connection open, and a restart on the same database file serves again', async () => {
  const s = await startServer({ auth: 'off', db: 'file' });
  const c = client(s);
  await expectCode(c.ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  // The SDK's agent now holds an idle keep-alive connection; stop() insists on exit code 0.
  assert.ok(Object.values(http.globalAgent.freeSockets).some((a) => a.length > 0), 'the SDK kept an idle connection open');
  await s.restart();
  const res = await raw(s, { method: 'GET', path: '/_dtsmock/health' });
  assert.equal(res.status, 200);
  assert.equal(res.json && res.json.status, 'ok');
  await expectCode(client(s).ResumeMigrateJob(NOJOB), 'ResourceNotFound.JobNotExist');
  await s.stop();
});
