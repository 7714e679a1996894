// What the H5 journeys share: the real API process serving the H5 build, Debian's Chromium, the
// API called directly (to find people and check results), 演示登录 through the page, and
// screenshots of each screen in test/artifacts/h5/.
const fs = require('node:fs');
const path = require('node:path');
const { startApiProcess } = require('../support/api-process');
const { launchChromium } = require('../support/chromium');

const artifacts = path.resolve(__dirname, '../artifacts/h5');

/**
 * Starts the API (with `env`) and a phone-sized page. `contextOptions` go to the browser context
 * (geolocation, permissions). Returns the handles and helpers; call `close()` in afterAll.
 */
async function openH5({ env = {}, contextOptions = {} } = {}) {
  fs.mkdirSync(artifacts, { recursive: true });
  const api = await startApiProcess({
    // startApiProcess runs the fake WeChat (demo login, subscribe messages).
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const browser = await launchChromium();
  // A phone in China: times show as the people using it read them.
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...contextOptions,
  });
  const page = await context.newPage();

  /** `key`: an Idempotency-Key for a POST that must not apply twice. */
  async function apiCall(method, urlPath, { token, body, key } = {}) {
    const res = await fetch(`${api.baseUrl}/api/v1${urlPath}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  const demoPeople = await apiCall('GET', '/auth/demo-people');

  /** After a navigation: Taro's H5 router slides the new page in (a CSS transition). */
  const settled = () => page.waitForFunction(() => document.getAnimations().length === 0);

  const shot = async (name) => {
    await settled();
    await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
  };

  /** On the login page: search the demo list and tap `person` (matches keep the API's order). */
  async function demoLoginAs(person) {
    await page.getByText('演示登录', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('textbox', { name: /搜索姓名或角色/ }).fill(person.name);
    const matches = demoPeople.filter((p) => p.name.includes(person.name) || p.scopes.some((r) => r.includes(person.name)));
    const nth = matches.findIndex((p) => p.id === person.id);
    expect(nth).toBeGreaterThanOrEqual(0);
    const item = page.locator('.demo__person').nth(nth);
    await expect(item.textContent()).resolves.toContain(person.name);
    const [login] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/demo-login')), item.click()]);
    expect(login.status()).toBe(200);
    expect(login.request().postDataJSON()).toEqual({ personId: person.id });
    return login.json();
  }

  /** A token for `personId` to check results through the API (a login of its own, beside the page's). */
  async function tokenOf(personId) {
    return (await apiCall('POST', '/auth/demo-login', { body: { personId } })).accessToken;
  }

  async function close() {
    await browser.close();
    return api.stop();
  }

  return { api, browser, context, page, apiCall, demoPeople, settled, shot, demoLoginAs, tokenOf, close };
}

/** The demo person (and a token) whose firm-contact role is scoped to `firmName`. */
async function contactOf(h5, firmName) {
  for (const person of h5.demoPeople.filter((p) => p.roles.includes('企业联系人'))) {
    const session = await h5.apiCall('POST', '/auth/demo-login', { body: { personId: person.id } });
    if (session.me.roles.some((r) => r.role === 'firm_contact' && r.scopeLabel.startsWith(firmName))) {
      return { person, token: session.accessToken };
    }
  }
  throw new Error(`no demo contact for ${firmName}`);
}

/**
 * A token of `personId` acting in one of `roles` (role codes): a part-time grid member who is
 * also a firm's contact may log in as the contact and must switch to the grid role first.
 */
async function tokenInRole(h5, personId, roles) {
  const session = await h5.apiCall('POST', '/auth/demo-login', { body: { personId } });
  if (roles.includes(session.me.activeRole.role)) return session.accessToken;
  const role = session.me.roles.find((r) => roles.includes(r.role));
  if (!role) throw new Error(`person ${personId} has none of the roles ${roles.join(', ')}`);
  const switched = await h5.apiCall('POST', '/auth/switch-role', { token: session.accessToken, body: { roleAssignmentId: role.id } });
  return switched.accessToken;
}

module.exports = { openH5, contactOf, tokenInRole, artifacts };
