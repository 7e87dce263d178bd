// Shared by bench/run.js and bench/profile.js: the benchmark's credentials,
// fixtures and calls, and the process and HTTP helpers.
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');
const net = require('net');
const { spawn } = require('child_process');
const tc3 = require('./tc3');

// ---- processes ----------------------------------------------------------------

const children = new Set();
function killAll() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* gone */ }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;  // ms

// Starts a server; resolves once `ready` matches its stdout (the match is returned).
function start(cmd, args, ready, timeoutMs = 600000) {
  const t0 = now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  const p = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(cmd)} did not start in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready && out.match(ready);
      if (m) { clearTimeout(timer); resolve(m); }
      if (out.length > 100000) out = out.slice(-1000);
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${path.basename(cmd)} exited (${code}): ${err}`)); });
    if (!ready) { clearTimeout(timer); resolve(null); }
  });
  return { child, t0, ready: p, stderr: () => err };
}

async function stop(proc) {
  const c = proc.child;
  if (c.exitCode !== null || c.signalCode !== null) { children.delete(c); return; }
  const gone = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 8000);
  await gone;
  clearTimeout(t);
  children.delete(c);
}

function rssMB(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : null;
  } catch { return null; }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

// One request on a fresh connection; resolves {status, body} or rejects on a transport error.
function send(port, req, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    r.setTimeout(timeoutMs, () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(req.body);
  });
}

// ---- requests -----------------------------------------------------------------

const SECRET_ID = 'AKIDdtsmockBench0000000000000000000';
const SECRET_KEY = 'dtsmockBenchSecretKey00000000000000';
const REGION = 'ap-guangzhou';

function jobId(i) { return 'dts-' + i.toString(36).padStart(8, '0'); }
const STATUSES = ['created', 'success', 'failed', 'canceled'];

// A call is an action with one or more bodies (several are sent in turn).
function calls(jobs) {
  const perStatus = Math.floor(jobs / STATUSES.length);
  return {
    detail: { label: 'DescribeMigrationDetail', action: 'DescribeMigrationDetail', bodies: [JSON.stringify({ JobId: jobId(7) })] },
    list: { label: 'DescribeMigrationJobs (Limit 20)', action: 'DescribeMigrationJobs', bodies: [JSON.stringify({ Limit: 20 })] },
    deep: {
      label: `DescribeMigrationJobs (Status success, Offset ${Math.max(0, perStatus - 20)}, Limit 20)`,
      action: 'DescribeMigrationJobs',
      bodies: [JSON.stringify({ Status: ['success'], Offset: Math.max(0, perStatus - 20), Limit: 20 })],
    },
    write: {
      label: 'ModifyMigrateName (alternating names)', action: 'ModifyMigrateName',
      bodies: [JSON.stringify({ JobId: jobId(7), JobName: 'bench-name-a' }), JSON.stringify({ JobId: jobId(7), JobName: 'bench-name-b' })],
    },
  };
}

// The call's requests, signed now for this port.
function signed(call, port) {
  const host = `127.0.0.1:${port}`;
  return call.bodies.map((body) => ({
    method: 'POST', path: '/', body,
    headers: tc3.signedHeaders({ action: call.action, body, host, secretId: SECRET_ID, secretKey: SECRET_KEY, region: REGION }),
  }));
}

// A dtsmock answer is good when it has a Response without an Error.
function apiOk(res) {
  if (res.status !== 200) return `HTTP ${res.status}`;
  try {
    const r = JSON.parse(res.body).Response;
    if (!r) return 'no Response';
    if (r.Error) return `${r.Error.Code}: ${r.Error.Message}`;
    return null;
  } catch (e) { return `not JSON: ${res.body.slice(0, 200)}`; }
}

// ---- fixtures -----------------------------------------------------------------

function fixtureDir(dataDir, jobs) {
  const dir = path.join(dataDir, `fixtures-${jobs}`);
  const file = path.join(dir, 'jobs.json');
  if (fs.existsSync(file)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const list = [];
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < jobs; ++i) {
    const t = new Date(base + i * 60000).toISOString().replace('T', ' ').slice(0, 19);
    list.push({
      JobId: jobId(i), JobName: `bench-job-${i}`, Status: STATUSES[i % STATUSES.length], CreateTime: t,
      SrcInfo: { Region: REGION, DatabaseType: 'mysql', AccessType: 'cdb', InstanceId: `cdb-src${(i % 1000).toString().padStart(5, '0')}` },
      DstInfo: { Region: REGION, DatabaseType: 'mysql', AccessType: 'cdb', InstanceId: `cdb-dst${(i % 1000).toString().padStart(5, '0')}` },
    });
  }
  fs.writeFileSync(file + '.tmp', JSON.stringify({ tenant: SECRET_ID, region: REGION, jobs: list }));
  fs.renameSync(file + '.tmp', file);
  return dir;
}

module.exports = {
  killAll, sleep, now, start, stop, rssMB, freePort, send,
  SECRET_ID, SECRET_KEY, REGION, jobId, STATUSES, calls, signed, apiOk, fixtureDir,
};
