'use strict';
// An example client for dtsmock: drives one MySQL-to-MySQL migration job through
// its whole life with the official Tencent Cloud Node SDK, the way an
// application under test would, and uses dtsmock's control API to make the job
// fail so that it can show ResumeMigrateJob bringing it back.
//
//   create -> configure -> pre-check -> start -> readyComplete
//          -> (control API) fail -> error -> ResumeMigrateJob -> running/readyComplete
//
// Exits 0 when every step behaved, 1 (with the reason) otherwise.
//
// Environment:
//   DTSMOCK_ENDPOINT   host:port of dtsmock (default dtsmock:8080, the compose service)
//   DTSMOCK_REGION     region of the job (default ap-guangzhou)
//   TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY   any values unless dtsmock runs with --auth verify
//   WAIT_SECONDS       how long each wait may take (default 90)

const http = require('node:http');
const tencentcloud = require('tencentcloud-sdk-nodejs');

const ENDPOINT = process.env.DTSMOCK_ENDPOINT || 'dtsmock:8080';
const REGION = process.env.DTSMOCK_REGION || 'ap-guangzhou';
const WAIT_MS = Number(process.env.WAIT_SECONDS || 90) * 1000;
const POLL_MS = 250;
const started = Date.now();

const client = new tencentcloud.dts.v20211206.Client({
  credential: {
    secretId: process.env.TENCENTCLOUD_SECRET_ID || 'AKIDdtsmockexample',
    secretKey: process.env.TENCENTCLOUD_SECRET_KEY || 'dtsmock-example-key',
  },
  region: REGION,
  profile: { httpProfile: { endpoint: ENDPOINT, protocol: 'http://', reqTimeout: 10 } },
});

function log(msg) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One call to dtsmock's control API (plain JSON, no Tencent envelope).
function control(method, path, body) {
  const [host, port] = ENDPOINT.split(':');
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host, port: Number(port || 80), method, path, timeout: 5000,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch { /* leave null */ }
          resolve({ status: res.statusCode, json, text });
        });
      });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

// podman-compose starts services in order but does not wait for a health
// check, so the client waits for dtsmock to answer by itself.
async function waitForDtsmock() {
  const deadline = Date.now() + WAIT_MS;
  let last = '';
  for (;;) {
    try {
      const r = await control('GET', '/_dtsmock/health');
      if (r.status === 200 && r.json && r.json.status === 'ok') return r.json;
      last = `HTTP ${r.status} ${r.text}`;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`dtsmock at ${ENDPOINT} did not answer within ${WAIT_MS / 1000}s (${last})`);
    await sleep(POLL_MS);
  }
}

// Polls DescribeMigrationDetail until the job's Status is one of `wanted`.
async function waitForStatus(jobId, wanted) {
  const deadline = Date.now() + WAIT_MS;
  let seen = [];
  for (;;) {
    const d = await client.DescribeMigrationDetail({ JobId: jobId });
    if (seen[seen.length - 1] !== d.Status) seen.push(d.Status);
    if (wanted.includes(d.Status)) {
      log(`${jobId}: ${seen.join(' -> ')}`);
      return d;
    }
    if (Date.now() > deadline) throw new Error(`${jobId} did not reach ${wanted.join('|')} (seen: ${seen.join(' -> ')})`);
    await sleep(POLL_MS);
  }
}

async function main() {
  const health = await waitForDtsmock();
  log(`dtsmock ${health.version} answers at ${ENDPOINT}`);

  const { JobIds } = await client.CreateMigrationService({
    SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql',
    SrcRegion: REGION, DstRegion: REGION, InstanceClass: 'small', Count: 1,
  });
  const jobId = JobIds[0];
  log(`CreateMigrationService -> ${jobId}`);
  await waitForStatus(jobId, ['created']);

  await client.ModifyMigrationJob({
    JobId: jobId,
    RunMode: 'immediate',
    MigrateOption: { DatabaseTable: { ObjectMode: 'all' }, MigrateType: 'fullAndIncrement' },
    SrcInfo: { Region: REGION, AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple',
               Info: [{ InstanceId: 'cdb-source', User: 'dts', Password: 'example' }] },
    DstInfo: { Region: REGION, AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple',
               Info: [{ InstanceId: 'cdb-target', User: 'dts', Password: 'example' }] },
  });
  log('ModifyMigrationJob: configured');

  await client.CreateMigrateCheckJob({ JobId: jobId });
  const checked = await waitForStatus(jobId, ['checkPass', 'checkNotPass']);
  if (checked.Status !== 'checkPass') throw new Error(`the pre-check did not pass: ${checked.Status}`);
  const check = await client.DescribeMigrationCheckJob({ JobId: jobId });
  log(`DescribeMigrationCheckJob: ${check.Status}/${check.CheckFlag}`);

  await client.StartMigrateJob({ JobId: jobId });
  await waitForStatus(jobId, ['readyComplete']);

  // Make the job fail now, as a broken source database would.
  const fail = await control('POST', `/_dtsmock/jobs/${encodeURIComponent(jobId)}/fail`,
                             { status: 'error', message: 'injected by the example client' });
  if (fail.status !== 200) throw new Error(`POST /_dtsmock/jobs/${jobId}/fail answered ${fail.status}: ${fail.text}`);
  log('control API: failure injected');
  const failed = await waitForStatus(jobId, ['error']);
  if (failed.ErrorInfo && failed.ErrorInfo.length) log(`ErrorInfo: ${JSON.stringify(failed.ErrorInfo[0])}`);

  await client.ResumeMigrateJob({ JobId: jobId, ResumeOption: 'normal' });
  log('ResumeMigrateJob: accepted');
  await waitForStatus(jobId, ['running', 'readyComplete']);

  log('example client: all steps passed');
}

main().then(
  () => process.exit(0),
  (e) => {
    const detail = e.code ? `${e.code}: ${e.message} (RequestId ${e.requestId})` : (e.stack || String(e));
    console.error(`example client FAILED: ${detail}`);
    process.exit(1);
  });
