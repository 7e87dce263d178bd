// TC3-HMAC-SHA256 signing (protocol.md §3), as the Go SDK does it: signs
// content-type;host with the Host header as sent and service "dts".
// A signature depends only on the timestamp, the body, the host and the key, so
// a request signed once stays valid (and is verified again on every request)
// for the server's 5-minute skew window: the benchmark signs each request once
// per measurement point and lets wrk replay it.
'use strict';
const crypto = require('crypto');

const sha256hex = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key, s) => crypto.createHmac('sha256', key).update(s, 'utf8').digest();

function utcDate(unixSeconds) {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

function authorization({ secretId, secretKey, host, contentType, body, timestamp, service = 'dts' }) {
  const canonicalHeaders = `content-type:${contentType}\nhost:${host}\n`;
  const signedHeaders = 'content-type;host';
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256hex(body)}`;
  const date = utcDate(timestamp);
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256hex(canonicalRequest)}`;
  const kSign = hmac(hmac(hmac('TC3' + secretKey, date), service), 'tc3_request');
  const signature = crypto.createHmac('sha256', kSign).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

// The headers of a signed TC3 POST, in the order an SDK sends them.
function signedHeaders({ action, body, host, secretId, secretKey, region = 'ap-guangzhou', timestamp = Math.floor(Date.now() / 1000) }) {
  const contentType = 'application/json';
  return {
    Host: host,
    'Content-Type': contentType,
    'X-TC-Action': action,
    'X-TC-Version': '2021-12-06',
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': region,
    Authorization: authorization({ secretId, secretKey, host, contentType, body, timestamp }),
  };
}

// protocol.md §3.2 vector B: refuses to benchmark with a signer that is wrong.
function selfTest() {
  const got = authorization({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    host: 'dts.tencentcloudapi.com',
    contentType: 'application/json',
    body: '{"JobId":"dts-1kl0iy0v","ResumeOption":"normal"}',
    timestamp: 1700000000,
  });
  const want = 'Signature=2d1a14a64cb70cc24d9a7224f47cffeeb14f3fe62ca30343e1ace99ba9824639';
  if (!got.endsWith(want)) throw new Error(`TC3 signer self-test failed: ${got}`);
}

module.exports = { authorization, signedHeaders, selfTest };
