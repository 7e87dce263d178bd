#!/usr/bin/env node
// The benchmark driver behind bench/run (which installs wrk and WireMock and
// builds dtsmock and the floor first). It measures, one server at a time, on
// this machine, under the same wrk load:
//   dtsmock (Release, --auth verify, --rate-limit 0, default durable SQLite file)
//   WireMock standalone with stub mappings that answer the same JSON
//     (request journal on, as users run it, and off)
//   the floor: a bare Beast server answering the same bytes (bench/floor.cpp)
// and prints a Markdown report, writes bench/results/latest.json, and with
// --write-docs replaces the generated part of docs/performance.md.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');
const tc3 = require('./tc3');

const BENCH = __dirname;
const ROOT = path.dirname(BENCH);

// ---- options ------------------------------------------------------------------

const USAGE = `usage: bench/run [options]
  --quick              smoke run: short points, 16 connections only, 1k/10k jobs
  --duration S         seconds per measurement point (default 10; quick 1)
  --warmup S           WireMock JIT warm-up before its points (default 20; quick 2)
  --conns LIST         connection counts (default 1,16,64; quick 16)
  --sizes LIST         job counts for the scaling runs (default 1000,10000,100000; quick 1000,10000)
  --soak N             requests dtsmock has served before its RSS is read (default 1000000; quick 0)
  --soak-max S         give up the soak after S seconds and report the count reached (default 180)
  --startup-runs N     start-ups per case, the median is reported (default 5; quick 2)
  --threads N          I/O threads of dtsmock and the floor (default: number of cores)
  --wrk-threads N      wrk threads (default 1)
  --skip-wiremock      measure dtsmock and the floor only
  --json FILE          where to write the results (default bench/results/latest.json)
  --write-docs         replace the generated section of docs/performance.md
  --dtsmock PATH --floor PATH --wiremock-jar PATH --data-dir DIR   (set by bench/run)
`;

function parseArgs(argv) {
  const o = {
    quick: false, duration: null, warmup: null, conns: null, sizes: null, soak: null, soakMax: 180, startupRuns: null,
    threads: 0, wrkThreads: 1, skipWiremock: false, json: path.join(BENCH, 'results', 'latest.json'),
    writeDocs: false, dtsmock: null, floor: null, jar: null, dataDir: null, command: 'bench/run',
  };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: not a number: ${v}`);
    return n;
  };
  const list = (v, name) => v.split(',').map((x) => num(x, name));
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--quick': o.quick = true; break;
      case '--duration': o.duration = num(next(), a); break;
      case '--warmup': o.warmup = num(next(), a); break;
      case '--conns': o.conns = list(next(), a); break;
      case '--sizes': o.sizes = list(next(), a); break;
      case '--soak': o.soak = num(next(), a); break;
      case '--soak-max': o.soakMax = num(next(), a); break;
      case '--startup-runs': o.startupRuns = Math.max(1, num(next(), a)); break;
      case '--threads': o.threads = num(next(), a); break;
      case '--wrk-threads': o.wrkThreads = Math.max(1, num(next(), a)); break;
      case '--skip-wiremock': o.skipWiremock = true; break;
      case '--json': o.json = path.resolve(next()); break;
      case '--write-docs': o.writeDocs = true; break;
      case '--dtsmock': o.dtsmock = path.resolve(next()); break;
      case '--floor': o.floor = path.resolve(next()); break;
      case '--wiremock-jar': o.jar = path.resolve(next()); break;
      case '--data-dir': o.dataDir = path.resolve(next()); break;
      case '--command': o.command = next(); break;
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  const q = o.quick;
  o.duration ??= q ? 1 : 10;
  o.warmup ??= q ? 2 : 20;
  o.conns ??= q ? [16] : [1, 16, 64];
  o.sizes ??= q ? [1000, 10000] : [1000, 10000, 100000];
  o.soak ??= q ? 0 : 1000000;
  o.startupRuns ??= q ? 2 : 5;
  if (!o.sizes.includes(1000)) o.sizes.unshift(1000);  // the read and write paths run on 1k jobs
  o.sizes.sort((a, b) => a - b);
  o.dtsmock ??= path.join(ROOT, 'build-bench', 'dtsmock');
  o.floor ??= path.join(ROOT, 'build-bench', 'bench-tools', 'floor');
  o.dataDir ??= path.join(ROOT, 'build-bench', 'bench-data');
  if (!o.jar) {
    const dir = path.join(BENCH, 'node_modules', 'wiremock', 'build');
    const jar = fs.existsSync(dir) && fs.readdirSync(dir).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
    o.jar = jar ? path.join(dir, jar) : null;
  }
  return o;
}

const {
  killAll, sleep, now, start, stop, rssMB, freePort, send,
  SECRET_ID, SECRET_KEY, calls, signed, apiOk, fixtureDir,
} = require('./common');

// ---- wrk ----------------------------------------------------------------------

function luaString(s) {
  let eq = '=';
  while (s.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${s}]${eq}]`;
}

function writeRequests(file, reqs) {
  const items = reqs.map((r) => {
    const h = Object.entries(r.headers).map(([k, v]) => `[ ${luaString(k)} ] = ${luaString(v)}`).join(', ');
    return `  {method=${luaString(r.method)}, path=${luaString(r.path)}, headers={${h}}, body=${luaString(r.body)}}`;
  });
  fs.writeFileSync(file, `return {\n${items.join(',\n')}\n}\n`);
}

let wrkFile = null;
function wrk(port, reqs, conns, seconds, o) {
  wrkFile ??= path.join(o.dataDir, 'requests.lua');
  writeRequests(wrkFile, reqs);
  const threads = Math.min(o.wrkThreads, conns);
  const out = execFileSync('wrk', ['-t', String(threads), '-c', String(conns), '-d', `${seconds}s`, '--timeout', '10s',
    '-s', path.join(BENCH, 'replay.lua'), `http://127.0.0.1:${port}/`],
  { env: { ...process.env, WRK_REQUESTS: wrkFile }, encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const r = JSON.parse(line.slice(8));
  const e = r.errors;
  if (r.requests === 0) r.latency_us = { p50: NaN, p90: NaN, p99: NaN, p999: NaN, max: NaN, mean: NaN };  // none completed
  return {
    rps: r.requests / (r.duration_us / 1e6),
    requests: r.requests,
    p50_ms: r.latency_us.p50 / 1000,
    p90_ms: r.latency_us.p90 / 1000,
    p99_ms: r.latency_us.p99 / 1000,
    p999_ms: r.latency_us.p999 / 1000,
    max_ms: r.latency_us.max / 1000,
    mean_ms: r.latency_us.mean / 1000,
    errors: e.connect + e.read + e.write + e.status + e.timeout,
    error_detail: e,
  };
}

// ---- measurement --------------------------------------------------------------

const results = {
  schema: 1, started: new Date().toISOString(), machine: {}, options: {},
  points: [], startup: [], memory: [], scaling: [], targets: [], notes: [],
};
const log = (...a) => process.stderr.write(a.join(' ') + '\n');

// Measures one call on one server at each connection count.
async function measure(server, port, call, o, { check, pid, jobs }) {
  for (const conns of o.conns) {
    const reqs = signed(call, port);
    for (const r of reqs) {
      const bad = check(await send(port, r, 120000));
      if (bad) throw new Error(`${server} ${call.action} before the run: ${bad}`);
    }
    const m = wrk(port, reqs, conns, o.duration, o);
    const after = check(await send(port, reqs[0], 120000));  // still valid (signature window, state)
    if (after) throw new Error(`${server} ${call.action} after the run: ${after}`);
    const p = { server, call: call.label, action: call.action, key: call.key, jobs, conns, ...m, rss_mb: pid ? rssMB(pid) : null };
    results.points.push(p);
    log(`  ${server.padEnd(22)} ${call.label.slice(0, 40).padEnd(40)} c=${String(conns).padStart(2)} ` +
      `${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50_ms.toFixed(2)}  p99 ${m.p99_ms.toFixed(2)}  max ${m.max_ms.toFixed(1)} ms` +
      (m.errors ? `  ERRORS ${m.errors}` : ''));
    if (m.errors) results.notes.push(`${server} ${call.label} at ${conns} connections: ${m.errors} wrk errors ${JSON.stringify(m.error_detail)}`);
  }
}

function dtsmockArgs(o, db, fixtures) {
  const a = ['--host', '127.0.0.1', '--port', '0', '--db', db, '--auth', 'verify', '--secret-id', SECRET_ID, '--secret-key', SECRET_KEY,
    '--rate-limit', '0', '--log-level', 'off'];
  if (o.threads) a.push('--threads', String(o.threads));
  if (fixtures) a.push('--fixtures', fixtures);
  return a;
}

function freshDb(o, name) {
  if (name === ':memory:') return name;
  const db = path.join(o.dataDir, name);
  for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(db + s, { force: true });
  return db;
}

// Starts dtsmock and times exec → listening line → first successful API answer.
async function startDtsmock(o, dbName, fixtures) {
  const db = freshDb(o, dbName);
  const proc = start(o.dtsmock, dtsmockArgs(o, db, fixtures), /listening on http:\/\/[^:]+:(\d+)/);
  const m = await proc.ready;
  const listening = now();
  const port = Number(m[1]);
  const probe = signed({ action: 'DescribeMigrationJobs', bodies: [JSON.stringify({ Limit: 1 })] }, port)[0];
  for (;;) {
    const bad = apiOk(await send(port, probe));
    if (!bad) break;
    if (now() - proc.t0 > 60000) throw new Error(`dtsmock never answered: ${bad}`);
    await sleep(1);
  }
  const answered = now();
  return { proc, port, pid: proc.child.pid, listen_ms: listening - proc.t0, startup_ms: answered - proc.t0 };
}

async function startFloor(o, bodyFile) {
  const args = ['--port', '0', '--body', bodyFile];
  if (o.threads) args.push('--threads', String(o.threads));
  const proc = start(o.floor, args, /listening on http:\/\/[^:]+:(\d+)/);
  const m = await proc.ready;
  return { proc, port: Number(m[1]), pid: proc.child.pid };
}

async function startWiremock(o, rootDir, journal) {
  const port = await freePort();
  const args = ['-jar', o.jar, '--port', String(port), '--bind-address', '127.0.0.1', '--root-dir', rootDir, '--disable-banner'];
  if (!journal) args.push('--no-request-journal');
  const proc = start('java', args, null);
  await proc.ready;
  // Ready = the first stub answer, as a test suite would wait for it.
  const probe = { method: 'POST', path: '/', headers: { 'X-TC-Action': 'DescribeMigrationJobs', 'Content-Type': 'application/json' }, body: '{"Limit":1}' };
  for (;;) {
    try {
      const r = await send(port, probe, 2000);
      if (r.status === 200) break;
    } catch { /* not up yet */ }
    if (proc.child.exitCode !== null) throw new Error(`WireMock exited: ${proc.stderr()}`);
    if (now() - proc.t0 > 120000) throw new Error('WireMock never answered');
    await sleep(5);
  }
  return { proc, port, pid: proc.child.pid, startup_ms: now() - proc.t0 };
}

// Stub mappings that answer what dtsmock answered, matched on X-TC-Action.
function writeStubs(rootDir, answers) {
  const dir = path.join(rootDir, 'mappings');
  fs.rmSync(rootDir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(rootDir, '__files'), { recursive: true });
  for (const [action, body] of Object.entries(answers)) {
    fs.writeFileSync(path.join(dir, `${action}.json`), JSON.stringify({
      request: { method: 'POST', url: '/', headers: { 'X-TC-Action': { equalTo: action } } },
      response: { status: 200, headers: { 'Content-Type': 'application/json' }, body },
    }, null, 2));
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function machine() {
  const cpu = os.cpus();
  // stdout and stderr together (java -version writes to stderr), first line only.
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n')[0] || null;
  };
  const dfOut = spawnSync('df', ['--output=fstype', o_.dataDir], { encoding: 'utf8' }).stdout || '';
  return {
    cpu: cpu[0] ? cpu[0].model : 'unknown', cores: cpu.length, memory_gb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`, os: sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    wrk: (sh('wrk', ['-v']) || '').replace(/ Copyright.*$/, ''), java: sh('java', ['-version']), node: process.version,
    db_filesystem: dfOut.trim().split('\n').pop() || 'unknown', dtsmock: sh(o_.dtsmock, ['--version']),
    wiremock: o_.jar ? path.basename(o_.jar).replace(/\.jar$/, '') : null,
    load_average: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

let o_;
async function main() {
  const o = o_ = parseArgs(process.argv.slice(2));
  tc3.selfTest();
  fs.mkdirSync(o.dataDir, { recursive: true });
  for (const [what, p] of [['dtsmock', o.dtsmock], ['floor', o.floor]]) if (!fs.existsSync(p)) throw new Error(`no ${what} binary at ${p} (run bench/run, which builds it)`);
  if (!o.skipWiremock && !o.jar) throw new Error('no WireMock jar in bench/node_modules (run bench/run, which installs it)');
  results.machine = machine();
  results.options = { quick: o.quick, duration_s: o.duration, warmup_s: o.warmup, conns: o.conns, sizes: o.sizes, soak: o.soak,
    soak_max_s: o.soakMax, startup_runs: o.startupRuns, threads: o.threads || os.cpus().length, wrk_threads: o.wrkThreads, command: o.command };
  const t0 = now();
  log(`bench: ${o.duration} s per point, connections ${o.conns.join('/')}, jobs ${o.sizes.join('/')}, ` +
    `${o.threads || os.cpus().length} server threads, ${o.wrkThreads} wrk thread(s)`);

  // Start-up and idle memory, before anything is warm.
  log('start-up');
  fixtureDir(o.dataDir, 10000);
  for (const [label, jobs, memory] of [['empty, new database file', 0, false], ['empty, --db :memory:', 0, true], ['10k fixture jobs, new database file', 10000, false]]) {
    const times = [];
    const listens = [];
    const rss = [];
    for (let i = 0; i < o.startupRuns; ++i) {
      const s = await startDtsmock(o, memory ? ':memory:' : 'startup.db', jobs ? fixtureDir(o.dataDir, jobs) : null);
      times.push(s.startup_ms);
      listens.push(s.listen_ms);
      await sleep(300);
      rss.push(rssMB(s.pid));
      await stop(s.proc);
    }
    const r = { server: 'dtsmock', case: label, jobs, memory, startup_ms: median(times), listen_ms: median(listens), runs_ms: times, idle_rss_mb: median(rss) };
    results.startup.push(r);
    log(`  dtsmock ${label}: first answer after ${r.startup_ms.toFixed(1)} ms (listening after ${r.listen_ms.toFixed(1)} ms), idle RSS ${r.idle_rss_mb.toFixed(1)} MB`);
  }
  {
    // The floor's start-up is this driver's own spawn-and-probe overhead plus a trivial server.
    const times = [];
    fs.writeFileSync(path.join(o.dataDir, 'floor-probe.json'), '{}');
    for (let i = 0; i < o.startupRuns; ++i) {
      const t = now();
      const f = await startFloor(o, path.join(o.dataDir, 'floor-probe.json'));
      await send(f.port, { method: 'GET', path: '/', headers: {}, body: '' });
      times.push(now() - t);
      await stop(f.proc);
    }
    results.startup.push({ server: 'floor', case: 'empty', jobs: 0, startup_ms: median(times), runs_ms: times });
  }

  // dtsmock: every size; the read and write paths on 1k jobs.
  const answers = {};  // action → dtsmock's answer at 1k jobs, for the floor and WireMock
  for (const jobs of o.sizes) {
    log(`dtsmock with ${jobs} jobs`);
    const s = await startDtsmock(o, `bench-${jobs}.db`, fixtureDir(o.dataDir, jobs));
    const cs = calls(jobs);
    for (const [k, c] of Object.entries(cs)) c.key = k;
    const served0 = { n: 0 };
    const check = (res) => apiOk(res);
    const loaded = { server: 'dtsmock', jobs, startup_ms: s.startup_ms, rss_loaded_mb: rssMB(s.pid) };
    // A short warm-up (page cache, allocator): the same for every server.
    served0.n += wrk(s.port, signed(cs.list, s.port), 16, Math.min(2, o.duration), o).requests;
    const before = results.points.length;
    if (jobs === 1000) {
      for (const k of ['detail', 'list', 'write']) answers[cs[k].action] = (await send(s.port, signed(cs[k], s.port)[0])).body;
      await measure('dtsmock', s.port, cs.detail, o, { check, pid: s.pid, jobs });
      await measure('dtsmock', s.port, cs.list, o, { check, pid: s.pid, jobs });
      await measure('dtsmock', s.port, cs.deep, o, { check, pid: s.pid, jobs });
      await measure('dtsmock', s.port, cs.write, o, { check, pid: s.pid, jobs });
    } else {
      await measure('dtsmock', s.port, cs.deep, o, { check, pid: s.pid, jobs });
    }
    for (const p of results.points.slice(before)) served0.n += p.requests;
    const mem = { ...loaded, requests_served: served0.n, rss_after_mb: rssMB(s.pid) };
    if (jobs === 1000 && o.soak > served0.n) {
      // Serve reads (DescribeMigrationDetail and DescribeMigrationJobs in turn) until the process has
      // answered o.soak requests in all, or o.soakMax seconds have passed.
      const until = now() + o.soakMax * 1000;
      while (served0.n < o.soak && now() < until) {
        const mix = [...signed(cs.detail, s.port), ...signed(cs.list, s.port)];  // fresh signatures each round
        const left = Math.max(1, Math.min(60, (until - now()) / 1000));
        const m = wrk(s.port, mix, 16, Math.ceil(left), o);
        served0.n += m.requests;
        log(`  soak: ${served0.n} requests served, RSS ${rssMB(s.pid).toFixed(1)} MB`);
      }
      mem.requests_served = served0.n;
      mem.rss_after_mb = rssMB(s.pid);
    }
    results.memory.push(mem);
    await stop(s.proc);
  }

  // The floor: the same requests, answered with the bytes dtsmock answered.
  log('floor');
  const c1k = calls(1000);
  for (const k of ['detail', 'list', 'write']) {
    const call = { ...c1k[k], key: k };
    const bodyFile = path.join(o.dataDir, `floor-${k}.json`);
    fs.writeFileSync(bodyFile, answers[call.action]);
    const f = await startFloor(o, bodyFile);
    wrk(f.port, signed(call, f.port), 16, Math.min(2, o.duration), o);
    await measure('floor', f.port, call, o, { check: (r) => (r.status === 200 ? null : `HTTP ${r.status}`), pid: f.pid, jobs: 1000 });
    await stop(f.proc);
  }

  // WireMock, journal on then off.
  if (!o.skipWiremock) {
    const rootDir = path.join(o.dataDir, 'wiremock');
    writeStubs(rootDir, answers);
    for (const journal of [true, false]) {
      const name = journal ? 'WireMock' : 'WireMock (no journal)';
      log(name);
      const w = await startWiremock(o, rootDir, journal);
      results.startup.push({ server: name, case: 'stubs', jobs: 0, startup_ms: w.startup_ms, idle_rss_mb: rssMB(w.pid) });
      let currentAction = '';
      const check = (r) => (r.status === 200 && r.body === answers[currentAction] ? null : `HTTP ${r.status}: ${r.body.slice(0, 200)}`);
      const mix = [...signed(c1k.detail, w.port), ...signed(c1k.list, w.port), ...signed(c1k.write, w.port)];
      let served = wrk(w.port, mix, 16, o.warmup, o).requests;
      log(`  warm-up: ${o.warmup} s, ${served} requests`);
      const before = results.points.length;
      for (const k of ['detail', 'list', 'write']) {
        currentAction = c1k[k].action;
        await measure(name, w.port, { ...c1k[k], key: k }, o, { check, pid: w.pid, jobs: 1000 });
      }
      for (const p of results.points.slice(before)) served += p.requests;
      results.memory.push({ server: name, jobs: 1000, requests_served: served, rss_after_mb: rssMB(w.pid) });
      await stop(w.proc);
    }
  }

  results.elapsed_s = (now() - t0) / 1000;
  results.machine.load_average_end = os.loadavg().map((x) => Number(x.toFixed(2)));
  results.finished = new Date().toISOString();
  evaluate(o);
  const md = report(o);
  fs.mkdirSync(path.dirname(o.json), { recursive: true });
  fs.writeFileSync(o.json, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(md);
  log(`bench: done in ${results.elapsed_s.toFixed(0)} s; results in ${path.relative(ROOT, o.json)}`);
  if (o.writeDocs) writeDocs(md);
}

// ---- report -------------------------------------------------------------------

function point(server, key, conns, jobs = 1000) {
  return results.points.find((p) => p.server === server && p.key === key && p.conns === conns && p.jobs === jobs);
}

function evaluate(o) {
  const t = results.targets;
  const add = (what, goal, value, ok) => t.push({ target: what, goal, measured: value, pass: ok });
  const at = o.conns.includes(16) ? 16 : o.conns[o.conns.length - 1];
  for (const k of ['detail', 'list']) {
    const d = point('dtsmock', k, at);
    const w = point('WireMock', k, at);
    const f = point('floor', k, at);
    const name = calls(1000)[k].action;
    if (d && w) add(`${name}: req/s vs WireMock (journal on), ${at} conns`, '≥ 3×', `${(d.rps / w.rps).toFixed(2)}×`, d.rps >= 3 * w.rps);
    if (d && f) add(`${name}: req/s vs floor, ${at} conns`, '≥ 60%', `${((100 * d.rps) / f.rps).toFixed(0)}%`, d.rps >= 0.6 * f.rps);
    if (d && at === 16) add(`${name}: p99 at 16 conns`, '≤ 2 ms', `${d.p99_ms.toFixed(2)} ms`, d.p99_ms <= 2);
  }
  {
    const d = point('dtsmock', 'write', at);
    const w = point('WireMock', 'write', at);
    if (d && w) add(`ModifyMigrateName: req/s vs WireMock (journal on), ${at} conns`, '≥ 1.5×', `${(d.rps / w.rps).toFixed(2)}×`, d.rps >= 1.5 * w.rps);
  }
  const m = results.memory.find((x) => x.server === 'dtsmock' && x.jobs === 1000);
  if (m) {
    const enough = m.requests_served >= 1e6;
    add(`RSS after ${m.requests_served.toLocaleString('en-US')} requests`, '≤ 40 MB', `${m.rss_after_mb.toFixed(1)} MB`,
      enough ? m.rss_after_mb <= 40 : null);
  }
  const idle = results.startup.find((x) => x.server === 'dtsmock' && x.jobs === 0 && !x.memory);
  if (idle) add('idle RSS (empty store)', '≤ 20 MB', `${idle.idle_rss_mb.toFixed(1)} MB`, idle.idle_rss_mb <= 20);
  const big = Math.max(...o.sizes);
  const c = o.conns[0];
  const p1 = point('dtsmock', 'deep', c, 1000);
  const pb = point('dtsmock', 'deep', c, big);
  if (p1 && pb && big > 1000) {
    add(`DescribeMigrationJobs (filtered, deep Offset) p50 at ${big / 1000}k vs 1k jobs, ${c} conn`, big >= 100000 ? '≤ 2×' : '≤ 2× (at 100k)',
      `${(pb.p50_ms / p1.p50_ms).toFixed(2)}× (${p1.p50_ms.toFixed(2)} → ${pb.p50_ms.toFixed(2)} ms)`, big >= 100000 ? pb.p50_ms <= 2 * p1.p50_ms : null);
  }
  for (const s of results.startup.filter((x) => x.server === 'dtsmock')) {
    const goal = s.jobs === 0 ? 50 : 500;  // the goals are for the default (a database file)
    add(`start-up to first answer, ${s.case}`, `≤ ${goal} ms`, `${s.startup_ms.toFixed(1)} ms`, s.startup_ms <= goal);
  }
}

const f0 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(0));
const f1 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(1));
const f2 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(2));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

function report(o) {
  const L = [];
  const M = results.machine;
  L.push(`Machine: ${M.cpu}, ${M.cores} cores, ${M.memory_gb} GiB, ${M.os}, ${M.kernel}; databases on ${M.db_filesystem}.`);
  L.push(`Tools: ${M.dtsmock} (Release), ${M.wiremock || 'no WireMock'} on ${M.java}, ${M.wrk}.`);
  L.push(`Run: \`${o.command}\`, ${o.duration} s per point, WireMock warm-up ${o.warmup} s, ${results.options.threads} server threads, ` +
    `${o.wrkThreads} wrk thread(s) on the same machine; finished ${results.finished} after ${results.elapsed_s.toFixed(0)} s. ` +
    `Load average before the run (1/5/15 min): ${M.load_average.join(' ')}; well above 0 means other processes shared the cores.`);
  L.push('');
  L.push('### Read and write paths (1,000 jobs stored; dtsmock verifies every TC3 signature, rate limit off)');
  L.push('');
  L.push('| call | conns | server | req/s | p50 ms | p99 ms | max ms |');
  L.push('|---|---:|---|---:|---:|---:|---:|');
  const servers = ['dtsmock', 'WireMock', 'WireMock (no journal)', 'floor'];
  const c1k = calls(1000);
  for (const k of ['detail', 'list', 'write']) {
    for (const c of o.conns) {
      for (const s of servers) {
        const p = point(s, k, c);
        if (p) L.push(`| ${c1k[k].label} | ${c} | ${s} | ${f0(p.rps)} | ${f2(p.p50_ms)} | ${f2(p.p99_ms)} | ${f1(p.max_ms)} |`);
      }
    }
  }
  L.push('');
  L.push('### Ratios (dtsmock ÷ other; req/s higher is better, p99 lower is better)');
  L.push('');
  L.push('| call | conns | req/s ÷ WireMock | req/s ÷ WireMock (no journal) | req/s ÷ floor | p99 ÷ WireMock | p99 ÷ floor |');
  L.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const k of ['detail', 'list', 'write']) {
    for (const c of o.conns) {
      const d = point('dtsmock', k, c);
      if (!d) continue;
      const w = point('WireMock', k, c);
      const wn = point('WireMock (no journal)', k, c);
      const f = point('floor', k, c);
      L.push(`| ${c1k[k].action} | ${c} | ${ratio(d.rps, w && w.rps)} | ${ratio(d.rps, wn && wn.rps)} | ${ratio(d.rps, f && f.rps)} | ` +
        `${ratio(d.p99_ms, w && w.p99_ms)} | ${ratio(d.p99_ms, f && f.p99_ms)} |`);
    }
  }
  L.push('');
  L.push('### Scaling: DescribeMigrationJobs filtered by status, last page (a quarter of the jobs match)');
  L.push('');
  L.push('| jobs stored | conns | req/s | p50 ms | p99 ms | max ms | RSS MB |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|');
  for (const jobs of o.sizes) {
    for (const c of o.conns) {
      const p = point('dtsmock', 'deep', c, jobs);
      if (p) L.push(`| ${jobs.toLocaleString('en-US')} | ${c} | ${f0(p.rps)} | ${f2(p.p50_ms)} | ${f2(p.p99_ms)} | ${f1(p.max_ms)} | ${f1(p.rss_mb)} |`);
    }
  }
  L.push('');
  L.push('### Start-up (exec to the first successful API answer) and memory');
  L.push('');
  L.push(`| server | case | start-up ms | idle RSS MB |`);
  L.push('|---|---|---:|---:|');
  for (const s of results.startup) L.push(`| ${s.server} | ${s.case} | ${f1(s.startup_ms)} | ${f1(s.idle_rss_mb)} |`);
  L.push('');
  L.push('| server | jobs | requests served | RSS after MB |');
  L.push('|---|---:|---:|---:|');
  for (const m of results.memory) L.push(`| ${m.server} | ${m.jobs.toLocaleString('en-US')} | ${m.requests_served.toLocaleString('en-US')} | ${f1(m.rss_after_mb)} |`);
  L.push('');
  L.push('### Targets');
  L.push('');
  L.push('| target | goal | measured | |');
  L.push('|---|---|---|---|');
  for (const t of results.targets) L.push(`| ${t.target} | ${t.goal} | ${t.measured} | ${t.pass == null ? 'n/a (not measured at full size)' : t.pass ? 'met' : '**missed**'} |`);
  if (results.notes.length) {
    L.push('');
    for (const n of results.notes) L.push(`- ${n}`);
  }
  return L.join('\n') + '\n';
}

function writeDocs(md) {
  const file = path.join(ROOT, 'docs', 'performance.md');
  const begin = '<!-- bench:begin (written by bench/run --write-docs) -->';
  const end = '<!-- bench:end -->';
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Performance\n\n${begin}\n${end}\n`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) text += `\n${begin}\n${end}\n`;
  const i = text.indexOf(begin) + begin.length;
  const j = text.indexOf(end);
  text = `${text.slice(0, i)}\n\n${md}\n${text.slice(j)}`;
  fs.writeFileSync(file, text);
  log(`bench: updated ${path.relative(ROOT, file)}`);
}

main().catch((e) => {
  log(`bench: ${e.stack || e}`);
  killAll();
  process.exit(1);
});
