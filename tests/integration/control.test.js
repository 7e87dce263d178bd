'use strict';
// The control API end to end: fault rules as the official Node SDK meets them
// (errors, counts, seeded probability, reset, hang, HTTP status, delay), the
// simulated clock moving a realistic job by hours in one call, the request
// journal (masking, statusBefore/After, didYouMean), the admin token, state
// export and re-import, --seed, and job failures injected through
// /_dtsmock/jobs/{id}/fail. Control calls are plain HTTP through fetch.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, client, sdkError } = require('./harness');

const SECRET_ID = 'AKIDdtsmockIntegrationTest0001'; // the harness client's SecretId, hence its tenant (--auth off)

// ---------------------------------------------------------------------------
// Helpers.

async function ctl(server, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

async function ctlOk(server, method, path, body, expectStatus = 200) {
  const r = await ctl(server, method, path, body);
  assert.equal(r.status, expectStatus, `${method} ${path} -> ${r.status} ${r.text}`);
  return r.json;
}

const addFault = (server, rule) => ctlOk(server, 'POST', '/_dtsmock/faults', rule, 201);
const advance = (server, seconds) => ctlOk(server, 'POST', '/_dtsmock/clock', { advance: seconds });
const journal = async (server, query = '') => (await ctlOk(server, 'GET', `/_dtsmock/requests${query ? `?${query}` : ''}`)).requests;

// The outcome of one SDK call: 'ok', or the error's API code.
async function outcome(promise) {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return e.code || `network: ${e.message}`;
  }
}

const MYSQL_CONFIG = (jobId, password = 'pw') => ({
  JobId: jobId,
  RunMode: 'immediate',
  MigrateOption: { DatabaseTable: { ObjectMode: 'all' }, MigrateType: 'fullAndIncrement' },
  SrcInfo: {
    Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple',
    Info: [{ InstanceId: 'cdb-src00001', User: 'root', Password: password }],
  },
  DstInfo: {
    Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple',
    Info: [{ InstanceId: 'cdb-dst00001', User: 'root', Password: password }],
  },
});

async function buyMysql(c, extra = {}) {
  const r = await c.CreateMigrationService({
    SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou',
    InstanceClass: 'medium', ...extra,
  });
  return r.JobIds;
}

// One shared server (fast timing, no rate limit) for the tests that do not
// need their own flags; each test starts from a full reset.
let shared;
before(async () => { shared = await startServer({ auth: 'off', rateLimit: 0 }); });
after(async () => { if (shared) await shared.stop(); });
const fresh = async () => { await ctlOk(shared, 'POST', '/_dtsmock/reset'); return shared; };

// ---------------------------------------------------------------------------
// Fault rules through the SDK.

test('a fault with times: 2 fires on exactly two calls, then retires', async () => {
  const s = await fresh();
  const rule = await addFault(s, { action: 'DescribeMigrationJobs', times: 2, error: { code: 'InternalError.UnknownError' } });
  const c = client(s);
  const seen = [];
  for (let i = 0; i < 5; i += 1) seen.push(await outcome(c.DescribeMigrationJobs({})));
  assert.deepEqual(seen, ['InternalError.UnknownError', 'InternalError.UnknownError', 'ok', 'ok', 'ok']);
  // Another action never matched.
  assert.equal(await outcome(c.DescribeMigrateDBInstances({ DatabaseType: 'mysql' })), 'ok');

  const listed = await ctlOk(s, 'GET', `/_dtsmock/faults/${rule.id}`);
  assert.equal(listed.fired, 2);
  assert.equal(listed.matched, 2);
  assert.equal(listed.active, false);
  const fired = await ctlOk(s, 'GET', `/_dtsmock/requests/count?faultId=${rule.id}`);
  assert.equal(fired.count, 2);
  const errors = await journal(s, 'action=DescribeMigrationJobs&code=error');
  assert.deepEqual(errors.map((e) => [e.code, e.faultId]), [['InternalError.UnknownError', rule.id], ['InternalError.UnknownError', rule.id]]);
});

test('probability 0.5 with a seed fires on the same calls on every run (two fresh servers)', async () => {
  const run = async () => {
    const s = await startServer({ auth: 'off', rateLimit: 0 });
    try {
      const rule = await addFault(s, {
        id: 'coin', action: 'DescribeMigrationJobs', probability: 0.5, seed: 4242,
        error: { code: 'ResourceUnavailable.ResourceUnavailableError' },
      });
      const c = client(s);
      const seen = [];
      for (let i = 0; i < 24; i += 1) seen.push(await outcome(c.DescribeMigrationJobs({ Limit: 1 })));
      const listed = await ctlOk(s, 'GET', `/_dtsmock/faults/${rule.id}`);
      const firedSeqs = (await journal(s, 'faultId=coin')).map((e) => e.seq);
      return { seen, fired: listed.fired, matched: listed.matched, firedSeqs };
    } finally {
      await s.stop();
    }
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(b.seen, a.seen, 'the same calls fire on both servers');
  assert.deepEqual(b.firedSeqs, a.firedSeqs);
  const failures = a.seen.filter((o) => o !== 'ok');
  assert.ok(failures.every((o) => o === 'ResourceUnavailable.ResourceUnavailableError'), a.seen.join());
  assert.equal(a.fired, failures.length);
  assert.equal(a.matched, 24);
  // A fair coin over 24 calls: both sides show up (the seeded draw makes this fixed, not flaky).
  assert.ok(failures.length >= 4 && failures.length <= 20, `fired ${failures.length} of 24`);
});

test('"transport": "reset" makes the SDK surface a network error; the next call succeeds', async () => {
  const s = await fresh();
  const rule = await addFault(s, { action: 'DescribeMigrationJobs', times: 1, transport: 'reset' });
  const c = client(s);
  const e = await sdkError(c.DescribeMigrationJobs({}));
  assert.equal(e.code, undefined, 'a network failure, not an API error');
  assert.equal(e.requestId, '');
  assert.match(e.message, /socket hang up|ECONNRESET|reset/i);
  const ok = await c.DescribeMigrationJobs({});
  assert.equal(ok.TotalCount, 0);
  const [entry] = await journal(s, `faultId=${rule.id}`);
  assert.equal(entry.ok, false);
  assert.equal(entry.faultId, rule.id);
});

test('a hang is cut by the client\'s reqTimeout and the server stays healthy', async () => {
  const s = await fresh();
  await addFault(s, { action: 'DescribeMigrationJobs', times: 1, transport: 'hang' });
  const c = client(s, { reqTimeout: 1 });
  const t0 = Date.now();
  const e = await sdkError(c.DescribeMigrationJobs({}));
  const waited = Date.now() - t0;
  assert.equal(e.code, undefined);
  assert.match(e.message, /timeout/i);
  assert.ok(waited >= 900 && waited < 5000, `the SDK gave up after ${waited} ms`);
  // While the hung connection may still be open on the server, everything else works.
  const health = await ctl(s, 'GET', '/_dtsmock/health');
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'ok');
  const t1 = Date.now();
  assert.equal((await c.DescribeMigrationJobs({})).TotalCount, 0);
  assert.ok(Date.now() - t1 < 900, 'the next call is answered at once');
});

test('"http": {"status": 502} makes the SDK fail with that status', async () => {
  const s = await fresh();
  await addFault(s, { action: 'DescribeMigrationJobs', times: 1, http: { status: 502, body: 'bad gateway' } });
  const c = client(s);
  const e = await sdkError(c.DescribeMigrationJobs({}));
  assert.equal(e.httpCode, 502);
  assert.equal(e.code, undefined);
  assert.match(e.message, /Bad Gateway/i);
  assert.equal((await c.DescribeMigrationJobs({})).TotalCount, 0);
  const [entry] = await journal(s, 'faultId=any');
  assert.equal(entry.code, 'HTTP 502');
});

test('delayMs delays the answer, which is otherwise normal', async () => {
  const s = await fresh();
  await addFault(s, { action: 'DescribeMigrationJobs', times: 1, delayMs: 700 });
  const c = client(s);
  let t0 = Date.now();
  const slow = await c.DescribeMigrationJobs({});
  const slowMs = Date.now() - t0;
  assert.equal(slow.TotalCount, 0);
  assert.ok(slowMs >= 650, `answered after ${slowMs} ms`);
  t0 = Date.now();
  await c.DescribeMigrationJobs({});
  const fastMs = Date.now() - t0;
  assert.ok(fastMs < 500, `the next call took ${fastMs} ms`);
});

// ---------------------------------------------------------------------------
// The clock.

test('--timing realistic: hours pass in one clock call (check, then the whole transfer to readyComplete)', async () => {
  const s = await startServer({ auth: 'off', rateLimit: 0, args: ['--timing', 'realistic'] });
  try {
    await ctlOk(s, 'POST', '/_dtsmock/clock', { set: '2025-03-01T00:00:00Z', frozen: true });
    const c = client(s);
    const [id] = await buyMysql(c);
    await advance(s, 5); // creating (2 s)
    await c.ModifyMigrationJob(MYSQL_CONFIG(id));
    await c.CreateMigrateCheckJob({ JobId: id });
    const detail = (p = {}) => c.DescribeMigrationDetail({ JobId: id, DateTimeISOFormat: true, ...p });
    assert.equal((await detail()).Status, 'checking');

    // The realistic check takes 30 s: frozen time does not move it...
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await detail()).Status, 'checking');
    // ...three hours do, in one call.
    let clock = await advance(s, 10800);
    assert.equal(clock.now, '2025-03-01T03:00:05.000Z');
    assert.equal((await detail()).Status, 'checkPass');

    await c.StartMigrateJob({ JobId: id });
    const startedAt = Date.parse(clock.now);
    assert.equal((await detail()).Status, 'readyRun');
    clock = await advance(s, 10800);
    const d = await detail();
    assert.equal(d.Status, 'readyComplete');
    const steps = d.StepInfo.StepInfo;
    assert.deepEqual(steps.map((x) => [x.StepId, x.Status]), [['dumper', 'finished'], ['loader', 'finished'], ['sinker', 'running']]);
    // Each phase kept its realistic length, replayed at its own time:
    // readyRun 60 s, dumper 45 s, loader 45 s.
    const t = (v) => Date.parse(v);
    assert.equal(t(steps[0].StartTime) - startedAt, 60000);
    assert.equal(t(steps[0].FinishTime) - t(steps[0].StartTime), 45000);
    assert.equal(t(steps[1].FinishTime) - t(steps[1].StartTime), 45000);
    assert.equal(t(steps[2].StartTime), t(steps[1].FinishTime));
    assert.equal(d.StepInfo.SecondsBehindMaster, 0);
  } finally {
    await s.stop();
  }
});

// ---------------------------------------------------------------------------
// The journal.

test('the journal masks the password sent in ModifyMigrationJob and records statusBefore/statusAfter', async () => {
  const s = await fresh();
  const c = client(s);
  const [id] = await buyMysql(c);
  await advance(s, 2);
  const secret = 'Sup3r-Secret-Pw!';
  await c.ModifyMigrationJob(MYSQL_CONFIG(id, secret));
  await c.CreateMigrateCheckJob({ JobId: id });
  assert.equal(await outcome(c.StartMigrateJob({ JobId: id })), 'FailedOperation.StatusInConflict');

  const all = await ctl(s, 'GET', `/_dtsmock/requests?jobId=${id}`);
  assert.equal(all.status, 200);
  assert.ok(!all.text.includes(secret), 'the password never appears in the journal');
  const [modify, check, start] = all.json.requests.filter((e) => e.action !== 'CreateMigrationService');
  assert.equal(modify.action, 'ModifyMigrationJob');
  assert.equal(modify.params.SrcInfo.Info[0].Password, '******');
  assert.equal(modify.params.DstInfo.Info[0].Password, '******');
  assert.equal(modify.params.SrcInfo.Info[0].User, 'root', 'other members are kept');
  assert.equal(modify.params.JobId, id);
  assert.deepEqual([modify.statusBefore, modify.statusAfter, modify.ok], ['created', 'created', true]);
  assert.deepEqual([check.action, check.statusBefore, check.statusAfter], ['CreateMigrateCheckJob', 'created', 'checking']);
  assert.deepEqual([start.action, start.ok, start.code, start.statusBefore, start.statusAfter],
    ['StartMigrateJob', false, 'FailedOperation.StatusInConflict', 'checking', 'checking']);
  assert.equal(start.tenant, SECRET_ID);
});

test('didYouMean appears in the journal for a misspelt action and a misspelt parameter', async () => {
  const s = await fresh();
  const c = client(s);
  const badAction = await sdkError(c.request('DescribeMigrationJob', {}));
  assert.equal(badAction.code, 'InvalidAction');
  const badParam = await sdkError(c.DescribeMigrationJobs({ Limt: 5 }));
  assert.equal(badParam.code, 'UnknownParameter');

  const [a] = await journal(s, 'action=DescribeMigrationJob');
  assert.equal(a.didYouMean, 'DescribeMigrationJobs');
  assert.equal(a.code, 'InvalidAction');
  const [p] = await journal(s, 'action=DescribeMigrationJobs');
  assert.equal(p.didYouMean, 'Limit');
  assert.equal(p.code, 'UnknownParameter');
  // A correct call carries no suggestion.
  await c.DescribeMigrationJobs({ Limit: 5 });
  const [good] = await journal(s, 'action=DescribeMigrationJobs&code=ok');
  assert.equal(good.didYouMean, null);
});

// ---------------------------------------------------------------------------
// The admin token.

test('--admin-token: the control API needs the Bearer token, the Tencent API does not', async () => {
  const token = 'ctl-token-3f9a';
  const s = await startServer({ auth: 'off', rateLimit: 0, args: ['--admin-token', token] });
  try {
    const none = await ctl(s, 'GET', '/_dtsmock/clock');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') || '', /^Bearer/);
    assert.equal(none.json.error.code, 'Unauthorized');
    const wrong = await ctl(s, 'GET', '/_dtsmock/clock', undefined, { Authorization: 'Bearer not-the-token' });
    assert.equal(wrong.status, 401);
    const right = await ctl(s, 'GET', '/_dtsmock/clock', undefined, { Authorization: `Bearer ${token}` });
    assert.equal(right.status, 200);
    assert.equal(typeof right.json.nowMs, 'number');
    // A change without the token changes nothing.
    const refused = await ctl(s, 'POST', '/_dtsmock/faults', { transport: 'reset' });
    assert.equal(refused.status, 401);
    const rules = await ctl(s, 'GET', '/_dtsmock/faults', undefined, { Authorization: `Bearer ${token}` });
    assert.deepEqual(rules.json.faults, []);
    // The emulated API needs no token.
    const c = client(s);
    assert.equal((await c.DescribeMigrationJobs({})).TotalCount, 0);
  } finally {
    await s.stop();
  }
});

// ---------------------------------------------------------------------------
// Export and re-import.

test('a state exported and re-imported into a fresh server describes the same jobs', async () => {
  const at = '2025-06-01T08:00:00Z';
  const a = await startServer({ auth: 'off', rateLimit: 0 });
  let b;
  try {
    await ctlOk(a, 'POST', '/_dtsmock/clock', { set: at, frozen: true });
    const c = client(a);
    const [created, checked, running, failed, isolated] = await buyMysql(c, { Count: 5, Tags: [{ TagKey: 'team', TagValue: 'data' }] });
    await advance(a, 2);
    await c.ModifyMigrateName({ JobId: created, JobName: 'renamed' });
    for (const id of [checked, running, failed]) {
      await c.ModifyMigrationJob({ ...MYSQL_CONFIG(id), AutoRetryTimeRangeMinutes: 10 });
      await c.CreateMigrateCheckJob({ JobId: id });
    }
    await advance(a, 4);
    for (const id of [running, failed]) await c.StartMigrateJob({ JobId: id });
    await advance(a, 4); // both running, in the dumper step
    const task = (await c.CreateCompareTask({ JobId: running, TaskName: 'cmp-1' })).CompareTaskId;
    await ctlOk(a, 'POST', `/_dtsmock/jobs/${failed}/fail`, { status: 'error', code: 'DtsTestFailure', message: 'injected for export' });
    await c.IsolateMigrateJob({ JobId: isolated });
    await advance(a, 1.5); // mid-step: progress that must survive the export

    const exported = await ctlOk(a, 'GET', `/_dtsmock/state?tenant=${SECRET_ID}`);
    assert.equal(exported.jobs.length, 5);
    const nowA = (await ctlOk(a, 'GET', '/_dtsmock/clock')).nowMs;

    b = await startServer({ auth: 'off', rateLimit: 0 });
    await ctlOk(b, 'POST', '/_dtsmock/clock', { set: new Date(nowA).toISOString(), frozen: true });
    const loaded = await ctlOk(b, 'POST', '/_dtsmock/fixtures', exported);
    assert.equal(loaded.loaded, 5);

    const cb = client(b);
    const strip = (r) => { const { RequestId, ...rest } = r; return rest; };
    const compare = async (what) => {
      const listA = strip(await c.DescribeMigrationJobs({ Limit: 100 }));
      const listB = strip(await cb.DescribeMigrationJobs({ Limit: 100 }));
      assert.equal(listA.TotalCount, 5);
      assert.deepEqual(listB, listA, `DescribeMigrationJobs ${what}`);
      for (const id of [created, checked, running, failed, isolated]) {
        assert.deepEqual(strip(await cb.DescribeMigrationDetail({ JobId: id })), strip(await c.DescribeMigrationDetail({ JobId: id })),
          `DescribeMigrationDetail ${id} ${what}`);
      }
      assert.deepEqual(strip(await cb.DescribeCompareTasks({ JobId: running })), strip(await c.DescribeCompareTasks({ JobId: running })),
        `DescribeCompareTasks ${what}`);
    };
    await compare('right after the import');
    const statuses = (await c.DescribeMigrationJobs({ Limit: 100 })).JobList.map((j) => [j.JobId, j.Status, j.TradeInfo.TradeStatus]);
    assert.deepEqual(new Map(statuses.map(([id, st, tr]) => [id, `${st}/${tr}`])), new Map([
      [created, 'created/normal'], [checked, 'checkPass/normal'], [running, 'running/normal'],
      [failed, 'error/normal'], [isolated, 'canceled/isolated'], // isolating a job cancels it (docs/behaviour.md §9)
    ]));
    // The same from then on: both move on alike.
    await advance(a, 30);
    await advance(b, 30);
    await compare('30 s later');
    assert.equal((await cb.DescribeMigrationDetail({ JobId: running })).Status, 'readyComplete');
    assert.equal((await cb.ResumeMigrateJob({ JobId: failed })).RequestId.length > 0, true);
  } finally {
    await a.stop();
    if (b) await b.stop();
  }
});

// ---------------------------------------------------------------------------
// --seed.

test('--seed N makes generated job ids and request ids repeatable across fresh servers', async () => {
  const run = async (seed) => {
    const s = await startServer({ auth: 'off', rateLimit: 0, args: ['--seed', String(seed)] });
    try {
      const c = client(s);
      const out = [];
      const bought = await c.CreateMigrationService({
        SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou',
        InstanceClass: 'small', Count: 3,
      });
      out.push(bought.RequestId, ...bought.JobIds);
      const list = await c.DescribeMigrationJobs({});
      out.push(list.RequestId, ...list.JobList.map((j) => j.TradeInfo.DealName));
      const err = await sdkError(c.StartMigrateJob({ JobId: 'dts-nosuch00' }));
      out.push(err.requestId);
      return out;
    } finally {
      await s.stop();
    }
  };
  const a = await run(42);
  const b = await run(42);
  const other = await run(43);
  assert.equal(a.length, 9);
  assert.deepEqual(b, a);
  for (const [i, v] of a.entries()) assert.notEqual(other[i], v, `seed 43 gives another value at ${i}`);
  assert.match(a[1], /^dts-[a-z0-9]{8}$/);
});

// ---------------------------------------------------------------------------
// Job failures through the control API.

test('POST /_dtsmock/jobs/{id}/fail on a running job: Detail shows the failure, ResumeMigrateJob brings it back', async () => {
  const s = await fresh();
  const c = client(s);
  await ctlOk(s, 'POST', '/_dtsmock/clock', { frozen: true });
  const [id] = await buyMysql(c);
  await advance(s, 2);
  await c.ModifyMigrationJob(MYSQL_CONFIG(id));
  await c.CreateMigrateCheckJob({ JobId: id });
  await advance(s, 4);
  await c.StartMigrateJob({ JobId: id });
  await advance(s, 3);
  assert.equal((await c.DescribeMigrationDetail({ JobId: id })).Status, 'running');

  const failure = {
    status: 'error', stepId: 'loader', afterSeconds: 1, code: 'DtsLoaderDuplicateKey',
    message: 'Duplicate entry 42 for key PRIMARY in orders.t_order', solution: 'remove the duplicate row on the target, then resume',
  };
  const armed = await ctlOk(s, 'POST', `/_dtsmock/jobs/${id}/fail`, failure);
  assert.equal(armed.JobId, id);
  assert.equal(armed.Status, 'running', 'armed, not fired yet');

  await advance(s, 10);
  const d = await c.DescribeMigrationDetail({ JobId: id });
  assert.equal(d.Status, 'error');
  assert.equal(d.BriefMsg, failure.message);
  assert.equal(d.ErrorInfo.length, 1);
  assert.equal(d.ErrorInfo[0].Code, failure.code);
  assert.equal(d.ErrorInfo[0].ErrorLog, failure.message);
  assert.equal(d.ErrorInfo[0].Solution, failure.solution);
  const steps = Object.fromEntries(d.StepInfo.StepInfo.map((x) => [x.StepId, x]));
  assert.equal(steps.dumper.Status, 'finished');
  assert.equal(steps.loader.Status, 'failed');
  assert.equal(steps.loader.Errors[0].Message, failure.message);
  assert.equal(steps.loader.Errors[0].Solution, failure.solution);
  assert.equal(steps.sinker.Status, 'notStarted');
  const stuck = steps.loader.Percent;

  await c.ResumeMigrateJob({ JobId: id });
  const resumed = await c.DescribeMigrationDetail({ JobId: id });
  assert.equal(resumed.Status, 'resuming');
  assert.deepEqual(resumed.ErrorInfo, []);
  await advance(s, 2.5);
  const back = await c.DescribeMigrationDetail({ JobId: id });
  assert.equal(back.Status, 'running');
  const loader = back.StepInfo.StepInfo.find((x) => x.StepId === 'loader');
  assert.equal(loader.Status, 'running');
  assert.ok(loader.Percent >= stuck, `the loader continues from its checkpoint (${stuck}% -> ${loader.Percent}%)`);
  await advance(s, 30);
  assert.equal((await c.DescribeMigrationDetail({ JobId: id })).Status, 'readyComplete');
  const [resume] = await journal(s, 'action=ResumeMigrateJob');
  assert.deepEqual([resume.statusBefore, resume.statusAfter], ['error', 'resuming']);
});
