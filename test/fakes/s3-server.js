#!/usr/bin/env node
// A fake of an S3-compatible object store for tests and the offline demo: path-style
// PUT/GET/DELETE object (GET with a single byte Range), objects kept in memory.
//
// Every request must carry a SigV4 `Authorization: AWS4-HMAC-SHA256 …` header. The fake checks
// it as S3 does: the access key must be the configured one, the signature must match the
// canonical request (recomputed with the configured secret), and a signed payload hash in
// x-amz-content-sha256 must match the body. Failures answer S3's XML errors:
// AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch, XAmzContentSHA256Mismatch,
// NoSuchBucket, NoSuchKey, InvalidRange.
//
// CLI: node test/fakes/s3-server.js [--port 4020] [--host 127.0.0.1] [--bucket qihu]
//      [--access-key-id fake-access-key] [--secret-access-key fake-secret-key] [--region us-east-1]
'use strict';

const http = require('node:http');
const { createHash, createHmac, timingSafeEqual } = require('node:crypto');

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(rawQuery) {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      const k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const v = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, '%20'));
      return [uriEncode(k), uriEncode(v)];
    })
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseAuthorization(header) {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header || '');
  if (!m) return null;
  const [accessKeyId, date, region, service, terminator] = m[1].split('/');
  if (terminator !== 'aws4_request') return null;
  return { accessKeyId, date, region, service, signedHeaders: m[2].split(';'), signature: m[3] };
}

/** The SigV4 signature of a received request, as the signer must have computed it. */
function expectedSignature(req, rawPath, rawQuery, auth, secretAccessKey) {
  const amzDate = req.headers['x-amz-date'];
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    req.method,
    rawPath,
    canonicalQuery(rawQuery),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    req.headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

function xmlError(res, status, code, message, resource) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range, inclusive; null when unsatisfiable. */
function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start;
  let end;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}

function startFakeS3({
  port = 0,
  host = '127.0.0.1',
  bucket = 'qihu',
  accessKeyId = 'fake-access-key',
  secretAccessKey = 'fake-secret-key',
  region = 'us-east-1',
} = {}) {
  const buckets = new Map([[bucket, new Map()]]);
  let requests = [];

  function authorise(req, rawPath, rawQuery, body) {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth || !req.headers['x-amz-date'] || !req.headers['x-amz-content-sha256']) {
      return ['AccessDenied', 'Missing or malformed SigV4 Authorization header'];
    }
    if (auth.accessKeyId !== accessKeyId) return ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'];
    if (auth.service !== 's3' || auth.region !== region || !auth.signedHeaders.includes('host')) {
      return ['AccessDenied', 'Credential scope or signed headers are not acceptable'];
    }
    const payloadHash = req.headers['x-amz-content-sha256'];
    if (payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== sha256Hex(body)) {
      return ['XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.'];
    }
    const expected = Buffer.from(expectedSignature(req, rawPath, rawQuery, auth, secretAccessKey));
    const given = Buffer.from(auth.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return ['SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
    }
    return null;
  }

  function handle(req, res, body) {
    const [rawPath, rawQuery = ''] = req.url.split('?');
    const refused = authorise(req, rawPath, rawQuery, body);
    requests.push({ method: req.method, path: rawPath, authorization: req.headers.authorization || null, accepted: !refused });
    if (refused) {
      const status = refused[0] === 'XAmzContentSHA256Mismatch' ? 400 : 403;
      return xmlError(res, status, refused[0], refused[1], rawPath);
    }
    const [, bucketName, ...keyParts] = rawPath.split('/').map((p) => decodeURIComponent(p));
    const objects = buckets.get(bucketName);
    if (!objects) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', rawPath);
    const key = keyParts.join('/');
    if (!key) return xmlError(res, 400, 'InvalidRequest', 'This fake serves objects only', rawPath);

    if (req.method === 'PUT') {
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      objects.set(key, { body, contentType: req.headers['content-type'] || 'binary/octet-stream', etag });
      res.writeHead(200, { ETag: etag, 'Content-Length': 0 });
      return res.end();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', rawPath);
      const size = object.body.length;
      const headers = { 'Content-Type': object.contentType, ETag: object.etag, 'Accept-Ranges': 'bytes' };
      if (req.headers.range) {
        const range = parseRange(req.headers.range, size);
        if (!range) return xmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable', rawPath);
        const part = object.body.subarray(range.start, range.end + 1);
        res.writeHead(206, { ...headers, 'Content-Length': part.length, 'Content-Range': `bytes ${range.start}-${range.end}/${size}` });
        return res.end(req.method === 'HEAD' ? undefined : part);
      }
      res.writeHead(200, { ...headers, 'Content-Length': size });
      return res.end(req.method === 'HEAD' ? undefined : object.body);
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', rawPath);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        xmlError(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', req.url);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!res.headersSent) handle(req, res, Buffer.concat(chunks));
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        bucket,
        accessKeyId,
        secretAccessKey,
        region,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
        object: (key, inBucket = bucket) => {
          const o = buckets.get(inBucket)?.get(key);
          return o ? { body: o.body, contentType: o.contentType } : undefined;
        },
        keys: (inBucket = bucket) => [...(buckets.get(inBucket)?.keys() ?? [])].sort(),
        requests: () => requests.slice(),
        reset: () => {
          for (const objects of buckets.values()) objects.clear();
          requests = [];
        },
      });
    });
  });
}

function parseArgs(argv) {
  const options = {};
  const names = {
    '--port': 'port',
    '--host': 'host',
    '--bucket': 'bucket',
    '--access-key-id': 'accessKeyId',
    '--secret-access-key': 'secretAccessKey',
    '--region': 'region',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = argv[i + 1];
    if (!key || value === undefined) {
      throw new Error(
        `usage: node s3-server.js [--port N] [--host H] [--bucket B] [--access-key-id K] [--secret-access-key S] [--region R] (bad argument: ${argv[i]})`,
      );
    }
    options[key] = key === 'port' ? Number(value) : value;
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535)) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  return options;
}

if (require.main === module) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  startFakeS3(options).then(
    (fake) => {
      console.log(`fake S3 listening on ${fake.url} (bucket ${fake.bucket})`);
      const stop = () => fake.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err) => {
      console.error(`fake S3 could not start: ${err.message}`);
      process.exit(1);
    },
  );
}

module.exports = { startFakeS3 };
