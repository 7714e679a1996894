#!/usr/bin/env node
// A fake of the WeChat server API (api.weixin.qq.com) for tests and the offline demo: the
// real paths, parameters and JSON shapes, with deterministic answers so that separate
// processes agree without shared state. WeChat answers business errors with HTTP 200 and an
// errcode, and so does this fake.
//
// Conventions (what the fake Taro.login / getPhoneNumber of the demo and tests send):
//   login code  wx-<name>[.<nonce>]       → openid o-fake-<name>, unionid u-fake-<name>
//                                            (<name> sanitised to [A-Za-z0-9_-], max 40 chars;
//                                            add a .<nonce> to log the same user in again)
//               invalid                  → errcode 40029; any code used before → 40163
//               any other code ≤128 chars → openid derived from sha256(code)
//   phone code  phone-<11 digits>[.<nonce>] → that number (countryCode 86); else 40029;
//               single-use like login codes
//   touser      o-fake-nosub…            → errcode 43101 (the user has not subscribed)
// Control endpoints for cross-process tests: GET /__fake/messages, GET /__fake/requests,
// POST /__fake/reset, POST /__fake/expire-tokens, POST /__fake/fault {"mode": …},
// POST /__fake/subscribe-failures {"count": N, "mode": "busy"|"http-500"|"rejected", "touser"?: …}
//   (the next N subscribe sends, to that touser or to anyone, fail: errcode -1, HTTP 500, or
//   errcode 45009; a new rule for the same touser replaces the old one).
//
// CLI: node test/fakes/wechat-server.js [--port 4010] [--host 127.0.0.1] [--appid …] [--secret …]
'use strict';

const http = require('node:http');
const { createHash, randomBytes } = require('node:crypto');

const TOKEN_TTL_S = 7200;
/** stable_token hands out a new token once the current one has less than this left, like WeChat. */
const STABLE_TOKEN_ROTATE_S = 300;
const MAX_BODY_BYTES = 1024 * 1024;
const FAULT_MODES = ['none', 'stall', 'http-500', 'busy'];
const SUBSCRIBE_FAILURE_MODES = ['busy', 'http-500', 'rejected'];
const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'];
const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW'];
/** Value limits of subscribe-message keywords by type prefix (characters), as WeChat checks them. */
const KEYWORD_MAX_CHARS = { thing: 20, phrase: 5, character_string: 32, number: 32, letter: 32, symbol: 5, phone_number: 17, car_number: 8 };

function rid() {
  return `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

function fail(errcode, errmsg) {
  return { errcode, errmsg: `${errmsg} rid: ${rid()}` };
}

function sanitiseName(name) {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}

/** The identity a login code stands for, or null when WeChat would call it invalid. */
function identityOf(code) {
  const named = /^wx-([^.]+)(?:\.[^.]*)?$/.exec(code);
  if (named) {
    const name = sanitiseName(named[1]);
    return { openid: `o-fake-${name}`, unionid: `u-fake-${name}` };
  }
  if (code === 'invalid' || code.length > 128 || /\s/.test(code)) return null;
  const digest = createHash('sha256').update(code).digest('base64url');
  return { openid: `o${digest.slice(0, 27)}`, unionid: `u${digest.slice(27, 54)}` };
}

function phoneOf(code) {
  const m = /^phone-(\d{11})(?:\.[^.]*)?$/.exec(code);
  return m ? m[1] : null;
}

/** A msgid like WeChat's: an integer above 2^53, so JSON.parse would round it (see sendJson). */
function newMsgid() {
  return (2n ** 61n + BigInt(`0x${randomBytes(7).toString('hex')}`)).toString();
}

function startFakeWechat({ port = 0, host = '127.0.0.1', appId = 'wx-demo-appid', secret = 'wx-demo-secret' } = {}) {
  let usedCodes = new Set();
  let tokens = new Map(); // access_token → expiry (ms since epoch)
  let stableToken = null;
  let sent = [];
  let requests = [];
  let fault = 'none';
  /** touser ('' for anyone) → { mode, remaining }: subscribe sends still to fail. */
  let subscribeFailures = new Map();
  const stalled = new Set();

  function reset() {
    usedCodes = new Set();
    tokens = new Map();
    stableToken = null;
    sent = [];
    requests = [];
    fault = 'none';
    subscribeFailures = new Map();
  }

  function failSubscribes({ count, mode, touser = '' }) {
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
    if (!SUBSCRIBE_FAILURE_MODES.includes(mode)) throw new Error(`mode must be one of ${SUBSCRIBE_FAILURE_MODES.join(', ')}`);
    if (typeof touser !== 'string') throw new Error('touser must be a string');
    subscribeFailures.set(touser, { mode, remaining: count });
  }

  /** The failure mode this subscribe send is due for (consuming one), or null to answer normally. */
  function takeSubscribeFailure(touser) {
    for (const key of [touser, '']) {
      const rule = typeof key === 'string' ? subscribeFailures.get(key) : undefined;
      if (rule && rule.remaining > 0) {
        rule.remaining -= 1;
        return rule.mode;
      }
    }
    return null;
  }

  function expireTokens() {
    tokens = new Map();
    stableToken = null;
  }

  function issueToken() {
    const token = `fake-at-${randomBytes(24).toString('base64url')}`;
    tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
    return token;
  }

  /** Whole seconds left, rounded up: a token issued a moment ago still says 7200, as WeChat's does. */
  function secondsLeft(token) {
    return Math.ceil((tokens.get(token) - Date.now()) / 1000);
  }

  /** WeChat's answer to a bad appid/secret, or null when they are right. */
  function credentialsError(givenAppId, givenSecret) {
    if (givenAppId !== appId) return fail(40013, 'invalid appid');
    if (givenSecret !== secret) return fail(40125, 'invalid appsecret');
    return null;
  }

  /** WeChat's answer to a bad access_token, or null when it is live. */
  function tokenError(token) {
    if (!token) return fail(41001, 'access_token missing');
    const expiry = tokens.get(token);
    if (expiry === undefined) return fail(40001, 'invalid credential, access_token is invalid or not latest');
    if (expiry <= Date.now()) return fail(42001, 'access_token expired');
    return null;
  }

  function jscode2session(q) {
    if (q.get('grant_type') !== 'authorization_code') return fail(40002, 'invalid grant_type');
    const bad = credentialsError(q.get('appid'), q.get('secret'));
    if (bad) return bad;
    const code = q.get('js_code');
    if (!code) return fail(41008, 'missing code');
    const identity = identityOf(code);
    if (!identity) return fail(40029, 'invalid code');
    if (usedCodes.has(code)) return fail(40163, 'code been used');
    usedCodes.add(code);
    return { session_key: randomBytes(16).toString('base64'), openid: identity.openid, unionid: identity.unionid };
  }

  function token(q) {
    if (q.get('grant_type') !== 'client_credential') return fail(40002, 'invalid grant_type');
    const bad = credentialsError(q.get('appid'), q.get('secret'));
    if (bad) return bad;
    return { access_token: issueToken(), expires_in: TOKEN_TTL_S };
  }

  function stableTokenOf(body) {
    if (body.grant_type !== 'client_credential') return fail(40002, 'invalid grant_type');
    const bad = credentialsError(body.appid, body.secret);
    if (bad) return bad;
    if (body.force_refresh === true || !stableToken || !tokens.has(stableToken) || secondsLeft(stableToken) <= STABLE_TOKEN_ROTATE_S) {
      stableToken = issueToken();
    }
    return { access_token: stableToken, expires_in: secondsLeft(stableToken) };
  }

  function phoneNumber(q, body) {
    const bad = tokenError(q.get('access_token'));
    if (bad) return bad;
    const code = typeof body.code === 'string' ? body.code : '';
    const phone = phoneOf(code);
    if (!phone || usedCodes.has(code)) return fail(40029, 'invalid code');
    usedCodes.add(code);
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: appId },
      },
    };
  }

  function subscribeDataError(data) {
    if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.keys(data).length === 0) {
      return 'data is missing';
    }
    for (const [key, entry] of Object.entries(data)) {
      if (typeof entry !== 'object' || entry === null || typeof entry.value !== 'string') return `data.${key}.value is missing`;
      const type = key.replace(/\d+$/, '');
      const max = KEYWORD_MAX_CHARS[type];
      if (max !== undefined && [...entry.value].length > max) return `data.${key}.value exceeds limit`;
    }
    return null;
  }

  function subscribeSend(q, body) {
    const bad = tokenError(q.get('access_token'));
    if (bad) return bad;
    if (typeof body.touser !== 'string' || !body.touser) return fail(47003, 'argument invalid! touser is missing');
    if (typeof body.template_id !== 'string' || !body.template_id) return fail(47003, 'argument invalid! template_id is missing');
    const dataError = subscribeDataError(body.data);
    if (dataError) return fail(47003, `argument invalid! ${dataError}`);
    if (body.page !== undefined && typeof body.page !== 'string') return fail(47003, 'argument invalid! page is not a string');
    if (body.miniprogram_state !== undefined && !MINIPROGRAM_STATES.includes(body.miniprogram_state)) {
      return fail(47003, 'argument invalid! miniprogram_state');
    }
    if (body.lang !== undefined && !LANGS.includes(body.lang)) return fail(47003, 'argument invalid! lang');
    if (body.touser.startsWith('o-fake-nosub')) return fail(43101, 'user refuse to accept the msg');
    const msgid = newMsgid();
    sent.push({
      msgid,
      touser: body.touser,
      template_id: body.template_id,
      page: body.page,
      data: body.data,
      miniprogram_state: body.miniprogram_state,
      lang: body.lang,
      at: new Date().toISOString(),
    });
    return { errcode: 0, errmsg: 'ok', msgid };
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new Error('body too large'));
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  function sendJson(res, status, body) {
    let text = JSON.stringify(body);
    // A sent message's msgid goes out as a bare integer, as WeChat sends it, even above 2^53.
    if (!Array.isArray(body) && typeof body.msgid === 'string') text = text.replace(/"msgid":"(\d+)"/, '"msgid":$1');
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** POST routes take a JSON body; undefined means the body was not a JSON object. */
  async function jsonBody(req) {
    const text = await readBody(req);
    try {
      const body = text ? JSON.parse(text) : {};
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined;
    } catch {
      return undefined;
    }
  }

  async function route(req, res) {
    const url = new URL(req.url, 'http://fake');
    const endpoint = `${req.method} ${url.pathname}`;
    const q = url.searchParams;

    // Control endpoints answer even while a fault is injected.
    switch (endpoint) {
      case 'GET /__fake/messages':
        return sendJson(res, 200, sent);
      case 'GET /__fake/requests':
        return sendJson(res, 200, requests);
      case 'POST /__fake/reset':
        reset();
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/expire-tokens':
        expireTokens();
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/fault': {
        const body = await jsonBody(req);
        if (!body || !FAULT_MODES.includes(body.mode)) return sendJson(res, 400, { error: `mode must be one of ${FAULT_MODES.join(', ')}` });
        fault = body.mode;
        return sendJson(res, 200, { ok: true });
      }
      case 'POST /__fake/subscribe-failures': {
        const body = await jsonBody(req);
        try {
          failSubscribes(body ?? {});
        } catch (err) {
          return sendJson(res, 400, { error: err.message });
        }
        return sendJson(res, 200, { ok: true });
      }
    }

    requests.push({ method: req.method, path: url.pathname });
    if (fault === 'stall') {
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return undefined;
    }
    if (fault === 'http-500') return sendJson(res, 500, { errcode: -1, errmsg: 'internal error' });
    if (fault === 'busy') return sendJson(res, 200, fail(-1, 'system error'));

    switch (endpoint) {
      case 'GET /sns/jscode2session':
        return sendJson(res, 200, jscode2session(q));
      case 'GET /cgi-bin/token':
        return sendJson(res, 200, token(q));
      case 'POST /cgi-bin/stable_token':
      case 'POST /wxa/business/getuserphonenumber':
      case 'POST /cgi-bin/message/subscribe/send': {
        const body = await jsonBody(req);
        if (!body) return sendJson(res, 200, fail(47001, 'data format error'));
        if (endpoint === 'POST /cgi-bin/stable_token') return sendJson(res, 200, stableTokenOf(body));
        if (endpoint === 'POST /wxa/business/getuserphonenumber') return sendJson(res, 200, phoneNumber(q, body));
        const failure = takeSubscribeFailure(body.touser);
        if (failure === 'http-500') return sendJson(res, 500, { errcode: -1, errmsg: 'internal error' });
        if (failure === 'busy') return sendJson(res, 200, fail(-1, 'system error'));
        if (failure === 'rejected') return sendJson(res, 200, fail(45009, 'reach max api daily quota limit'));
        return sendJson(res, 200, subscribeSend(q, body));
      }
      default:
        return sendJson(res, 404, { errcode: 404, errmsg: `no such API: ${req.method} ${url.pathname}` });
    }
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 400, { errcode: 47001, errmsg: `data format error: ${err.message}` });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actualPort = server.address().port;
      resolve({
        url: `http://${host}:${actualPort}`,
        port: actualPort,
        /** Stops listening and drops open connections (keep-alive and stalled ones) at once. */
        close: () =>
          new Promise((done) => {
            for (const res of stalled) res.destroy();
            server.close(() => done());
            server.closeAllConnections();
          }),
        /** Subscribe messages accepted so far, oldest first. */
        messages: () => sent.slice(),
        /** Method and path (no query: it may hold the secret) of each WeChat API request so far. */
        requests: () => requests.slice(),
        reset,
        /** Makes every access token issued so far unknown, as if WeChat had rotated them. */
        expireTokens,
        /** 'stall' never answers, 'http-500' answers 500, 'busy' answers errcode -1; 'none' heals. */
        setFault: (mode) => {
          if (!FAULT_MODES.includes(mode)) throw new Error(`fault mode must be one of ${FAULT_MODES.join(', ')}`);
          fault = mode;
        },
      });
    });
  });
}

function parseArgs(argv) {
  const options = {};
  const names = { '--port': 'port', '--host': 'host', '--appid': 'appId', '--secret': 'secret' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = argv[i + 1];
    if (!key || value === undefined) {
      throw new Error(`usage: node wechat-server.js [--port N] [--host H] [--appid ID] [--secret S] (bad argument: ${argv[i]})`);
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
  startFakeWechat(options).then(
    (fake) => {
      console.log(`fake WeChat listening on ${fake.url}`);
      const stop = () => fake.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (err) => {
      console.error(`fake WeChat could not start: ${err.message}`);
      process.exit(1);
    },
  );
}

module.exports = { startFakeWechat };
