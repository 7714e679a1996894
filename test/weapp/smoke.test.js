/**
 * Loads the built weapp bundle the way WeChat's logic layer does (one shared global scope, CommonJS
 * `require` between files, App()/Page() registration, wx.* APIs), mounts the home page, taps
 * 「一键呼叫」 through Taro's `eh` event handler and checks the request it sends and the data it
 * renders. The fake `wx` implements only what the bundle calls.
 * Assumes `npm run build-weapp -w @qihu/miniprogram` has run (the Nx target builds it first).
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const DIST = path.resolve(__dirname, '../../apps/miniprogram/dist/weapp');
const HOME = 'pages/index/index';

if (!fs.existsSync(path.join(DIST, `${HOME}.js`))) {
  throw new Error(
    `No weapp build at ${DIST}. Run \`npx nx run miniprogram:build-weapp\` ` +
      '(or `npm run build-weapp -w @qihu/miniprogram`) first.',
  );
}

const DEFAULTS = { firmId: 11, firmName: '恒达精密机械有限公司', categoryId: 3, categoryName: '水电报修' };
const TICKET = {
  id: 7,
  number: 'QH20261123-0001',
  firmId: 11,
  categoryId: 3,
  description: '',
  status: 'submitted',
  statusLabel: '待受理',
  level: 0,
  levelLabel: '网格员',
  nextDeadlineAt: '2026-11-23T02:15:00.000Z',
  createdAt: '2026-11-23T02:00:00.000Z',
  acknowledgedAt: null,
  events: [],
};

/** Applies a setData payload (`root.cn.[0].cn[1].v` style paths) to `target`, as WeChat does. */
function applySetData(target, payload) {
  for (const [key, value] of Object.entries(payload)) {
    const parts = key.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
    let node = target;
    for (const [index, part] of parts.slice(0, -1).entries()) {
      if (node[part] == null) node[part] = typeof parts[index + 1] === 'number' ? [] : {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = JSON.parse(JSON.stringify(value));
  }
}

/** Depth-first search of Taro's render tree (`cn` children, `v` text) for a text node. */
function findTextParent(node, text, parent = null) {
  if (node && node.v === text) return parent;
  for (const child of (node && node.cn) || []) {
    const found = findTextParent(child, text, node);
    if (found) return found;
  }
  return null;
}

function texts(node) {
  return node ? [...(node.v !== undefined ? [node.v] : []), ...(node.cn || []).flatMap(texts)] : [];
}

/** A WeChat-like logic layer with the built bundle loaded and the home page on screen. */
function bootMiniProgram({ respond }) {
  const requests = [];
  const pages = [];
  let app;
  let pageOptions;

  const wx = {
    request(options) {
      requests.push(options);
      setTimeout(() => {
        const reply = respond(options);
        if (reply.fail) options.fail({ errMsg: 'request:fail' });
        else options.success({ statusCode: reply.statusCode, data: reply.data, header: {}, cookies: [] });
        options.complete && options.complete({});
      }, 5);
      return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
    },
    getSystemInfoSync: () => ({ platform: 'devtools', windowWidth: 375, windowHeight: 667, pixelRatio: 2, SDKVersion: '3.0.0' }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667 }),
    getDeviceInfo: () => ({ platform: 'devtools' }),
    getAppBaseInfo: () => ({ SDKVersion: '3.0.0' }),
    getLaunchOptionsSync: () => ({ path: HOME, query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: HOME, query: {}, scene: 1001 }),
    canIUse: () => true,
  };

  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    wx,
    App: (options) => {
      app = options;
    },
    getApp: () => app,
    Page: (options) => {
      pageOptions = options;
    },
    Component: (options) => {
      // comp.js registers Taro's recursive template component; nothing to run for the home page.
      void options;
    },
    Behavior: (options) => options,
    getCurrentPages: () => pages,
  });

  const modules = new Map();
  function load(file) {
    const absolute = path.resolve(DIST, file.endsWith('.js') ? file : `${file}.js`);
    if (modules.has(absolute)) return modules.get(absolute).exports;
    const module = { exports: {} };
    modules.set(absolute, module);
    const source = fs.readFileSync(absolute, 'utf8');
    const wrapped = vm.runInContext(`(function (require, module, exports) {${source}\n})`, context, {
      filename: absolute,
    });
    const requireFrom = (request) => load(path.relative(DIST, path.resolve(path.dirname(absolute), request)));
    wrapped.call(module.exports, requireFrom, module, module.exports);
    return module.exports;
  }

  load('app');
  if (!app) throw new Error('app.js did not call App()');
  app.onLaunch && app.onLaunch({ path: HOME, query: {}, scene: 1001 });
  app.onShow && app.onShow({ path: HOME, query: {}, scene: 1001 });
  load('comp');
  load(HOME);
  if (!pageOptions) throw new Error(`${HOME}.js did not call Page()`);

  // WeChat copies the Page() options onto each page instance and gives it setData.
  const setDataCalls = [];
  const page = {
    ...pageOptions,
    data: JSON.parse(JSON.stringify(pageOptions.data || {})),
    route: HOME,
    __route__: HOME,
    setData(payload, callback) {
      setDataCalls.push(payload);
      applySetData(this.data, payload);
      if (callback) setTimeout(callback, 0);
    },
  };
  pages.push(page);
  page.onLoad({});
  page.onShow && page.onShow();
  page.onReady && page.onReady();

  /** Dispatches a tap on the node that holds `text`, the way the `bindtap="eh"` templates do. */
  function tap(text) {
    const target = findTextParent(page.data.root, text);
    if (!target) throw new Error(`no 「${text}」 in the page: ${JSON.stringify(texts(page.data.root))}`);
    const dataset = { sid: target.sid };
    page.eh({
      type: 'tap',
      timeStamp: Date.now(),
      target: { id: target.uid || target.sid, dataset },
      currentTarget: { id: target.uid || target.sid, dataset },
      detail: { x: 10, y: 10 },
      touches: [],
      changedTouches: [],
      mark: {},
    });
  }

  return { page, requests, setDataCalls, tap, texts: () => texts(page.data.root) };
}

async function until(what, predicate, timeoutMs = 5000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('weapp bundle smoke test', () => {
  it('renders the home page and raises one ticket per tap of 一键呼叫', async () => {
    const mp = bootMiniProgram({
      respond: ({ method, url }) => {
        if (method === 'GET' && url.endsWith('/api/v1/intake/defaults')) return { statusCode: 200, data: DEFAULTS };
        if (method === 'POST' && url.endsWith('/api/v1/tickets')) return { statusCode: 201, data: TICKET };
        return { statusCode: 404, data: { code: 'NOT_FOUND', message: '请求的资源不存在' } };
      },
    });

    await until('the firm name from the intake defaults', () => mp.texts().includes(DEFAULTS.firmName));
    expect(mp.texts()).toEqual(expect.arrayContaining(['一键呼叫', '诉求类别：水电报修']));
    expect(mp.requests[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:3000/api/v1/intake/defaults' });

    // A double tap: the second lands before the page has re-rendered.
    mp.tap('一键呼叫');
    mp.tap('一键呼叫');

    await until('the ticket number in setData', () =>
      mp.setDataCalls.some((payload) => JSON.stringify(payload).includes(TICKET.number)),
    );
    const posts = mp.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/api\/v1\/tickets$/);
    expect(posts[0].header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(posts[0].data).toEqual({ firmId: 11, categoryId: 3 });

    expect(JSON.stringify(mp.setDataCalls)).toContain(`工单号：${TICKET.number}`);
    await until('the rendered ticket', () => mp.texts().includes('状态：待受理'));
    expect(mp.texts()).toEqual(expect.arrayContaining([`工单号：${TICKET.number}`, '状态：待受理', '刷新']));
  });

  it('retries the POST with the same Idempotency-Key when the network drops, then shows the ticket', async () => {
    let failures = 1;
    const mp = bootMiniProgram({
      respond: ({ method }) => {
        if (method === 'GET') return { statusCode: 200, data: DEFAULTS };
        if (failures-- > 0) return { fail: true };
        return { statusCode: 201, data: TICKET };
      },
    });
    await until('the firm name', () => mp.texts().includes(DEFAULTS.firmName));

    mp.tap('一键呼叫');

    await until('the rendered ticket', () => mp.texts().includes(`工单号：${TICKET.number}`));
    const keys = mp.requests.filter((r) => r.method === 'POST').map((r) => r.header['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it("shows the API's Chinese error message", async () => {
    const mp = bootMiniProgram({
      respond: ({ method }) =>
        method === 'GET'
          ? { statusCode: 200, data: DEFAULTS }
          : { statusCode: 404, data: { code: 'CATEGORY_NOT_FOUND', message: '诉求类别不存在' } },
    });
    await until('the firm name', () => mp.texts().includes(DEFAULTS.firmName));

    mp.tap('一键呼叫');

    await until('the error message', () => mp.texts().includes('诉求类别不存在'));
    expect(mp.texts().some((text) => String(text).startsWith('工单号'))).toBe(false);
  });
});
