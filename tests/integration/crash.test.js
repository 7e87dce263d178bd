'use strict';
// Crash consistency: several clients write to a server on a file database
// (create jobs in pairs, rename them, pause and continue them) while the
// server is killed with SIGKILL at random moments, 24 times, and restarted on
// the same file. After every kill:
//   - `PRAGMA integrity_check` of the file is "ok" (sqlite3 CLI);
//   - every mutation answered with a success envelope is there: each acked
//     job exists, its name is the last acked name (or the one in flight when
//     the server died), its status agrees with the last acked pause/continue
//     (or the one in flight);
//   - nothing is half-applied: every CreateMigrationService call (Count 2,
//     tagged with its own batch id) left both of its jobs or neither.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { startServer } = require('./harness');

const KILLS = 24;
const CLIENTS = 4;
const ARGS = ['--threads', '4', '--phase', 'creating=0.01', '--phase', 'checking=0.01', '--phase', 'readyRun=0.01',
  '--phase', 'step=100000', '--phase', 'catchUp=100000', '--phase', 'pausing=0.01', '--phase', 'resuming=0.01'];

function call(port, action, params, agent) {
  const body = JSON.stringify(params);
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/', agent,
      headers: {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        'X-TC-Action': action, 'X-TC-Version': '2021-12-06', 'X-TC-Region': 'ap-guangzhou',
        'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ resp: JSON.parse(text).Response, text });
        } catch {
          resolve({ broken: true, text });
        }
      });
      res.on('error', (e) => resolve({ neterr: e.code || e.message }));
    });
    req.on('error', (e) => resolve({ neterr: e.code || e.message }));
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

async function must(port, action, params) {
  const r = await call(port, action, params);
  assert.ok(r.resp && !r.resp.Error, `${action} ${JSON.stringify(params)}: ${r.text || r.neterr}`);
  return r.resp;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function integrityCheck(dbPath) {
  const out = execFileSync('sqlite3', [dbPath, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
  assert.equal(out, 'ok', `integrity_check of ${dbPath}: ${out}`);
}

// Everything the clients know: what was acknowledged, what was in flight.
const model = {
  batches: new Map(),  // batch tag -> {acked: bool, jobIds: [..] when acked}
  jobs: new Map(),     // jobId -> {name, inflightName, status: 'running'|'paused', inflightOp}
};

const PAUSED = new Set(['pausing', 'manualPaused']);
const RUNNING = new Set(['running', 'resuming', 'readyRun', 'created', 'creating', 'checkPass', 'checking']);

// One client: a loop of random writes until the server dies.
async function clientLoop(port, id, stopAt) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let n = 0;
  try {
    while (Date.now() < stopAt) {
      n++;
      const mine = [...model.jobs.entries()].filter(([, j]) => j.owner === id && !j.inflightName && !j.inflightOp);
      const roll = Math.random();
      if (mine.length < 2 || roll < 0.25) {
        const batch = `c${id}-b${model.batches.size}-${n}`;
        model.batches.set(batch, { acked: false });
        const r = await call(port, 'CreateMigrationService', {
          SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: 'ap-guangzhou', DstRegion: 'ap-guangzhou',
          InstanceClass: 'medium', Count: 2, Tags: [{ TagKey: 'batch', TagValue: batch }],
        }, agent);
        if (r.neterr || r.broken) return;
        assert.equal(r.resp.Error, undefined, `create: ${r.text}`);
        model.batches.set(batch, { acked: true, jobIds: r.resp.JobIds });
        for (const j of r.resp.JobIds) model.jobs.set(j, { owner: id, name: null, status: 'fresh' });
        continue;
      }
      const [jobId, job] = mine[Math.floor(Math.random() * mine.length)];
      if (roll < 0.65 || job.status === 'fresh') {
        const name = `c${id}-n${n}`;
        job.inflightName = name;
        const r = await call(port, 'ModifyMigrateName', { JobId: jobId, JobName: name }, agent);
        if (r.neterr || r.broken) return;
        assert.equal(r.resp.Error, undefined, `rename: ${r.text}`);
        job.name = name;
        delete job.inflightName;
      } else {
        const op = job.status === 'paused' ? 'ContinueMigrateJob' : 'PauseMigrateJob';
        job.inflightOp = op;
        const r = await call(port, op, { JobId: jobId }, agent);
        if (r.neterr || r.broken) return;
        if (r.resp.Error) {
          // Refused (the previous move has not finished): nothing changed.
          assert.match(r.resp.Error.Code, /OperationDenied|FailedOperation/, `${op}: ${r.text}`);
        } else {
          job.status = op === 'PauseMigrateJob' ? 'paused' : 'running';
        }
        delete job.inflightOp;
      }
    }
  } finally {
    agent.destroy();
  }
}

// Brings the acked fresh jobs to running so that pause/continue have something to do.
async function startFreshJobs(port) {
  const fresh = [...model.jobs.entries()].filter(([, j]) => j.status === 'fresh' && !j.inflightName);
  for (const [jobId, job] of fresh.slice(0, 6)) {
    const CONF = {
      JobId: jobId, RunMode: 'immediate', MigrateOption: { DatabaseTable: { ObjectMode: 'all' } },
      SrcInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 's', User: 'u', Password: 'p' }] },
      DstInfo: { Region: 'ap-guangzhou', AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'd', User: 'u', Password: 'p' }] },
    };
    await must(port, 'ModifyMigrationJob', CONF);
    await must(port, 'CreateMigrateCheckJob', { JobId: jobId });
    for (let i = 0; i < 100; i++) {
      const d = await must(port, 'DescribeMigrationDetail', { JobId: jobId });
      if (d.Status === 'checkPass') break;
      await sleep(10);
    }
    await must(port, 'StartMigrateJob', { JobId: jobId });
    job.status = 'running';
  }
}

async function listAll(port) {
  const jobs = [];
  for (let offset = 0; ; offset += 100) {
    const r = await must(port, 'DescribeMigrationJobs', { Limit: 100, Offset: offset });
    jobs.push(...r.JobList);
    if (r.JobList.length < 100) return { jobs, total: r.TotalCount };
  }
}

async function verify(port, round) {
  const { jobs, total } = await listAll(port);
  assert.equal(jobs.length, total, 'listing is complete');
  const byId = new Map(jobs.map((j) => [j.JobId, j]));
  // No half-applied purchase: each batch tag is on 0 or 2 jobs.
  const perBatch = new Map();
  for (const j of jobs) {
    const tag = (j.Tags || []).find((t) => t.TagKey === 'batch');
    assert.ok(tag, `job ${j.JobId} lost its batch tag`);
    perBatch.set(tag.TagValue, [...(perBatch.get(tag.TagValue) || []), j.JobId]);
  }
  for (const [batch, ids] of perBatch) {
    assert.equal(ids.length, 2, `round ${round}: batch ${batch} is half-applied: ${ids}`);
    const b = model.batches.get(batch);
    assert.ok(b, `round ${round}: jobs of a batch nobody sent: ${batch}`);
    if (!b.acked) {
      // Committed but the answer was lost in the crash: adopt it.
      model.batches.set(batch, { acked: true, jobIds: ids });
      for (const id of ids) model.jobs.set(id, { owner: -1, name: null, status: 'fresh' });
    }
  }
  for (const [batch, b] of model.batches) {
    if (b.acked) {
      for (const id of b.jobIds) assert.ok(byId.has(id), `round ${round}: acked job ${id} (batch ${batch}) is gone`);
    } else {
      assert.ok(!perBatch.has(batch), 'handled above');
      model.batches.delete(batch);  // never committed: forget it
    }
  }
  for (const [id, job] of model.jobs) {
    const j = byId.get(id);
    const names = new Set([job.name, job.inflightName].filter((x) => x !== undefined));
    // name null: never renamed, any default name will do (unless a rename was in flight).
    assert.ok(names.has(j.JobName) || (job.name === null && !job.inflightName) || (job.name === null && j.JobName !== job.inflightName && !/^c\d+-n\d+$/.test(j.JobName)), `round ${round}: ${id} is named ${JSON.stringify(j.JobName)}, acked ${JSON.stringify(job.name)}, in flight ${JSON.stringify(job.inflightName)}`);
    job.name = j.JobName;
    delete job.inflightName;
    if (job.status === 'paused' || job.status === 'running') {
      let ok = (job.status === 'paused' ? PAUSED : RUNNING).has(j.Status);
      if (!ok && job.inflightOp) ok = (job.inflightOp === 'PauseMigrateJob' ? PAUSED : RUNNING).has(j.Status);
      assert.ok(ok, `round ${round}: ${id} is ${j.Status}, acked ${job.status}, in flight ${job.inflightOp}`);
      job.status = PAUSED.has(j.Status) ? 'paused' : 'running';
    }
    delete job.inflightOp;
  }
}

test(`SIGKILL ${KILLS} times under a write load: acked writes survive, nothing half-applied, integrity ok`, async () => {
  let server = await startServer({ db: 'file', auth: 'off', rateLimit: 0, args: ARGS });
  const dbPath = server.dbPath;
  let writes = 0;
  let inflightAtKill = 0;
  try {
    for (let round = 1; round <= KILLS; round++) {
      await startFreshJobs(server.port);
      const before = model.jobs.size;
      const runFor = 150 + Math.floor(Math.random() * 350);
      const loops = [];
      for (let c = 0; c < CLIENTS; c++) loops.push(clientLoop(server.port, c, Date.now() + 60000));
      await sleep(runFor);
      server.kill(); // SIGKILL, mid-request
      await Promise.all(loops);
      writes += model.jobs.size - before;
      for (const j of model.jobs.values()) inflightAtKill += (j.inflightName || j.inflightOp) ? 1 : 0;
      inflightAtKill += [...model.batches.values()].filter((b) => !b.acked).length;
      integrityCheck(dbPath);
      server = await startServer({ db: dbPath, auth: 'off', rateLimit: 0, args: ARGS });
      await verify(server.port, round);
    }
    assert.ok(model.jobs.size > KILLS * 2, `the load created only ${model.jobs.size} jobs`);
    const renamed = [...model.jobs.values()].filter((j) => j.name && /^c\d+-n\d+$/.test(j.name)).length;
    const paused = [...model.jobs.values()].filter((j) => j.status === 'paused').length;
    assert.ok(renamed > 10, `only ${renamed} jobs were renamed`);
    assert.ok(paused > 0 || [...model.jobs.values()].some((j) => j.status === 'running'), 'pause/continue were exercised');
    assert.ok(inflightAtKill >= KILLS / 2, `only ${inflightAtKill} writes were in flight at the ${KILLS} kills`);
    console.log(`crash: ${KILLS} kills, ${model.jobs.size} jobs, ${renamed} renamed, ${paused} paused, ${inflightAtKill} writes in flight at a kill`);
  } finally {
    await server.stop();
  }
  integrityCheck(dbPath);
});
