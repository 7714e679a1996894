// The H5 build served by the real API process, in Chromium: log in through 演示登录 as the
// contact of the first demo firm, one tap on 「一键呼叫」, the ticket found through the API and
// its escalation on time; then 我的, 退出登录, and the staff screens of a grid leader.
// Screenshots of every screen go to test/artifacts/h5/.
const { contactOf, openH5 } = require('./h5-session');

/** The demo categories acknowledge within 30 min; × 0.001 that is 1.8 s. */
const SLA_TIME_SCALE = 0.001;
const FIRST_FIRM = '宁波恒达精密机械有限公司';

describe('H5: log in, one tap raises a ticket that escalates when nobody acknowledges', () => {
  let h5;
  let page;
  let demoPeople;
  let apiCall;
  let shot;
  let demoLoginAs;

  beforeAll(async () => {
    h5 = await openH5({ env: { SLA_TIME_SCALE: String(SLA_TIME_SCALE), RECONCILE_INTERVAL_MS: '500' } });
    ({ page, demoPeople, apiCall, shot, demoLoginAs } = h5);
  });

  afterAll(async () => {
    if (h5) {
      // A clean SIGTERM shutdown closes workers, queues and the pool and exits 0.
      const exit = await h5.close();
      expect(exit).toEqual({ code: 0, signal: null });
    }
  });

  it('sends a visitor without a session to the login page, which offers 演示登录', async () => {
    await page.goto(`${h5.api.baseUrl}/`);
    await page.waitForURL(/pages\/login\/index/, { timeout: 30_000 });
    await page.getByText('演示登录', { exact: true }).waitFor({ timeout: 30_000 });
    await page.locator('.demo__person').first().waitFor();
    // H5 has no wx.login: the WeChat button is not offered.
    await expect(page.getByText('微信一键登录').count()).resolves.toBe(0);
    await shot('01-login');
  });

  it(`logs in as the contact of ${FIRST_FIRM}, taps 「一键呼叫」, and the ticket escalates on time`, async () => {
    // Which demo person is the first firm's contact: their firm-contact role is scoped to it.
    const { person: contact, token: contactToken } = await contactOf(h5, FIRST_FIRM);
    await page.getByRole('textbox', { name: /搜索姓名或角色/ }).fill(contact.name);
    await shot('02-login-search');
    const session = await demoLoginAs(contact);
    expect(session.me.activeRole).toMatchObject({ role: 'firm_contact', scopeLabel: `${FIRST_FIRM} · 企业联系人` });

    await page.waitForURL(/pages\/index\/index/, { timeout: 10_000 });
    const button = page.getByText('一键呼叫', { exact: true });
    await button.waitFor({ timeout: 10_000 });
    await page.getByText(FIRST_FIRM, { exact: true }).waitFor();
    await shot('03-home-firm-contact');

    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST'),
      button.click(),
    ]);
    expect(created.status()).toBe(201);
    const sent = created.request();
    expect(sent.headers()['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(sent.headers().authorization).toBe(`Bearer ${session.accessToken}`);
    expect(Object.keys(sent.postDataJSON())).toEqual(['categoryId']);
    const ticket = await created.json();

    await page.getByText(`工单号：${ticket.number}`).waitFor({ timeout: 10_000 });
    await page.getByText('状态：待受理').waitFor({ timeout: 10_000 });
    await shot('04-ticket-raised');

    const firm = (await apiCall('GET', `/firms?q=${encodeURIComponent(FIRST_FIRM)}`, { token: contactToken }))[0];
    const fromApi = await apiCall('GET', `/tickets/${ticket.id}`, { token: contactToken });
    expect(fromApi).toMatchObject({ number: ticket.number, firmId: firm.id, status: 'submitted', level: 0 });

    // Nobody acknowledges: the grid leader holds it after the acknowledge window (30 min × scale).
    const deadline = Date.now() + 15_000;
    let level = 0;
    while (level === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      level = (await apiCall('GET', `/tickets/${ticket.id}`, { token: contactToken })).level;
    }
    expect(level).toBe(1);
  });

  it('shows 我的 with the masked phone, the role and 我的企业; 退出登录 goes back to the login page', async () => {
    await page.getByText('我的', { exact: true }).click();
    await page.waitForURL(/pages\/me\/index/);
    await page.getByText('我的企业', { exact: true }).waitFor();
    await page.getByText(`当前角色：${FIRST_FIRM} · 企业联系人`).waitFor();
    await page.getByText('统一社会信用代码').waitFor();
    await page.getByText(/^1\d{2}\*{4}\d{4}$/).first().waitFor();
    await page.locator('.field__value').first().waitFor();
    await shot('05-me-firm-contact');

    const [logout] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout')),
      page.getByText('退出登录', { exact: true }).click(),
    ]);
    expect(logout.status()).toBe(204);
    await page.waitForURL(/pages\/login\/index/);
    await page.getByText('演示登录', { exact: true }).waitFor();
  });

  it("shows a grid leader their role, the firm and people lists and 我的网格", async () => {
    const leader = demoPeople.find((p) => p.roles.includes('网格长'));
    expect(leader).toBeDefined();
    const session = await demoLoginAs(leader);
    const scope = session.me.activeRole.scopeLabel;

    await page.waitForURL(/pages\/index\/index/);
    await page.getByText(scope, { exact: true }).waitFor();
    await expect(page.getByText('一键呼叫').count()).resolves.toBe(0);
    await shot('06-home-grid-leader');

    await page.getByText('企业名单', { exact: true }).click();
    await page.waitForURL(/packages\/staff\/pages\/firms\/index/);
    await page.getByText(/^共 \d+ 家企业$/).waitFor();
    await page.locator('.group__title').first().waitFor();
    await shot('07-firms');
    await page.locator('input[placeholder^="企业名称"]').fill('恒达');
    await page.getByText('搜索', { exact: true }).click();
    await page.getByText('共 1 家企业').waitFor();
    await page.getByText(FIRST_FIRM).waitFor();

    await page.goBack();
    await page.getByText('人员名单', { exact: true }).click();
    await page.waitForURL(/packages\/staff\/pages\/people\/index/);
    await page.getByText(/^共 \d+ 人$/).waitFor();
    // Grid staff see masked phones only.
    const phones = await page.locator('.row__phone').allTextContents();
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(phone).toMatch(/^\d{3}\*{4}\d{4}$|^未绑定手机号$/);
    await shot('08-people');

    await page.goBack();
    await page.getByText('我的', { exact: true }).click();
    await page.getByText('我的网格', { exact: true }).waitFor();
    await page.getByText(/^微网格（\d+ 个）$/).waitFor();
    await shot('09-me-grid-leader');
  });

  it('switches role on 我的 for a person with several roles', async () => {
    // The demo seeds one: a part-time grid member who is also a firm's contact.
    const several = demoPeople.find((p) => p.roles.length > 1);
    expect(several).toBeDefined();
    await page.getByText('退出登录', { exact: true }).click();
    await page.waitForURL(/pages\/login\/index/);
    const session = await demoLoginAs(several);
    await page.waitForURL(/pages\/index\/index/);
    await page.getByText('我的', { exact: true }).click();
    await page.getByText('切换角色', { exact: true }).waitFor();
    await shot('10-role-switcher');

    const other = session.me.roles.find((r) => r.id !== session.me.activeRole.id);
    const [switched] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/switch-role')),
      page.getByText(other.scopeLabel, { exact: true }).click(),
    ]);
    expect(switched.status()).toBe(200);
    await page.waitForURL(/pages\/index\/index/);
    await page.getByText('我的', { exact: true }).click();
    await page.getByText(`当前角色：${other.scopeLabel}`).waitFor();
  });
});
