'use strict';
// The scenario files of fixtures/scenarios/: each loads (at start-up with
// --fixtures, and through POST /_dtsmock/fixtures) and does what
// docs/scenarios.md says a client observes. The clock is frozen after loading
// and moved by hand, so every timing below is exact (the fast profile).

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, client, sdkError } = require('./harness');

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = path.join(ROOT, 'fixtures', 'scenarios');
const DOC = path.join(ROOT, 'docs', 'scenarios.md');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const read = (file) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));

// The harness client's credential, mapped to the tenant the scenarios use.
const SECRET_ID = 'AKIDdtsmockIntegrationTest0001';
const SECRET_KEY = 'dtsmockIntegrationTestSecretKey001';
const CREDENTIALS = [{ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Tenant: 'default' }];
const T0 = '2025-01-01T00:00:00Z';

async function ctl(server, method, p, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(`${server.url}${p}`, init);
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json };
}
async function ctlOk(server, method, p, body) {
  const r = await ctl(server, method, p, body);
  assert.equal(r.status, 200, `${method} ${p} -> ${r.status} ${r.text}`);
  return r.json;
}
const advance = (server, seconds) => ctlOk(server, 'POST', '/_dtsmock/clock', { advance: seconds });
const journal = async (server, query) => (await ctlOk(server, 'GET', `/_dtsmock/requests?${query}`)).requests;

// A fresh server with one scenario loaded through the API, its clock frozen at T0.
async function withScenario(file, fn, opts = {}) {
  const s = await startServer({ auth: 'off', rateLimit: 0, credentials: CREDENTIALS, ...opts });
  try {
    await ctlOk(s, 'POST', '/_dtsmock/clock', { set: T0, frozen: true });
    const doc = read(file);
    const loaded = await ctlOk(s, 'POST', '/_dtsmock/fixtures', doc);
    assert.equal(loaded.loaded, (doc.jobs || []).length);
    assert.equal(loaded.faults, (doc.faults || []).length);
    return await fn(s, client(s));
  } finally {
    await s.stop();
  }
}

async function detail(c, id) {
  const d = await c.DescribeMigrationDetail({ JobId: id, DateTimeISOFormat: true });
  d.steps = Object.fromEntries(d.StepInfo.StepInfo.map((x) => [x.StepId, x]));
  return d;
}

async function outcome(promise) {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return e.code || (e.httpCode ? `HTTP ${e.httpCode}` : `network: ${e.message}`);
  }
}

// One test per scenario file; a file without one fails the coverage test below.
const behaviours = new Map();

// With --timing realistic the failure falls while the job is still catching
// up (running), exactly 30 s after incrSync starts; docs/scenarios.md also
// describes the fast profile, where the job reaches readyComplete first.
behaviours.set('01-redis-failure-flaky-resume.json', async () => withScenario('01-redis-failure-flaky-resume.json', async (s, c) => {
  const id = 'dts-sc1redis';
  let d = await detail(c, id);
  assert.equal(d.Status, 'running');
  assert.deepEqual([d.steps.fullSync.Status, d.steps.incrSync.Status], ['running', 'notStarted']);

  await advance(s, 74); // fullSync takes 45 s; incrSync has run for 29 s
  d = await detail(c, id);
  assert.equal(d.Status, 'running');
  assert.equal(d.steps.fullSync.Status, 'finished');
  assert.equal(d.steps.incrSync.Status, 'running');
  assert.equal(Date.parse(d.steps.incrSync.StartTime) - Date.parse(T0), 45000);

  await advance(s, 2); // 31 s into incrSync: it failed at 30 s
  d = await detail(c, id);
  assert.equal(d.Status, 'error');
  assert.equal(d.steps.fullSync.Status, 'finished');
  assert.equal(d.steps.incrSync.Status, 'failed');
  const jf = read('01-redis-failure-flaky-resume.json').jobFaults[0];
  assert.deepEqual(d.steps.incrSync.Errors, [{ Message: jf.message, Solution: jf.solution, HelpDoc: '' }]);
  assert.equal(d.ErrorInfo[0].Code, jf.code);
  assert.equal(d.ErrorInfo[0].ErrorLog, jf.message);
  assert.equal(d.BriefMsg, jf.message);

  // The first resume meets the service's database error and changes nothing...
  const first = await sdkError(c.ResumeMigrateJob({ JobId: id }));
  assert.equal(first.code, 'InternalError.DatabaseError');
  assert.equal((await detail(c, id)).Status, 'error');
  // ...the second works.
  await c.ResumeMigrateJob({ JobId: id });
  assert.equal((await detail(c, id)).Status, 'resuming');
  const resumes = await journal(s, 'action=ResumeMigrateJob');
  assert.deepEqual(resumes.map((e) => [e.code, e.faultId, e.statusAfter]),
    [['InternalError.DatabaseError', 'sc1-resume-dberror', null], [null, null, 'resuming']]);

  await advance(s, 10); // resuming: a redis job starts over from its first step
  d = await detail(c, id);
  assert.equal(d.Status, 'running');
  assert.equal(d.steps.fullSync.Status, 'running');
  assert.deepEqual(d.ErrorInfo, []);
  await advance(s, 600); // the failure was used up: the job stays healthy
  assert.equal((await detail(c, id)).Status, 'readyComplete');
}, { args: ['--timing', 'realistic'] }));

behaviours.set('02-mysql-check-failed.json', async () => withScenario('02-mysql-check-failed.json', async (s, c) => {
  const id = 'dts-sc2check';
  assert.equal((await detail(c, id)).Status, 'checkNotPass');
  const check = await c.DescribeMigrationCheckJob({ JobId: id });
  assert.equal(check.Status, 'success');
  assert.equal(check.CheckFlag, 'checkNotPass');
  assert.equal(check.StepInfo.length, 13);
  const failed = check.StepInfo.filter((x) => x.StepStatus === 'failed');
  assert.deepEqual(failed.map((x) => x.StepId), ['BinlogParamCheck']);
  assert.equal(failed[0].DetailCheckItems[0].ErrorLog[0], 'binlog_format must be ROW');
  assert.equal(await outcome(c.StartMigrateJob({ JobId: id })), 'FailedOperation.StatusInConflict');

  // The source is still misconfigured: the next checks fail on the same item.
  const put = await ctl(s, 'PUT', `/_dtsmock/jobs/${id}`, { CheckFailSteps: ['BinlogParamCheck'] });
  assert.equal(put.status, 200, put.text);
  await c.CreateMigrateCheckJob({ JobId: id });
  assert.equal((await detail(c, id)).Status, 'checking');
  await advance(s, 3);
  assert.equal((await detail(c, id)).Status, 'checkNotPass');

  // Only a failed item can be skipped; skipping does not pass the check by itself.
  assert.equal(await outcome(c.SkipCheckItem({ JobId: id, StepIds: ['VersionCheck'] })), 'InvalidParameterValue.InvalidParameterValueError');
  await c.SkipCheckItem({ JobId: id, StepIds: ['BinlogParamCheck'] });
  assert.equal((await detail(c, id)).Status, 'checkNotPass');
  await c.CreateMigrateCheckJob({ JobId: id });
  await advance(s, 3);
  assert.equal((await detail(c, id)).Status, 'checkPass');
  const again = await c.DescribeMigrationCheckJob({ JobId: id });
  const binlog = again.StepInfo.find((x) => x.StepId === 'BinlogParamCheck');
  assert.deepEqual([binlog.StepStatus, binlog.HasSkipped], ['failed', true]);
  await c.StartMigrateJob({ JobId: id });
  assert.equal((await detail(c, id)).Status, 'readyRun');
}));

test('scenario 02 without CheckFailSteps: a new check passes (the emulator assumes the source was fixed)', async () => {
  await withScenario('02-mysql-check-failed.json', async (s, c) => {
    await c.CreateMigrateCheckJob({ JobId: 'dts-sc2check' });
    await advance(s, 3);
    const check = await c.DescribeMigrationCheckJob({ JobId: 'dts-sc2check' });
    assert.equal(check.CheckFlag, 'checkPass');
    assert.deepEqual(check.StepInfo.filter((x) => x.StepStatus === 'failed'), []);
  });
});

behaviours.set('03-shanghai-throttled.json', async () => {
  const run = () => withScenario('03-shanghai-throttled.json', async (s) => {
    const sh = client(s, { region: 'ap-shanghai' });
    const gz = client(s);
    const buy = (c, region) => c.CreateMigrationService({
      SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: region, DstRegion: region, InstanceClass: 'small',
    });
    // Guangzhou is not affected at all.
    assert.equal(await outcome(buy(gz, 'ap-guangzhou')), 'ok');
    const purchases = [];
    for (let i = 0; i < 3; i += 1) purchases.push(await outcome(buy(sh, 'ap-shanghai')));
    assert.deepEqual(purchases, ['RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);

    const listings = [];
    for (let i = 0; i < 20; i += 1) listings.push(await outcome(sh.DescribeMigrationJobs({})));
    for (let i = 0; i < 10; i += 1) assert.equal(await outcome(gz.DescribeMigrationJobs({})), 'ok');
    const rule = await ctlOk(s, 'GET', '/_dtsmock/faults/sc3-list-503');
    assert.equal(rule.matched, 20);
    assert.equal(rule.fired, listings.filter((o) => o === 'HTTP 503').length);
    return listings;
  });
  const a = await run();
  const b = await run();
  assert.ok(a.every((o) => o === 'ok' || o === 'HTTP 503'), a.join());
  const busy = a.filter((o) => o === 'HTTP 503').length;
  assert.ok(busy >= 2 && busy <= 12, `${busy} of 20 listings met the 503`);
  assert.deepEqual(b, a, 'the same listings fail on every run');
});

behaviours.set('04-polling-network-trouble.json', async () => withScenario('04-polling-network-trouble.json', async (s, c) => {
  const id = 'dts-sc4poll0';
  const poll = () => c.DescribeMigrationDetail({ JobId: id });
  const reset = await sdkError(poll());
  assert.equal(reset.code, undefined);
  assert.match(reset.message, /socket hang up|ECONNRESET/i);

  let t0 = Date.now();
  assert.equal((await poll()).Status, 'running');
  assert.ok(Date.now() - t0 >= 1400, `the 2nd poll took ${Date.now() - t0} ms`);

  const garbled = await sdkError(poll());
  assert.equal(garbled.code, undefined);
  assert.match(garbled.message, /json/i);

  t0 = Date.now();
  assert.equal((await poll()).Status, 'running');
  assert.ok(Date.now() - t0 < 1000);
  // Other calls were never touched.
  assert.equal((await c.DescribeMigrationJobs({})).TotalCount, 1);
  const hits = await journal(s, 'faultId=any');
  assert.deepEqual(hits.map((e) => e.faultId), ['sc4-poll-reset', 'sc4-poll-slow', 'sc4-poll-garbled']);
}));

behaviours.set('05-mysql-auto-retry.json', async () => withScenario('05-mysql-auto-retry.json', async (s, c) => {
  const id = 'dts-sc5retry';
  await advance(s, 4.5); // dumper done at 3 s, loader running
  let d = await detail(c, id);
  assert.equal(d.Status, 'running');
  assert.equal(d.steps.loader.Status, 'running');
  await advance(s, 1); // the loader fails 2 s after it started
  d = await detail(c, id);
  assert.equal(d.Status, 'resumableErr');
  assert.equal(d.steps.loader.Status, 'failed');
  assert.equal(d.ErrorInfo[0].Code, 'TargetConnectionLost');
  const stuck = d.steps.loader.Percent;
  assert.ok(stuck > 0 && stuck < 100, `loader at ${stuck}%`);

  await advance(s, 2); // auto-retry after min(autoRetry, 5 min) = 2 s
  d = await detail(c, id);
  assert.equal(d.Status, 'resuming');
  assert.match(d.BriefMsg, /Resumed 1 time\(s\), 1 of them by auto-retry/);
  await advance(s, 2);
  d = await detail(c, id);
  assert.equal(d.Status, 'running');
  assert.ok(d.steps.loader.Status === 'finished' || d.steps.loader.Percent >= stuck, 'the loader went on from its checkpoint');
  await advance(s, 10);
  assert.equal((await detail(c, id)).Status, 'readyComplete');
  // Nobody called ResumeMigrateJob.
  assert.equal((await ctlOk(s, 'GET', '/_dtsmock/requests/count?action=ResumeMigrateJob')).count, 0);
}));

behaviours.set('06-cutover-retry.json', async () => withScenario('06-cutover-retry.json', async (s, c) => {
  const id = 'dts-sc6cutov';
  let d = await detail(c, id);
  assert.equal(d.Status, 'readyComplete');
  assert.equal(d.steps.sinker.Status, 'running');
  const refused = await sdkError(c.CompleteMigrateJob({ JobId: id, CompleteMode: 'waitForSync' }));
  assert.equal(refused.code, 'FailedOperation.NotAllowOperation');
  assert.equal(refused.message, read('06-cutover-retry.json').faults[0].error.message);
  assert.equal((await detail(c, id)).Status, 'readyComplete');
  await c.CompleteMigrateJob({ JobId: id, CompleteMode: 'waitForSync' });
  assert.equal((await detail(c, id)).Status, 'completing');
  await advance(s, 2);
  d = await detail(c, id);
  assert.equal(d.Status, 'success');
  assert.equal(d.steps.sinker.Status, 'finished');
}));

for (const [file, fn] of behaviours) test(`scenario ${file} behaves as docs/scenarios.md describes`, fn);

test('every scenario file has a behaviour test here and a section in docs/scenarios.md', () => {
  assert.ok(FILES.length >= 5, `${FILES.length} scenarios`);
  assert.deepEqual([...behaviours.keys()].sort(), FILES);
  const doc = fs.readFileSync(DOC, 'utf8');
  for (const f of FILES) assert.ok(doc.includes(`fixtures/scenarios/${f}`), `docs/scenarios.md does not describe ${f}`);
});

test('--fixtures fixtures/scenarios loads every scenario at start-up; reloading needs a reset first', async () => {
  const s = await startServer({ auth: 'off', rateLimit: 0, credentials: CREDENTIALS, args: ['--fixtures', DIR] });
  try {
    const jobs = FILES.flatMap((f) => (read(f).jobs || []).map((j) => j.JobId)).sort();
    const rules = FILES.flatMap((f) => (read(f).faults || []).map((r) => r.id));
    const state = await ctlOk(s, 'GET', '/_dtsmock/state?tenant=default');
    assert.deepEqual(state.jobs.map((j) => j.JobId).sort(), jobs);
    const listed = (await ctlOk(s, 'GET', '/_dtsmock/faults')).faults;
    assert.deepEqual(listed.map((r) => r.id), rules, 'every rule, in file order');
    assert.ok(listed.every((r) => r.active && r.fired === 0));
    const c = client(s);
    const list = await c.DescribeMigrationJobs({ Limit: 100 });
    assert.deepEqual(list.JobList.map((j) => j.JobId).sort(), jobs);

    // Loading a scenario again clashes with its own rule ids: refused, nothing changes.
    const again = await ctl(s, 'POST', '/_dtsmock/fixtures', read(FILES[0]));
    assert.equal(again.status, 400);
    assert.equal((await ctlOk(s, 'GET', '/_dtsmock/faults')).faults.length, rules.length);
    // After a full reset it loads.
    await ctlOk(s, 'POST', '/_dtsmock/reset');
    const loaded = await ctlOk(s, 'POST', '/_dtsmock/fixtures', read(FILES[0]));
    assert.equal(loaded.loaded, (read(FILES[0]).jobs || []).length);
  } finally {
    await s.stop();
  }
});
