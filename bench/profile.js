#!/usr/bin/env node
// Where dtsmock spends its instructions, per call: runs dtsmock under
// valgrind's callgrind (counting only inside the HTTP session's request
// handler), sends the benchmark's calls one after another on one keep-alive
// connection, dumps the counters after each call, and prints instructions per
// request with the functions that dominate. Instruction counts do not depend on
// what else runs on the machine, so this is the tool to compare two builds.
//
//   node bench/profile.js [--dtsmock PATH] [--jobs N] [--requests N] [--calls detail,list,deep,write] [--keep DIR]
//
// bench/run builds the Release binary this uses (build-bench/dtsmock); needs valgrind.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawnSync } = require('child_process');
const { start, stop, calls, signed, apiOk, fixtureDir, SECRET_ID, SECRET_KEY } = require('./common');

const ROOT = path.dirname(__dirname);

function parseArgs(argv) {
  const o = { dtsmock: path.join(ROOT, 'build-bench', 'dtsmock'), jobs: 1000, requests: 100, calls: ['detail', 'list', 'deep', 'write'], keep: null, top: 14 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--dtsmock') o.dtsmock = path.resolve(v());
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--requests') o.requests = Number(v());
    else if (a === '--calls') o.calls = v().split(',');
    else if (a === '--keep') o.keep = path.resolve(v());
    else if (a === '--top') o.top = Number(v());
    else { process.stderr.write(`unknown option ${a}\n`); process.exit(2); }
  }
  return o;
}

// Sends `n` copies of the call's requests in turn on one keep-alive connection.
async function sendMany(port, reqs, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < n; ++i) {
    const r = reqs[i % reqs.length];
    const res = await new Promise((resolve, reject) => {
      const q = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent }, (s) => {
        let body = '';
        s.on('data', (d) => { body += d; });
        s.on('end', () => resolve({ status: s.statusCode, body }));
      });
      q.on('error', reject);
      q.end(r.body);
    });
    const bad = apiOk(res);
    if (bad) throw new Error(bad);
  }
  agent.destroy();
}

// Top inclusive functions of one callgrind dump, without the event loop's frames.
function annotate(file, top) {
  const out = spawnSync('callgrind_annotate', ['--inclusive=yes', file], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout || '';
  const total = Number((out.match(/^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/m) || [0, '0'])[1].replace(/,/g, ''));
  const rows = [];
  for (const line of out.split('\n')) {
    const m = line.match(/^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$/);
    if (!m || m[3].includes('PROGRAM TOTALS')) continue;
    let fn = m[3].replace(/^[^:]*:/, '').replace(/ \[[^\]]*\]$/, '');
    if (/boost::|^main$|below main|libc_start|Session::on_read|App::handle\(|^0x|std::_Function_handler|_dl_/.test(fn)) continue;
    fn = fn.replace(/\(anonymous namespace\)/g, '{anon}').replace(/\[abi:cxx11\]/g, '');
    const paren = fn.indexOf('(');
    if (paren > 0) fn = fn.slice(0, paren) + '()';
    fn = fn.replace(/rapidjson::GenericValue<.*/, 'rapidjson::GenericValue<...>::Accept (JSON writing)');
    rows.push({ pct: Number(m[2]), fn: fn.length > 110 ? fn.slice(0, 107) + '...' : fn });
    if (rows.length >= top) break;
  }
  return { total, rows };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dir = o.keep || fs.mkdtempSync(path.join(os.tmpdir(), 'dtsmock-profile-'));
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'profile.db');
  for (const s of ['', '-wal', '-shm']) fs.rmSync(db + s, { force: true });
  const fixtures = fixtureDir(path.join(ROOT, 'build-bench', 'bench-data'), o.jobs);
  const out = path.join(dir, 'callgrind.out');
  const proc = start('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, '--toggle-collect=*Session::on_read*',
    o.dtsmock, '--host', '127.0.0.1', '--port', '0', '--db', db, '--auth', 'verify', '--secret-id', SECRET_ID, '--secret-key', SECRET_KEY,
    '--rate-limit', '0', '--log-level', 'off', '--threads', '1', '--fixtures', fixtures], /listening on http:\/\/[^:]+:(\d+)/);
  const port = Number((await proc.ready)[1]);
  const cs = calls(o.jobs);
  const report = [];
  // A few requests of each call first, so that one-time work (lazy statics, OpenSSL's first fetches,
  // prepared statements) does not count; their counters go to a dump of their own.
  for (const k of o.calls) await sendMany(port, signed(cs[k], port), 5);
  spawnSync('callgrind_control', ['--dump=warmup', String(proc.child.pid)]);
  for (const k of o.calls) {
    const reqs = signed(cs[k], port);
    await sendMany(port, reqs, o.requests);
    const before = new Set(fs.readdirSync(dir));
    spawnSync('callgrind_control', [`--dump=${k}`, String(proc.child.pid)]);
    const dump = fs.readdirSync(dir).find((f) => f.startsWith('callgrind.out') && !before.has(f));
    if (!dump) throw new Error('callgrind_control made no dump');
    const a = annotate(path.join(dir, dump), o.top);
    report.push({ key: k, label: cs[k].label, perRequest: a.total / o.requests, rows: a.rows, file: path.join(dir, dump) });
    process.stderr.write(`${k}: ${(a.total / o.requests / 1e6).toFixed(2)} M instructions per request\n`);
  }
  await stop(proc);
  const L = [`dtsmock ${o.dtsmock}, ${o.jobs} jobs, ${o.requests} requests per call (callgrind, instructions inside the request handler)`, ''];
  for (const r of report) {
    L.push(`## ${r.label}: ${(r.perRequest / 1e6).toFixed(2)} M instructions per request`, '');
    L.push('| inclusive | function |', '|---:|---|');
    for (const row of r.rows) L.push(`| ${row.pct.toFixed(1)}% | \`${row.fn}\` |`);
    L.push('', `(callgrind_annotate ${r.file})`, '');
  }
  process.stdout.write(L.join('\n'));
}

main().catch((e) => {
  process.stderr.write(`profile: ${e.stack || e}\n`);
  process.exit(1);
});
