'use strict';
// Many clients racing conflicting actions on the same job. Every request gets
// exactly one well-formed answer, exactly the transitions the table allows
// win, the final state is one the table can reach, and the request journal's
// statusBefore/statusAfter chain without gaps (each call saw the state the
// previous one left).
//
// Transient phases are made long (1000 s) so that no timer moves a job while
// the race runs: any change of status must then come from a call that the
// journal shows.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer, UUID_RE } = require('./harness');

const LONG = 1000;
let server;

before(async () => {
  server = await startServer({
    auth: 'off',
    rateLimit: 0,
    args: ['--threads', '4', '--journal-max', '100000',
      '--phase', 'creating=0.05', '--phase', 'checking=0.05', '--phase', 'readyRun=0.05',
      '--phase', `step=${LONG}`, '--phase', `catchUp=${LONG}`,
      '--phase', `pausing=${LONG}`, '--phase', `stopping=${LONG}`, '--phase', `resuming=${LONG}`,
      '--phase', `isolating=${LONG}`, '--phase', `offlining=${LONG}`],
  });
});
after(async () => {
  if (server) await server.stop();
});

// One API call over its own connection (no keep-alive pooling: the races are
// between connections, as between independent clients).
function call(action, params, { tenant = 'AKIDconcurrency' } = {}) {
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: server.port, method: 'POST', path: '/', agent: false,
      headers: {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        'X-TC-Action': action, 'X-TC-Version': '2021-12-06', 'X-TC-Region': 'ap-guangzhou',
        'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
        Authorization: `TC3-HMAC-SHA256 Credential=${tenant}/2026-01-01/dts/tc3_request, SignedHeaders=content-type;host, Signature=${'0'.repeat(64)}`,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { /* checked below */ }
        resolve({ status: res.statusCode, text, json, action });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The Response of a well-formed envelope (asserts it is one).
function envelope(r) {
  assert.equal(r.status, 200, `${r.action}: HTTP ${r.status} ${r.text}`);
  assert.ok(r.json && r.json.Response, `${r.action}: not an envelope: ${r.text}`);
  assert.match(r.json.Response.RequestId, UUID_RE, `${r.action}: RequestId`);
  return r.json.Response;
}
async function ok(action, params) {
  const resp = envelope(await call(action, params));
  assert.equal(resp.Error, undefined, `${action} ${JSON.stringify(params)} failed: ${JSON.stringify(resp.Error)}`);
  return resp;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function detail(jobId) {
  return ok('DescribeMigrationDetail', { JobId: jobId });
}

async function waitStatus(jobId, status, ms = 5000) {
  const deadline = Date.now() + ms;
  let d;
  while (Date.now() < deadline) {
    d = await detail(jobId);
    if (d.Status === status) return d;
    await sleep(25);
  }
  assert.fail(`job ${jobId} did not reach ${status}; last ${d && d.Status}`);
}

const CONFIG = (jobId) => ({
  JobId: jobId, RunMode: 'immediate', MigrateOption: { DatabaseTable: { ObjectMode: 'all' } },
  SrcInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'src-1', User: 'root', Password: 'pw' }] },
  DstInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'dst-1', User: 'root', Password: 'pw' }] },
});

async function createJobs(n) {
  const r = await ok('CreateMigrationService', {
    SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou',
    InstanceClass: 'medium', Count: n,
  });
  assert.equal(r.JobIds.length, n);
  return r.JobIds;
}

async function runningJob(jobId) {
  await waitStatus(jobId, 'created');
  await ok('ModifyMigrationJob', CONFIG(jobId));
  await ok('CreateMigrateCheckJob', { JobId: jobId });
  await waitStatus(jobId, 'checkPass');
  await ok('StartMigrateJob', { JobId: jobId });
  await waitStatus(jobId, 'running');
}

async function journal(jobId) {
  return (await control(`/_dtsmock/requests?jobId=${jobId}`)).requests;
}
async function lastSeq() {
  return (await control('/_dtsmock/requests?limit=1')).lastSeq;
}
async function control(path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    }).on('error', reject);
  });
}

// statusBefore of every journal entry that carries one equals the previous
// entry's statusAfter. Returns the entries in order.
// Only entries after seq `since` (the race, not the setup whose timers move the job).
function assertChain(jobId, entries, since, allowedGaps = new Set()) {
  const withStatus = entries.filter((e) => e.statusBefore !== undefined && e.seq > since);
  for (let i = 1; i < withStatus.length; i++) {
    const prev = withStatus[i - 1];
    const cur = withStatus[i];
    const gap = `${prev.statusAfter}->${cur.statusBefore}`;
    assert.ok(prev.statusAfter === cur.statusBefore || allowedGaps.has(gap),
      `journal of ${jobId} breaks its chain at seq ${cur.seq} (${cur.action}): previous call (seq ${prev.seq} ${prev.action}) left ` +
      `${prev.statusAfter}, this one saw ${cur.statusBefore}\n${withStatus.map((e) => `${e.seq} ${e.action} ${e.ok ? 'ok' : e.code} ${e.statusBefore}->${e.statusAfter}`).join('\n')}`);
    if (cur.ok === false) assert.equal(cur.statusAfter, cur.statusBefore, `a refused call changed ${jobId}: seq ${cur.seq}`);
  }
  return withStatus;
}

const REFUSALS = new Set(['OperationDenied.OperationDeniedError', 'FailedOperation.NotAllowOperation', 'FailedOperation.StatusInConflict']);

test('Pause vs Stop vs Resume vs Continue on running jobs: one winner per job, the rest refused, journal chained', async () => {
  const jobs = await createJobs(8);
  await Promise.all(jobs.map(runningJob));

  const ACTIONS = ['PauseMigrateJob', 'StopMigrateJob', 'ResumeMigrateJob', 'ContinueMigrateJob'];
  const PER_JOB = 24;
  const since = await lastSeq();
  const calls = [];
  for (const jobId of jobs) {
    for (let i = 0; i < PER_JOB; i++) {
      const action = ACTIONS[(i * 7 + jobId.charCodeAt(5)) % ACTIONS.length];
      const params = action === 'ResumeMigrateJob' ? { JobId: jobId, ResumeOption: 'normal' } : { JobId: jobId };
      calls.push(call(action, params).then((r) => ({ ...r, jobId })));
    }
  }
  const results = await Promise.all(calls);
  assert.equal(results.length, jobs.length * PER_JOB, 'every request answered');

  for (const jobId of jobs) {
    const mine = results.filter((r) => r.jobId === jobId);
    const wins = [];
    for (const r of mine) {
      const resp = envelope(r);
      if (resp.Error) {
        assert.ok(REFUSALS.has(resp.Error.Code), `${r.action} on ${jobId}: unexpected error ${JSON.stringify(resp.Error)}`);
      } else {
        wins.push(r.action);
      }
    }
    // From running with long transients, Pause (-> pausing) and Stop (-> stopping)
    // are the only moves, and neither is allowed from where the other leads.
    assert.equal(wins.length, 1, `${jobId}: exactly one winner expected, got ${JSON.stringify(wins)}`);
    assert.ok(['PauseMigrateJob', 'StopMigrateJob'].includes(wins[0]), `${jobId}: ${wins[0]} cannot win from running`);
    const final = (await detail(jobId)).Status;
    assert.equal(final, wins[0] === 'PauseMigrateJob' ? 'pausing' : 'stopping', `${jobId}: final status after ${wins[0]}`);

    const entries = assertChain(jobId, await journal(jobId), since);
    const raced = entries.filter((e) => ACTIONS.includes(e.action));
    assert.equal(raced.length, PER_JOB, `${jobId}: the journal has every raced call once`);
    assert.equal(raced.filter((e) => e.ok).length, 1, `${jobId}: one successful raced call in the journal`);
    assert.equal(entries[entries.length - 1].statusAfter, final, `${jobId}: journal ends where the job is`);
  }
});

test('Isolate vs Destroy vs Recover on idle jobs: trade transitions stay coherent, at most one isolate wins', async () => {
  const jobs = await createJobs(6);
  await Promise.all(jobs.map((j) => waitStatus(j, 'created')));
  const ACTIONS = ['IsolateMigrateJob', 'DestroyMigrateJob', 'RecoverMigrateJob'];
  const PER_JOB = 18;
  const since = await lastSeq();
  const calls = [];
  for (const jobId of jobs) {
    for (let i = 0; i < PER_JOB; i++) calls.push(call(ACTIONS[i % 3], { JobId: jobId }).then((r) => ({ ...r, jobId })));
  }
  const results = await Promise.all(calls);
  for (const jobId of jobs) {
    const mine = results.filter((r) => r.jobId === jobId);
    const wins = [];
    for (const r of mine) {
      const resp = envelope(r);
      if (resp.Error) assert.ok(REFUSALS.has(resp.Error.Code) || /^ResourceNotFound/.test(resp.Error.Code), `${r.action}: ${JSON.stringify(resp.Error)}`);
      else wins.push(r.action);
    }
    // isolating lasts 1000 s: Isolate wins once, then nothing else can
    // (Recover and Destroy need TradeStatus isolated).
    assert.deepEqual(wins, ['IsolateMigrateJob'], `${jobId}: winners ${JSON.stringify(wins)}`);
    const d = await detail(jobId);
    assert.notEqual(d.TradeInfo.TradeStatus, 'normal', `${jobId}: trade status after a successful isolate`);
    assertChain(jobId, await journal(jobId), since);
  }
});

test('with short phases, a storm of lifecycle calls keeps every answer well-formed and the journal chained', async () => {
  // A second server whose timers fire during the storm: gaps in the chain are
  // then allowed only where a timer moves the job by itself.
  const fast = await startServer({
    auth: 'off', rateLimit: 0,
    args: ['--threads', '4', '--journal-max', '100000', '--phase', 'creating=0.02', '--phase', 'checking=0.02',
      '--phase', 'readyRun=0.02', '--phase', 'step=0.05', '--phase', 'catchUp=0.05', '--phase', 'pausing=0.03',
      '--phase', 'stopping=0.03', '--phase', 'resuming=0.03', '--phase', 'completing=0.03'],
  });
  const saved = server;
  server = fast;
  try {
    const jobs = await createJobs(4);
    await Promise.all(jobs.map(runningJob));
    const ACTIONS = ['PauseMigrateJob', 'ContinueMigrateJob', 'StopMigrateJob', 'ResumeMigrateJob', 'CompleteMigrateJob', 'DescribeMigrationDetail'];
    const since = await lastSeq();
    const deadline = Date.now() + 3000;
    let sent = 0;
    const workers = [];
    for (let w = 0; w < 16; w++) {
      workers.push((async () => {
        let i = w;
        while (Date.now() < deadline) {
          const jobId = jobs[i % jobs.length];
          const action = ACTIONS[(i * 5) % ACTIONS.length];
          const params = action === 'ResumeMigrateJob' ? { JobId: jobId, ResumeOption: 'normal' } : { JobId: jobId };
          const resp = envelope(await call(action, params));
          if (resp.Error) assert.ok(REFUSALS.has(resp.Error.Code), `${action}: ${JSON.stringify(resp.Error)}`);
          sent++;
          i += 3;
        }
      })());
    }
    await Promise.all(workers);
    assert.ok(sent > 100, `only ${sent} calls in 3 s`);
    // Timed moves: transient states leave by themselves; running moves on to readyComplete.
    const TIMED = new Set(['pausing->manualPaused', 'stopping->canceled', 'resuming->running', 'resuming->readyComplete',
      'running->readyComplete', 'completing->success', 'resuming->manualPaused', 'pausing->readyComplete']);
    const VALID = new Set(['running', 'readyComplete', 'pausing', 'manualPaused', 'resuming', 'stopping', 'canceled', 'completing', 'success']);
    for (const jobId of jobs) {
      const entries = assertChain(jobId, await journal(jobId), since, TIMED);
      for (const e of entries) assert.ok(VALID.has(e.statusAfter), `${jobId}: ${e.action} left ${e.statusAfter}`);
    }
  } finally {
    server = saved;
    await fast.stop();
  }
});
