/**
 * Loads the built weapp bundle the way WeChat's logic layer does (one shared global scope, CommonJS
 * `require` between files, App()/Page() registration, wx.* APIs, wx.reLaunch between pages), logs
 * in with 微信一键登录 (wx.login), lands on the home page, taps 「一键呼叫」 through Taro's `eh`
 * event handler and checks the requests it sends and the data it renders. The fake `wx`
 * implements only what the bundle calls.
 * Assumes `npm run build-weapp -w @qihu/miniprogram` has run (the Nx target builds it first).
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const DIST = path.resolve(__dirname, '../../apps/miniprogram/dist/weapp');
const HOME = 'pages/index/index';
const LOGIN = 'pages/login/index';
const SESSION_KEY = 'qihu.session';
const API = 'http://127.0.0.1:3000/api/v1';

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

const FIRM_CONTACT = {
  id: 21,
  role: 'firm_contact',
  roleLabel: '企业联系人',
  scopeLabel: '恒达精密机械有限公司 · 企业联系人',
  communityId: 1,
  gridId: null,
  microgridId: null,
  firmId: 11,
  departmentId: null,
  crewId: null,
};
const ME = { id: 5, name: '王经理', phone: '13900000042', linked: true, roles: [FIRM_CONTACT], activeRole: FIRM_CONTACT, needsPhone: false };
const session = (n) => ({ accessToken: `access-${n}`, expiresIn: 900, refreshToken: `refresh-${n}`, me: ME });
/** What the bundle keeps in wx storage after a login (the test starts some runs logged in). */
const STORED = { accessToken: 'access-1', refreshToken: 'refresh-1', me: ME };

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

/**
 * A WeChat-like logic layer with the built bundle loaded: App() launched, then `entry` mounted
 * (and any page wx.reLaunch / wx.redirectTo / wx.navigateTo asks for, in turn).
 */
function bootMiniProgram({ respond, storage = {}, entry = HOME }) {
  const requests = [];
  const navigations = [];
  const logins = [];
  const store = new Map(Object.entries(storage).map(([key, value]) => [key, JSON.parse(JSON.stringify(value))]));
  const pages = [];
  const pageOptions = new Map();
  let loadingRoute = null;
  let app;

  /** wx.* success/complete callbacks, answered asynchronously like the real thing. */
  const succeed = (options, result) =>
    setTimeout(() => {
      options.success && options.success(result);
      options.complete && options.complete(result);
    }, 0);

  const navigate = (kind) => (options) => {
    navigations.push({ kind, url: options.url });
    succeed(options, { errMsg: `${kind}:ok` });
    setTimeout(() => {
      const route = options.url.replace(/^\//, '').split('?')[0];
      if (kind !== 'navigateTo') {
        // reLaunch closes every page; redirectTo closes the current one.
        const closing = kind === 'reLaunch' ? pages.splice(0) : pages.splice(-1);
        for (const page of closing.reverse()) page.onUnload && page.onUnload();
      }
      mount(route);
    }, 1);
  };

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
    login(options) {
      const code = `wx-smoke.${logins.length + 1}`;
      logins.push(code);
      succeed(options, { code, errMsg: 'login:ok' });
    },
    getStorageSync: (key) => (store.has(key) ? JSON.parse(JSON.stringify(store.get(key))) : ''),
    setStorageSync: (key, value) => {
      store.set(key, JSON.parse(JSON.stringify(value)));
    },
    removeStorageSync: (key) => {
      store.delete(key);
    },
    reLaunch: navigate('reLaunch'),
    redirectTo: navigate('redirectTo'),
    navigateTo: navigate('navigateTo'),
    getSystemInfoSync: () => ({ platform: 'devtools', windowWidth: 375, windowHeight: 667, pixelRatio: 2, SDKVersion: '3.0.0' }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667 }),
    getDeviceInfo: () => ({ platform: 'devtools' }),
    getAppBaseInfo: () => ({ SDKVersion: '3.0.0' }),
    getLaunchOptionsSync: () => ({ path: entry, query: {}, scene: 1001 }),
    getEnterOptionsSync: () => ({ path: entry, query: {}, scene: 1001 }),
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
      pageOptions.set(loadingRoute, options);
    },
    Component: (options) => {
      // comp.js registers Taro's recursive template component; nothing to run for these pages.
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

  /** Opens a page as WeChat does: a fresh instance of its Page() options, with setData. */
  function mount(route) {
    if (!pageOptions.has(route)) {
      loadingRoute = route;
      load(route);
      loadingRoute = null;
      if (!pageOptions.has(route)) throw new Error(`${route}.js did not call Page()`);
    }
    const options = pageOptions.get(route);
    const setDataCalls = [];
    const page = {
      ...options,
      data: JSON.parse(JSON.stringify(options.data || {})),
      route,
      __route__: route,
      setDataCalls,
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
    return page;
  }

  load('app');
  if (!app) throw new Error('app.js did not call App()');
  app.onLaunch && app.onLaunch({ path: entry, query: {}, scene: 1001 });
  app.onShow && app.onShow({ path: entry, query: {}, scene: 1001 });
  load('comp');
  mount(entry);

  const current = () => pages[pages.length - 1];

  /** Dispatches an event on the node that holds `text`, the way the `bindtap="eh"` templates do. */
  function fire(text, type = 'tap', detail = { x: 10, y: 10 }) {
    const page = current();
    const target = findTextParent(page.data.root, text);
    if (!target) throw new Error(`no 「${text}」 in ${page.route}: ${JSON.stringify(texts(page.data.root))}`);
    const dataset = { sid: target.sid };
    page.eh({
      type,
      timeStamp: Date.now(),
      target: { id: target.uid || target.sid, dataset },
      currentTarget: { id: target.uid || target.sid, dataset },
      detail,
      touches: [],
      changedTouches: [],
      mark: {},
    });
  }

  return {
    current,
    get page() {
      return current();
    },
    get setDataCalls() {
      return current().setDataCalls;
    },
    requests,
    navigations,
    logins,
    store,
    tap: (text) => fire(text),
    fire,
    texts: () => texts(current().data.root),
  };
}

async function until(what, predicate, timeoutMs = 5000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('weapp bundle smoke test', () => {
  it('logs in with 微信一键登录, lands on the home page and raises one ticket per tap of 一键呼叫', async () => {
    const mp = bootMiniProgram({
      respond: ({ method, url, data, header }) => {
        if (method === 'POST' && url === `${API}/auth/wechat-login`) {
          return data.code === 'wx-smoke.1' ? { statusCode: 200, data: session(1) } : { statusCode: 400, data: { code: 'VALIDATION_FAILED', message: 'bad code' } };
        }
        if (header.Authorization !== 'Bearer access-1') return { statusCode: 401, data: { code: 'UNAUTHENTICATED', message: '请先登录' } };
        if (method === 'GET' && url === `${API}/intake/defaults`) return { statusCode: 200, data: DEFAULTS };
        if (method === 'POST' && url === `${API}/tickets`) return { statusCode: 201, data: TICKET };
        return { statusCode: 404, data: { code: 'NOT_FOUND', message: '请求的资源不存在' } };
      },
    });

    // No session in wx storage: the app sends the user to the login page before anything else.
    await until('the login page', () => mp.page.route === LOGIN && mp.texts().includes('微信一键登录'));
    expect(mp.navigations).toEqual([{ kind: 'reLaunch', url: `/${LOGIN}` }]);
    expect(mp.requests).toEqual([]);
    // The WeChat build offers no demo login (TARO_APP_DEMO_LOGIN=false in .env.weapp).
    expect(mp.texts()).not.toContain('演示登录');

    mp.tap('微信一键登录');

    await until('the home page', () => mp.page.route === HOME);
    expect(mp.logins).toEqual(['wx-smoke.1']);
    expect(mp.requests[0]).toMatchObject({ method: 'POST', url: `${API}/auth/wechat-login`, data: { code: 'wx-smoke.1' } });
    expect(mp.requests[0].header).not.toHaveProperty('Authorization');
    expect(mp.store.get(SESSION_KEY)).toEqual(STORED);

    await until('the firm name from the intake defaults', () => mp.texts().includes(DEFAULTS.firmName));
    expect(mp.texts()).toEqual(expect.arrayContaining(['一键呼叫', '诉求类别：水电报修', '首页', '我的']));
    expect(mp.requests[1]).toMatchObject({ method: 'GET', url: `${API}/intake/defaults` });
    expect(mp.requests[1].header.Authorization).toBe('Bearer access-1');

    // A double tap: the second lands before the page has re-rendered.
    mp.tap('一键呼叫');
    mp.tap('一键呼叫');

    await until('the ticket number in setData', () =>
      mp.setDataCalls.some((payload) => JSON.stringify(payload).includes(TICKET.number)),
    );
    const posts = mp.requests.filter((request) => request.method === 'POST' && request.url.endsWith('/tickets'));
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/api\/v1\/tickets$/);
    expect(posts[0].header['Idempotency-Key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(posts[0].header.Authorization).toBe('Bearer access-1');
    // The API fills in the caller's own firm.
    expect(posts[0].data).toEqual({ categoryId: 3 });

    expect(JSON.stringify(mp.setDataCalls)).toContain(`工单号：${TICKET.number}`);
    await until('the rendered ticket', () => mp.texts().includes('状态：待受理'));
    expect(mp.texts()).toEqual(expect.arrayContaining([`工单号：${TICKET.number}`, '状态：待受理', '刷新']));
  });

  it('opens straight on the home page when wx storage holds a session', async () => {
    const mp = bootMiniProgram({
      storage: { [SESSION_KEY]: STORED },
      respond: () => ({ statusCode: 200, data: DEFAULTS }),
    });

    await until('the firm name', () => mp.texts().includes(DEFAULTS.firmName));
    expect(mp.navigations).toEqual([]);
    expect(mp.page.route).toBe(HOME);
  });

  it('renews an expired access token with the stored refresh token, keeps the rotated one and retries', async () => {
    const refreshes = [];
    const mp = bootMiniProgram({
      storage: { [SESSION_KEY]: STORED },
      respond: ({ method, url, data, header }) => {
        if (method === 'POST' && url === `${API}/auth/refresh`) {
          refreshes.push(data.refreshToken);
          return { statusCode: 200, data: session(2) };
        }
        if (header.Authorization !== 'Bearer access-2') return { statusCode: 401, data: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' } };
        return { statusCode: 200, data: DEFAULTS };
      },
    });

    await until('the firm name', () => mp.texts().includes(DEFAULTS.firmName));
    expect(refreshes).toEqual(['refresh-1']);
    expect(mp.store.get(SESSION_KEY)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    // The home asks for the intake defaults and the category grid; one refresh serves both.
    expect(mp.requests.map((r) => `${r.method} ${r.url.replace(API, '')}`)).toEqual([
      'GET /intake/defaults',
      'GET /categories',
      'POST /auth/refresh',
      'GET /intake/defaults',
      'GET /categories',
    ]);
  });

  it('goes back to the login page, session cleared, when the refresh is refused', async () => {
    const mp = bootMiniProgram({
      storage: { [SESSION_KEY]: STORED },
      respond: ({ url }) =>
        url.endsWith('/auth/refresh')
          ? { statusCode: 401, data: { code: 'REFRESH_TOKEN_INVALID', message: '登录已失效，请重新登录' } }
          : { statusCode: 401, data: { code: 'UNAUTHENTICATED', message: '登录已过期，请重新登录' } },
    });

    await until('the login page', () => mp.page.route === LOGIN);
    expect(mp.navigations).toEqual([{ kind: 'reLaunch', url: `/${LOGIN}` }]);
    expect(mp.store.has(SESSION_KEY)).toBe(false);
  });

  it('asks for the phone after 微信一键登录 when the API needs it, and binds it', async () => {
    const newcomer = { ...ME, name: '微信用户', phone: '', roles: [], activeRole: null, needsPhone: true };
    const mp = bootMiniProgram({
      respond: ({ url, data }) => {
        if (url.endsWith('/auth/wechat-login')) return { statusCode: 200, data: { ...session(1), me: newcomer } };
        if (url.endsWith('/auth/bind-phone')) return { statusCode: 200, data: session(2) };
        return { statusCode: 200, data: DEFAULTS };
      },
    });
    await until('the login page', () => mp.texts().includes('微信一键登录'));

    mp.tap('微信一键登录');
    await until('the phone step', () => mp.texts().includes('授权手机号'));
    expect(mp.page.route).toBe(LOGIN);

    // The getPhoneNumber button's event, as WeChat fires it after the user agrees.
    mp.fire('授权手机号', 'getphonenumber', { errMsg: 'getPhoneNumber:ok', code: 'phone-13900000001' });

    await until('the home page', () => mp.page.route === HOME && mp.texts().includes(DEFAULTS.firmName));
    const bind = mp.requests.find((r) => r.url.endsWith('/auth/bind-phone'));
    expect(bind).toMatchObject({ method: 'POST', data: { phoneCode: 'phone-13900000001' } });
    expect(bind.header.Authorization).toBe('Bearer access-1');
    expect(mp.store.get(SESSION_KEY)).toMatchObject({ refreshToken: 'refresh-2' });
  });

  it('retries the POST with the same Idempotency-Key when the network drops, then shows the ticket', async () => {
    let failures = 1;
    const mp = bootMiniProgram({
      storage: { [SESSION_KEY]: STORED },
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
      storage: { [SESSION_KEY]: STORED },
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
