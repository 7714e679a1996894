// The ticket pipeline in Chromium against the real API, screen by screen as people use it:
// a firm contact raises a 安全隐患 through the request form with a photo; the grid member who
// holds it (whoever the duty roster has on now) finds it in 待办工单, acknowledges it, checks in on
// site (四必到) and resolves it with a note; the contact sees 已办结, confirms and gives 5 stars.
// The result is checked through the API too. Screenshots: test/artifacts/h5/pipeline-*.png.
const { contactOf, openH5 } = require('./h5-session');

const FIRM = '宁波恒达精密机械有限公司';
/** Needs someone on site before it can be resolved (四必到). */
const CATEGORY = '安全隐患';
const DESCRIPTION = '二号车间消防通道被货物堵塞';
const RESOLUTION = '已到场督促清理，通道已恢复畅通';
/** Near the demo community, for the on-site check-in (the browser's position). */
const SITE = { latitude: 29.9612, longitude: 121.7125 };

const GRID_ROLES = ['grid_member', 'grid_parttime', 'grid_leader', 'microgrid_leader'];

describe('H5: a request through the form, worked by the grid member on duty, confirmed and rated', () => {
  let h5;
  let page;
  let contact;
  let ticket;
  let holder;

  /** Text on the page itself (Taro's H5 navigation bar repeats the page title above it). */
  const text = (value) => page.locator('#app').getByText(value, { exact: true });

  /** The JSON answer to the first `method` call whose path ends with `pathEnd`, made while `action` runs. */
  async function answerTo(method, pathEnd, action) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(pathEnd)),
      action(),
    ]);
    return response;
  }

  /** Back to the home page (the pages are a stack) and 退出登录 from 我的. */
  async function logOut() {
    for (let back = 0; back < 5 && !/pages\/index\/index/.test(page.url()); back++) await page.goBack();
    await text('我的').click();
    await text('退出登录').click();
    await page.waitForURL(/pages\/login\/index/);
  }

  beforeAll(async () => {
    h5 = await openH5({ contextOptions: { geolocation: { ...SITE, accuracy: 12 }, permissions: ['geolocation'] } });
    page = h5.page;
    contact = await contactOf(h5, FIRM);
  });

  afterAll(async () => {
    if (h5) {
      const exit = await h5.close();
      expect(exit).toEqual({ code: 0, signal: null });
    }
  });

  it(`the firm contact picks ${CATEGORY} on the home page and sends the form with a photo`, async () => {
    await page.goto(`${h5.api.baseUrl}/`);
    await page.waitForURL(/pages\/login\/index/, { timeout: 30_000 });
    await h5.demoLoginAs(contact.person);
    await text('一键呼叫').waitFor({ timeout: 10_000 });
    await text(CATEGORY).waitFor();
    await h5.shot('pipeline-01-home-firm-contact');

    await text(CATEGORY).click();
    await page.waitForURL(/packages\/firm\/pages\/request\/index\?categoryId=\d+/);
    await text(`为「${FIRM}」提交诉求`).waitFor();
    await expect(page.locator('.choice--on').textContent()).resolves.toBe(CATEGORY);
    // The browser has no recorder: no voice button rather than a broken one.
    await expect(page.getByText('点击录音').count()).resolves.toBe(0);

    await text('紧急').click();
    await page.locator('textarea[placeholder^="请简要说明"]').fill(DESCRIPTION);

    // H5's chooseMedia opens the browser's file picker: hand it a photo drawn on a canvas.
    const photo = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 480;
      canvas.height = 360;
      const g = canvas.getContext('2d');
      g.fillStyle = '#8a6d3b';
      g.fillRect(0, 0, 480, 360);
      g.fillStyle = '#e8452c';
      g.fillRect(180, 60, 120, 240);
      return canvas.toDataURL('image/jpeg', 0.85).split(',')[1];
    });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), text('拍照/相册').click()]);
    const uploaded = await answerTo('POST', '/api/v1/uploads', () =>
      chooser.setFiles({ name: 'fire-exit.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo, 'base64') }),
    );
    expect(uploaded.status()).toBe(201);
    const attachment = await uploaded.json();
    expect(attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    await page.locator('.photo-picker__item').first().waitFor();
    await expect(page.locator('.photo-picker__state').count()).resolves.toBe(0);
    await h5.shot('pipeline-02-request-form');

    const created = await answerTo('POST', '/api/v1/tickets', () => text('提交诉求').click());
    expect(created.status()).toBe(201);
    const sent = created.request();
    expect(sent.headers()['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(sent.postDataJSON()).toEqual({
      categoryId: expect.any(Number),
      urgency: 'urgent',
      description: DESCRIPTION,
      photoIds: [attachment.id],
    });
    ticket = await created.json();
    expect(ticket).toMatchObject({ categoryName: CATEGORY, urgencyLabel: '紧急', status: 'submitted', firmName: FIRM });
    holder = ticket.holder;
    expect(holder).toMatchObject({ level: 0, personId: expect.any(Number) });

    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));
    await text(ticket.number).waitFor();
    await text('待受理').waitFor();
    await page.getByText(/^受理时限 剩余 \d+分\d{2}秒$/).waitFor();
    await text(`当前处理：网格员 ${holder.name}`).waitFor();
    // The photo shows, from its signed link, under 提交诉求.
    await page.waitForFunction(() => {
      const img = document.querySelector('.timeline .attachments__photo img');
      return Boolean(img && img.complete && img.naturalWidth === 480);
    });
    await h5.shot('pipeline-03-ticket-raised');
  });

  it('the grid member on duty finds it in 待办工单 and acknowledges, checks in and resolves it', async () => {
    await logOut();
    const person = h5.demoPeople.find((p) => p.id === holder.personId);
    expect(person).toBeDefined();
    const session = await h5.demoLoginAs(person);
    await page.waitForURL(/pages\/index\/index/);
    if (!GRID_ROLES.includes(session.me.activeRole.role)) {
      // A part-timer who is also a firm's contact: act in the grid role.
      const gridRole = session.me.roles.find((r) => GRID_ROLES.includes(r.role));
      await text('我的').click();
      await answerTo('POST', '/api/v1/auth/switch-role', () => text(gridRole.scopeLabel).click());
      await page.waitForURL(/pages\/index\/index/);
    }

    // The roster put this ticket with them: 我的值班 shows the shift they are on now.
    await text('我的值班').click();
    await page.waitForURL(/packages\/staff\/pages\/duty\/index/);
    await text('值班中').waitFor();
    await h5.shot('pipeline-04-duty-grid-member');
    await page.goBack();

    await text('待办工单').click();
    await page.waitForURL(/packages\/staff\/pages\/inbox\/index/);
    const card = page.locator('.ticket-card', { hasText: DESCRIPTION });
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(FIRM);
    await card.locator('.countdown').waitFor();
    await expect(card.locator('.countdown').textContent()).resolves.toMatch(/^剩余 \d+分\d{2}秒$/);
    await text('只看我的').click();
    await page.locator('.ticket-card', { hasText: DESCRIPTION }).waitFor();
    await h5.shot('pipeline-05-inbox-grid-member');

    await page.locator('.ticket-card', { hasText: DESCRIPTION }).click();
    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));
    await text('受理').waitFor();
    await h5.shot('pipeline-06-ticket-to-acknowledge');

    const acknowledged = await answerTo('POST', `/tickets/${ticket.id}/acknowledge`, () => text('受理').click());
    expect(acknowledged.status()).toBe(200);
    expect(acknowledged.request().headers()['idempotency-key']).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await text('已受理').waitFor();
    await page.getByText(/^办结时限 剩余 /).waitFor();

    const checkedIn = await answerTo('POST', `/tickets/${ticket.id}/check-in`, () => text('到场签到').click());
    expect(checkedIn.status()).toBe(200);
    expect(checkedIn.request().postDataJSON()).toEqual({ ...SITE, accuracy: 12 });
    await text('已到场').waitFor();

    await text('办结').click();
    await page.locator('textarea[placeholder^="办结说明"]').fill(RESOLUTION);
    await h5.shot('pipeline-07-resolve-sheet');
    const resolved = await answerTo('POST', `/tickets/${ticket.id}/resolve`, () => text('确认办结').click());
    expect(resolved.status()).toBe(200);
    expect(resolved.request().postDataJSON()).toEqual({ note: RESOLUTION });
    await text('已办结').waitFor();
    await text(RESOLUTION).waitFor();
    await h5.shot('pipeline-08-resolved-by-grid-member');
  });

  it('the firm contact sees 已办结 in 我的诉求, confirms and gives 5 stars: the ticket is 已关闭', async () => {
    await logOut();
    await h5.demoLoginAs(contact.person);
    await page.waitForURL(/pages\/index\/index/);

    await text('我的诉求').click();
    await page.waitForURL(/packages\/firm\/pages\/mine\/index/);
    const card = page.locator('.ticket-card', { hasText: DESCRIPTION });
    await card.waitFor();
    await expect(card.locator('.ticket-card__status').textContent()).resolves.toBe('已办结');
    await h5.shot('pipeline-09-my-requests');

    await card.click();
    await text('确认并评价').waitFor();
    await page.getByText(/^评价时限 剩余 /).waitFor();
    await text('确认并评价').click();
    await page.locator('.star').nth(4).click();
    await page.locator('textarea[placeholder^="说说处理得怎么样"]').fill('响应及时，处理到位');
    await h5.shot('pipeline-10-rate');
    const confirmed = await answerTo('POST', `/tickets/${ticket.id}/confirm`, () => text('提交评价（5星）').click());
    expect(confirmed.status()).toBe(200);
    expect(confirmed.request().postDataJSON()).toEqual({ rating: 5, comment: '响应及时，处理到位' });
    await text('已关闭').waitFor();
    await text('★★★★★ 5星').waitFor();
    await h5.shot('pipeline-11-closed-and-rated');

    // 消息通知 told the contact how it went; a tap opens the ticket.
    await page.goBack();
    await page.goBack();
    await text('我的').click();
    await text('消息通知').click();
    await page.waitForURL(/packages\/common\/pages\/notifications\/index/);
    await page.locator('.notice').first().waitFor();
    await h5.shot('pipeline-12-notifications-firm-contact');
    const notices = await h5.apiCall('GET', '/notifications', { token: contact.token });
    expect(notices.items.length).toBeGreaterThan(0);
    expect(notices.items.every((n) => n.ticketId === ticket.id)).toBe(true);
    await page.locator('.notice').first().click();
    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));
    await text('已关闭').waitFor();

    const final = await h5.apiCall('GET', `/tickets/${ticket.id}`, { token: contact.token });
    expect(final).toMatchObject({ status: 'closed', statusLabel: '已关闭', rating: 5, ratingComment: '响应及时，处理到位' });
    expect(final.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'acknowledge', 'check_in', 'resolve', 'confirm']));
    expect(final.attachments).toEqual([expect.objectContaining({ kind: 'image' })]);
    const acknowledgedBy = final.events.find((e) => e.type === 'acknowledge');
    expect(acknowledgedBy.actorPersonId).toBe(holder.personId);
  });
});
