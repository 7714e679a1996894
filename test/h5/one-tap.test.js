// The walking skeleton end to end: the H5 build served by the real API process, one tap on
// 「一键呼叫」 in Chromium, the ticket found through the API, and its escalation on time.
const fs = require('node:fs');
const path = require('node:path');
const { startApiProcess } = require('../support/api-process');
const { launchChromium } = require('../support/chromium');

const artifacts = path.resolve(__dirname, '../artifacts/h5');
const ACK_SECONDS = 2;

describe('H5: one tap raises a ticket that escalates when nobody acknowledges', () => {
  let api;
  let browser;

  beforeAll(async () => {
    fs.mkdirSync(artifacts, { recursive: true });
    api = await startApiProcess({ SLA_ACK_SECONDS: String(ACK_SECONDS), RECONCILE_INTERVAL_MS: '500' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (api) {
      const exit = await api.stop();
      // A clean SIGTERM shutdown closes workers, queues and the pool and exits 0.
      expect(exit).toEqual({ code: 0, signal: null });
    }
  });

  it('taps 「一键呼叫」, shows the ticket number, and the API holds that ticket', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(`${api.baseUrl}/`);
    const button = page.getByText('一键呼叫', { exact: true });
    await button.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, '01-home.png') });

    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST'),
      button.click(),
    ]);
    expect(created.status()).toBe(201);
    expect(created.request().headers()['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const ticket = await created.json();

    await page.getByText(`工单号：${ticket.number}`).waitFor({ timeout: 10_000 });
    await page.getByText('状态：待受理').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(artifacts, '02-ticket-raised.png') });

    const fromApi = await (await fetch(`${api.baseUrl}/api/v1/tickets/${ticket.id}`)).json();
    expect(fromApi).toMatchObject({ number: ticket.number, status: 'submitted', level: 0 });

    // Nobody acknowledges: the grid leader holds it after the acknowledge window.
    const deadline = Date.now() + (ACK_SECONDS + 8) * 1000;
    let level = 0;
    while (level === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      level = (await (await fetch(`${api.baseUrl}/api/v1/tickets/${ticket.id}`)).json()).level;
    }
    expect(level).toBe(1);
  });
});
