'use strict';
// Security: the control API on its own socket (--admin-listen) and behind a
// token (--admin-token); secrets (Password members, SecretKeys, session
// tokens, the admin token) never appear in the server's output at debug
// level, in the request journal or in an error message; the container image
// runs as a non-root user. (Describe* echoing a job's configured Password is
// the API's documented output shape, not checked here.)

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { startServer, client, sdkError, raw, signedRequest } = require('./harness');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function get(port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json });
      });
    }).on('error', reject);
  });
}

function apiCall(port, action, params, extraHeaders = {}) {
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/', agent: false,
      headers: {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-TC-Action': action,
        'X-TC-Version': '2021-12-06', 'X-TC-Region': 'ap-guangzhou', 'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
        ...extraHeaders,
      },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('--admin-listen: the API port hides /_dtsmock/ except health, the admin port serves it', async () => {
  const adminPort = await freePort();
  const server = await startServer({ auth: 'off', args: ['--admin-listen', `127.0.0.1:${adminPort}`] });
  try {
    assert.match(server.stdout(), new RegExp(`control API on http://127\\.0\\.0\\.1:${adminPort}`));
    // The API works on the API port.
    const ok = await apiCall(server.port, 'DescribeMigrationJobs', {});
    assert.equal(ok.json.Response.TotalCount, 0, ok.text);

    for (const p of ['/_dtsmock/requests', '/_dtsmock/faults', '/_dtsmock/clock', '/_dtsmock/state', '/_dtsmock/openapi.json']) {
      const r = await get(server.port, p);
      assert.equal(r.status, 404, `${p} on the API port: ${r.status} ${r.text.slice(0, 200)}`);
      assert.doesNotMatch(r.text, /"requests"|"rules"|"faults"/, `${p} leaked control data on the API port`);
    }
    // A POST to the control API through the API port changes nothing.
    const rule = JSON.stringify({ Action: 'DescribeMigrationJobs', Error: { Code: 'InternalError' } });
    const post = await raw(server, { method: 'POST', path: '/_dtsmock/faults', headers: { 'Content-Type': 'application/json' }, body: rule });
    assert.equal(post.status, 404);
    const stillOk = await apiCall(server.port, 'DescribeMigrationJobs', {});
    assert.equal(stillOk.json.Response.Error, undefined, 'a fault rule was installed through the API port');

    const health = await get(server.port, '/_dtsmock/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');

    // The admin port serves the control API (and its health), and the journal
    // there shows the calls made on the API port.
    const journal = await get(adminPort, '/_dtsmock/requests');
    assert.equal(journal.status, 200, journal.text);
    assert.ok(journal.json.requests.some((e) => e.action === 'DescribeMigrationJobs'), journal.text.slice(0, 500));
    assert.equal((await get(adminPort, '/_dtsmock/health')).status, 200);
    // ...but not the cloud API itself.
    const apiOnAdmin = await apiCall(adminPort, 'DescribeMigrationJobs', {});
    assert.ok(!(apiOnAdmin.status === 200 && apiOnAdmin.json && apiOnAdmin.json.Response && apiOnAdmin.json.Response.TotalCount !== undefined),
      `the admin port answered an API call: ${apiOnAdmin.status} ${apiOnAdmin.text.slice(0, 200)}`);
  } finally {
    await server.stop();
  }
});

test('--admin-token: the control API needs the bearer token, a wrong or partial one is refused', async () => {
  const TOKEN = 'adm-7f3c9e1b5d2a4c6e8f0a1b2c3d4e5f6a';
  const server = await startServer({ auth: 'off', args: ['--admin-token', TOKEN, '--log-level', 'debug'] });
  try {
    const cases = [
      [{}, 401],
      [{ Authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 401],
      [{ Authorization: `Bearer ${TOKEN}x` }, 401],
      [{ Authorization: `Bearer ${TOKEN.slice(0, -1)}0` }, 401],
      [{ Authorization: `Basic ${TOKEN}` }, 401],
      [{ Authorization: TOKEN }, 401],
      [{ Authorization: `Bearer ${TOKEN}` }, 200],
      [{ Authorization: `bearer  ${TOKEN}` }, 200],
    ];
    for (const [headers, status] of cases) {
      const r = await get(server.port, '/_dtsmock/requests', headers);
      assert.equal(r.status, status, `${JSON.stringify(headers)} -> ${r.status} ${r.text.slice(0, 200)}`);
      if (status !== 200) assert.ok(!r.text.includes(TOKEN), 'the refusal quotes the token');
    }
    // Health stays open for probes.
    assert.equal((await get(server.port, '/_dtsmock/health')).status, 200);
    await server.stop();
    const out = server.stdout() + server.stderr();
    assert.ok(!out.includes(TOKEN), 'the admin token appears in the server output');
  } finally {
    server.kill();
  }
});

test('passwords, secret keys and tokens never reach the logs, the journal or an answer', async () => {
  const PASSWORD = 'Pw-9c1e5a77-Not-For-Logs';
  const PASSWORD2 = 'Pw2-flat-3b8d0c2e-hidden';
  const SECRET_KEY = 'SK-4d1f8a2b6c0e9f3a7b5d1c8e2f4a6b9d';
  const TOKEN = 'sess-token-0a9b8c7d6e5f4a3b';
  const creds = [
    { SecretId: 'AKIDsecurityMain0001', SecretKey: SECRET_KEY, Tenant: 'sec' },
    { SecretId: 'AKIDsecurityTemp0002', SecretKey: SECRET_KEY + 'T', Token: TOKEN, Tenant: 'sec' },
  ];
  const server = await startServer({ auth: 'verify', credentials: creds, rateLimit: 0, args: ['--log-level', 'debug', '--log-format', 'json'] });
  const answers = [];
  try {
    const sdk = client(server, { secretId: creds[0].SecretId, secretKey: SECRET_KEY });
    const created = await sdk.CreateMigrationService({ SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou', InstanceClass: 'medium' });
    const jobId = created.JobIds[0];
    await new Promise((r) => setTimeout(r, 1500)); // creating -> created
    const config = {
      JobId: jobId, RunMode: 'immediate', MigrateOption: { DatabaseTable: { ObjectMode: 'all' } },
      SrcInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 's-1', User: 'root', Password: PASSWORD, AccountRole: 'admin' }] },
      DstInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'd-1', User: 'root', Password: PASSWORD }] },
    };
    await sdk.ModifyMigrationJob(config);
    // The same through the flattened GET style (v1 signature): Password arrives as a form value.
    const sdkGet = client(server, { secretId: creds[0].SecretId, secretKey: SECRET_KEY, signMethod: 'HmacSHA256', reqMethod: 'GET' });
    const config2 = JSON.parse(JSON.stringify(config));
    config2.SrcInfo.Info[0].Password = PASSWORD2;
    await sdkGet.ModifyMigrationJob(config2);
    // A refused call that carries a password next to a bad member.
    const bad = await sdkError(sdk.ModifyMigrationJob({ ...config, SrcInfo: { ...config.SrcInfo, Info: [{ InstanceId: 's', Password: PASSWORD, Passwrd: 'not-a-secret' }] } }));
    answers.push(bad.message);
    // Wrong keys: the answer names neither the real key nor the expected signature.
    const wrong = await sdkError(client(server, { secretId: creds[0].SecretId, secretKey: SECRET_KEY.slice(0, -1) + 'x' }).DescribeMigrationJobs({}));
    answers.push(wrong.message);
    assert.equal(wrong.code, 'AuthFailure.SignatureFailure');
    // A temporary credential with its token, and one with a wrong token.
    const temp = client(server, { secretId: creds[1].SecretId, secretKey: creds[1].SecretKey, token: TOKEN });
    assert.equal(typeof (await temp.DescribeMigrationJobs({})).TotalCount, 'number');
    const wrongToken = await sdkError(client(server, { secretId: creds[1].SecretId, secretKey: creds[1].SecretKey, token: TOKEN + 'x' }).DescribeMigrationJobs({}));
    answers.push(wrongToken.message);
    // A raw request that puts the key itself in the body.
    const leak = await raw(server, signedRequest(server, { action: 'DescribeMigrationJobs', body: { SecretKey: SECRET_KEY, Token: TOKEN }, secretId: creds[0].SecretId, secretKey: SECRET_KEY }));
    assert.ok(leak.json.Response.Error, leak.text);
    answers.push(leak.text);
    const nameLeak = await raw(server, signedRequest(server, { action: 'DescribeMigrationJobs', body: { JobName: PASSWORD }, secretId: creds[0].SecretId, secretKey: SECRET_KEY }));
    assert.ok(nameLeak.json.Response, nameLeak.text);

    const journal = await (async () => (await get(server.port, '/_dtsmock/requests')).text)();
    const state = (await get(server.port, '/_dtsmock/state')).text;
    assert.ok(journal.includes('ModifyMigrationJob'), 'the journal has the calls');
    // The journal keeps the shape of the call, with the secret replaced.
    const mj = JSON.parse(journal).requests.find((e) => e.action === 'ModifyMigrationJob' && e.ok);
    assert.ok(mj.params.SrcInfo.Info[0].Password !== undefined && mj.params.SrcInfo.Info[0].Password !== PASSWORD, JSON.stringify(mj.params));
    await server.stop();
    const output = server.stdout() + server.stderr();
    assert.ok(output.length > 0, 'the server logged something at debug level');

    for (const secret of [PASSWORD, PASSWORD2, SECRET_KEY, creds[1].SecretKey, TOKEN]) {
      assert.ok(!output.includes(secret), `${secret} appears in the server output:\n${output.slice(0, 2000)}`);
      for (const a of answers) assert.ok(!a.includes(secret), `${secret} appears in an answer: ${a.slice(0, 500)}`);
      if (secret !== PASSWORD) assert.ok(!journal.includes(secret), `${secret} appears in the journal`);
      assert.ok(!state.includes(secret), `${secret} appears in /_dtsmock/state`);
    }
    // PASSWORD was also sent once as a JobName filter, which is not a secret
    // member: it may be journaled there, but never as a Password value.
    for (const e of JSON.parse(journal).requests) {
      const text = JSON.stringify(e.params || {});
      if (text.includes(PASSWORD)) assert.deepEqual(Object.keys(e.params), ['JobName'], `password journaled in ${e.action}: ${text}`);
    }
  } finally {
    server.kill();
  }
});

test('the container image runs as a non-root user', () => {
  const dockerfile = path.resolve(__dirname, '..', '..', 'docker', 'Dockerfile');
  if (!fs.existsSync(dockerfile)) return; // no image defined
  const text = fs.readFileSync(dockerfile, 'utf8');
  const stages = text.split(/^FROM\s/m);
  const last = stages[stages.length - 1];
  const users = [...last.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(users.length > 0, 'the final stage of docker/Dockerfile sets no USER');
  const user = users[users.length - 1];
  assert.ok(!/^(root|0)(:|$)/.test(user), `the final image runs as ${user}`);
});
