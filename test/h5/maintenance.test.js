// The maintenance service in Chromium against the real API, screen by screen as people use it:
// a firm contact opens the request form from a machine's QR label, the grid member on duty
// acknowledges it and dispatches it to a crew, a crew member accepts, checks in by position at
// the firm, records two parts and one service item and finishes; the firm contact sees the bill
// (the service item free under the warranty of an earlier repair of the same machine) and
// confirms. The result is checked through the API too. Screenshots: test/artifacts/h5/maintenance-*.png.
//
// The browser has no scanner (Taro.scanCode needs WeChat): the contact opens the request form at
// the URL a scanned label leads to, `…/request/index?equipmentCode=<code>`, which is what
// 「扫码报修」 on the home page navigates to after a scan.
const { contactOf, openH5, tokenInRole } = require('./h5-session');

const FIRM = '宁波恒达精密机械有限公司';
/** The demo's 数控车床 of that firm. */
const MACHINE = { code: 'EQ000001', name: '数控车床' };
const CREW = '机电维修一队';
/** In the unified price list at 80.00 元 with 90 days of warranty; in the crew's store: the two parts. */
const SERVICE = { code: 'S-ELEC-01', name: '电气故障检修', priceFen: 8000 };
const PARTS = [
  { code: 'P-CJX2-1810', name: '交流接触器', priceFen: 5800 },
  { code: 'P-JR36-20', name: '热继电器', priceFen: 4200 },
];
const DESCRIPTION = '数控车床主轴电机无法启动，热继电器反复跳闸';
const FINISH_NOTE = '更换交流接触器和热继电器，检修主轴电机线路，试机正常';

const HOLDER_ROLES = ['grid_member', 'grid_parttime', 'grid_leader', 'microgrid_leader'];
const KEY = /^[A-Za-z0-9_-]{8,64}$/;

describe('H5: a machine label opens the request, a crew repairs it, the firm sees the bill with a warranty line and confirms', () => {
  let h5;
  let page;
  let contact;
  let firm;
  let crew;
  let crewMember;
  /** The earlier repair of the same item on the same machine: the warranty comes from it. */
  let earlier;
  let ticket;

  /** Text on the page itself (Taro's H5 navigation bar repeats the page title above it). */
  const text = (value) => page.locator('#app').getByText(value, { exact: true });
  const statusChip = (label) => page.locator('.ticket-page .status', { hasText: label });
  const primaryButton = (label) => page.locator('.action-bar__primary', { hasText: label });
  const secondaryButton = (label) => page.locator('.action-bar__secondary', { hasText: label });
  const sheetConfirm = (label) => page.locator('.sheet__confirm', { hasText: label });

  /** The answer to the first `method` call whose path ends with `pathEnd`, made while `action` runs. */
  async function answerTo(method, pathEnd, action) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(pathEnd)),
      action(),
    ]);
    return response;
  }

  /** Back to the home page (the pages are a stack) and 退出登录 from 我的. */
  async function logOut() {
    for (let back = 0; back < 6 && !/pages\/index\/index/.test(page.url()); back++) await page.goBack();
    await text('我的').click();
    await text('退出登录').click();
    await page.waitForURL(/pages\/login\/index/);
  }

  /** A POST through the API with an Idempotency-Key of its own. */
  let keys = 0;
  const post = (path, token, body = {}) => h5.apiCall('POST', path, { token, body, key: `setup-${Date.now().toString(36)}-${++keys}` });

  beforeAll(async () => {
    // Geolocation is allowed; the position is set to the firm's once the crew is there.
    h5 = await openH5({ contextOptions: { permissions: ['geolocation'] } });
    page = h5.page;
    contact = await contactOf(h5, FIRM);

    const scanned = await h5.apiCall('GET', `/equipment/by-code/${MACHINE.code}`, { token: contact.token });
    expect(scanned).toMatchObject({ equipment: { code: MACHINE.code, name: MACHINE.name, firmName: FIRM }, suggestedCategory: { name: '设备故障' } });
    firm = await h5.apiCall('GET', `/firms/${scanned.equipment.firmId}`, { token: contact.token });
    expect(firm).toMatchObject({ name: FIRM, latitude: expect.any(Number), longitude: expect.any(Number) });

    // The earlier repair, through the API: raised, acknowledged, dispatched, accepted, checked in,
    // the same service item recorded, finished and confirmed.
    const raised = await post('/tickets', contact.token, {
      categoryId: scanned.suggestedCategory.id,
      equipmentCode: MACHINE.code,
      description: '数控车床控制回路故障',
    });
    const holderToken = await tokenInRole(h5, raised.holder.personId, HOLDER_ROLES);
    crew = (await h5.apiCall('GET', '/crews', { token: holderToken })).find((c) => c.name === CREW);
    expect(crew).toBeDefined();
    crewMember = h5.demoPeople.find((p) => p.id === crew.members[0].personId);
    const crewToken = await h5.tokenOf(crewMember.id);
    await post(`/tickets/${raised.id}/acknowledge`, holderToken);
    await post(`/tickets/${raised.id}/dispatch`, holderToken, { crewId: crew.id });
    await post(`/tickets/${raised.id}/accept`, crewToken);
    await post(`/tickets/${raised.id}/arrive`, crewToken, { latitude: firm.latitude, longitude: firm.longitude });
    await post(`/tickets/${raised.id}/work-lines`, crewToken, { kind: 'service', code: SERVICE.code, quantity: 1 });
    await post(`/tickets/${raised.id}/finish`, crewToken, { note: '更换控制回路熔断器' });
    earlier = await post(`/tickets/${raised.id}/confirm`, contact.token, { rating: 5 });
    expect(earlier.status).toBe('closed');
    const earlierBill = await h5.apiCall('GET', `/tickets/${raised.id}/bill`, { token: contact.token });
    expect(earlierBill).toMatchObject({ totalFen: SERVICE.priceFen, lines: [{ code: SERVICE.code, warranty: false }] });
  });

  afterAll(async () => {
    if (h5) {
      const exit = await h5.close();
      expect(exit).toEqual({ code: 0, signal: null });
    }
  });

  it("the firm contact opens the request form from the machine's label: machine and category filled in; sends it", async () => {
    await page.goto(`${h5.api.baseUrl}/`);
    await page.waitForURL(/pages\/login\/index/, { timeout: 30_000 });
    await h5.demoLoginAs(contact.person);
    await text('一键呼叫').waitFor({ timeout: 10_000 });
    await text('扫码报修').waitFor();
    await h5.shot('maintenance-01-home-firm-contact');

    // Where a scan of the label leads (the browser has no scanner).
    const [lookedUp] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(`/equipment/by-code/${MACHINE.code}`)),
      page.goto(`${h5.api.baseUrl}/#/packages/firm/pages/request/index?equipmentCode=${MACHINE.code}`),
    ]);
    expect(lookedUp.status()).toBe(200);
    await text(`为「${FIRM}」提交诉求`).waitFor();
    await page.locator('.machine__name', { hasText: MACHINE.name }).waitFor();
    await expect(page.locator('.machine__detail').textContent()).resolves.toBe('CK6150 · 沈阳机床股份有限公司 · 一号车间东侧');
    await page.waitForFunction(() => document.querySelector('.choice--on')?.textContent === '设备故障');
    await expect(page.locator('.equipment__input input').inputValue()).resolves.toBe(MACHINE.code);

    await page.locator('textarea[placeholder^="请简要说明"]').fill(DESCRIPTION);
    await page.locator('.machine').scrollIntoViewIfNeeded();
    await h5.shot('maintenance-02-request-from-label');

    const created = await answerTo('POST', '/api/v1/tickets', () => text('提交诉求').click());
    expect(created.status()).toBe(201);
    expect(created.request().postDataJSON()).toEqual({
      categoryId: expect.any(Number),
      urgency: 'normal',
      description: DESCRIPTION,
      equipmentCode: MACHINE.code,
    });
    ticket = await created.json();
    expect(ticket).toMatchObject({ categoryName: '设备故障', equipmentCode: MACHINE.code, status: 'submitted', firmName: FIRM });

    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));
    await text(ticket.number).waitFor();
    await text(MACHINE.code).waitFor();
    await h5.shot('maintenance-03-ticket-raised');
  });

  it('the grid member on duty acknowledges it and dispatches it to a crew picked from the list', async () => {
    await logOut();
    const holder = h5.demoPeople.find((p) => p.id === ticket.holder.personId);
    const session = await h5.demoLoginAs(holder);
    await page.waitForURL(/pages\/index\/index/);
    if (!HOLDER_ROLES.includes(session.me.activeRole.role)) {
      // A part-timer who is also a firm's contact: act in the grid role.
      const gridRole = session.me.roles.find((r) => HOLDER_ROLES.includes(r.role));
      await text('我的').click();
      await answerTo('POST', '/api/v1/auth/switch-role', () => text(gridRole.scopeLabel).click());
      await page.waitForURL(/pages\/index\/index/);
    }

    await text('待办工单').click();
    await page.waitForURL(/packages\/staff\/pages\/inbox\/index/);
    await page.locator('.ticket-card', { hasText: DESCRIPTION }).click();
    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));

    const acknowledged = await answerTo('POST', `/tickets/${ticket.id}/acknowledge`, () => primaryButton('受理').click());
    expect(acknowledged.status()).toBe(200);
    await statusChip('已受理').waitFor();
    // A ticket about a machine: 派单 is the next step.
    await primaryButton('派单').waitFor();
    await h5.shot('maintenance-04-ticket-to-dispatch');

    await primaryButton('派单').click();
    await text('自动派给值班维修队').waitFor();
    const option = page.locator('.sheet__option', { hasText: CREW });
    await option.waitFor();
    await expect(option.textContent()).resolves.toMatch(/电气、机械、其他 · 2人(值班中|未值班)/);
    await option.click();
    await h5.shot('maintenance-05-dispatch-sheet');
    const dispatched = await answerTo('POST', `/tickets/${ticket.id}/dispatch`, () => sheetConfirm(`派给 ${CREW}`).click());
    expect(dispatched.status()).toBe(200);
    expect(dispatched.request().headers()['idempotency-key']).toMatch(KEY);
    expect(dispatched.request().postDataJSON()).toEqual({ crewId: crew.id });

    await statusChip('已派单').waitFor();
    const card = page.locator('.dispatch');
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain(CREW);
    await card.locator('.dispatch__state', { hasText: '待接单' }).waitFor();
    await expect(card.locator('.countdown').first().textContent()).resolves.toMatch(/^剩余 \d+分\d{2}秒$/);
    await page.getByText(/^到场时限 剩余 /).waitFor();
    await h5.shot('maintenance-06-dispatched');
  });

  it('the crew member accepts, checks in at the firm, records two parts and one service item (free under warranty) and finishes', async () => {
    await logOut();
    await h5.demoLoginAs(crewMember);
    await page.waitForURL(/pages\/index\/index/);
    const entry = page.locator('.link-row', { hasText: '派单' });
    await entry.locator('.link-row__badge', { hasText: '1' }).waitFor();
    await h5.shot('maintenance-07-home-crew');

    await entry.click();
    await page.waitForURL(/packages\/crew\/pages\/dispatches\/index/);
    const item = page.locator('.dispatch-card', { hasText: DESCRIPTION });
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(FIRM);
    await item.locator('.dispatch-card__state', { hasText: '待接单' }).waitFor();
    await expect(item.locator('.countdown').textContent()).resolves.toMatch(/^接单时限 剩余 \d+分\d{2}秒$/);
    await h5.shot('maintenance-08-crew-dispatches');

    await item.click();
    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));
    await secondaryButton('导航').waitFor();
    await secondaryButton('拒单').waitFor();
    await h5.shot('maintenance-09-crew-ticket-offered');
    const accepted = await answerTo('POST', `/tickets/${ticket.id}/accept`, () => primaryButton('接单').click());
    expect(accepted.status()).toBe(200);
    await statusChip('已接单').waitFor();

    // At the firm: the phone's position is the firm's registered one.
    await h5.context.setGeolocation({ latitude: firm.latitude, longitude: firm.longitude, accuracy: 10 });
    await primaryButton('到场签到').click();
    await text('扫码签到').waitFor();
    await h5.shot('maintenance-10-arrive-sheet');
    const arrived = await answerTo('POST', `/tickets/${ticket.id}/arrive`, () => sheetConfirm('用当前位置签到').click());
    expect(arrived.status()).toBe(200);
    expect(arrived.request().postDataJSON()).toEqual({ latitude: firm.latitude, longitude: firm.longitude, accuracy: 10 });
    await statusChip('已到场').waitFor();
    await page.locator('.dispatch').getByText(/ · 位置签到，距企业 0 米$/).waitFor();

    /** 登记 one line: the tab, a search, the entry, and (for more than one) the ＋ button. */
    const record = async (tab, search, name, shotName) => {
      await secondaryButton('登记').click();
      await page.locator('.work-line__kind', { hasText: tab }).click();
      await page.locator('input[placeholder="搜索名称、规格或编码"]').fill(search);
      const entry = page.locator('.work-line__list .sheet__option', { hasText: name });
      // The price list and the catalogue load when the sheet opens: wait for the entry, then check it is the only match.
      await entry.first().waitFor();
      await expect(entry.count()).resolves.toBe(1);
      await entry.click();
      if (shotName) await h5.shot(shotName);
      const recorded = await answerTo('POST', `/tickets/${ticket.id}/work-lines`, () => sheetConfirm(`登记 ${name} × 1`).click());
      expect(recorded.status()).toBe(200);
      expect(recorded.request().headers()['idempotency-key']).toMatch(KEY);
      await page.locator('.bill__line', { hasText: name }).waitFor();
      return recorded.request().postDataJSON();
    };
    const lines = [
      await record('服务项目', SERVICE.code, SERVICE.name, 'maintenance-11-work-line-sheet'),
      await record('配件', PARTS[0].code, PARTS[0].name),
      await record('配件', PARTS[1].code, PARTS[1].name),
    ];
    expect(lines).toEqual([
      { kind: 'service', code: SERVICE.code, quantity: 1 },
      { kind: 'part', code: PARTS[0].code, quantity: 1 },
      { kind: 'part', code: PARTS[1].code, quantity: 1 },
    ]);
    const warranty = page.locator('.bill__line--warranty');
    await expect(warranty.count()).resolves.toBe(1);
    await expect(warranty.textContent()).resolves.toContain(SERVICE.name);
    await expect(warranty.locator('.bill__amount').textContent()).resolves.toBe('免费');
    await expect(warranty.locator('.bill__warranty').textContent()).resolves.toBe(`保修期内重复维修，原工单 ${earlier.number}`);
    await page.locator('.bill__total-value', { hasText: '100.00 元' }).waitFor();
    await page.locator('.bill').scrollIntoViewIfNeeded();
    await h5.shot('maintenance-12-crew-bill-with-warranty');

    await primaryButton('完工').click();
    await page.locator('textarea[placeholder^="完工说明"]').fill(FINISH_NOTE);
    // On site: no 远程问诊 switch.
    await expect(text('远程问诊').count()).resolves.toBe(0);
    await h5.shot('maintenance-13-finish-sheet');
    const finished = await answerTo('POST', `/tickets/${ticket.id}/finish`, () => sheetConfirm('确认完工').click());
    expect(finished.status()).toBe(200);
    expect(finished.request().postDataJSON()).toEqual({ note: FINISH_NOTE });
    await statusChip('已办结').waitFor();
    await page.locator('.dispatch__state', { hasText: '已完工' }).waitFor();
  });

  it('the firm contact sees the bill, the warranty line marked 保修 and free, confirms and rates: closed', async () => {
    await logOut();
    await h5.demoLoginAs(contact.person);
    await page.waitForURL(/pages\/index\/index/);
    await text('我的诉求').click();
    await page.waitForURL(/packages\/firm\/pages\/mine\/index/);
    await page.locator('.ticket-card', { hasText: DESCRIPTION }).click();
    await page.waitForURL(new RegExp(`packages/common/pages/ticket/index\\?id=${ticket.id}`));

    await text('维修账单').waitFor();
    await page.locator('.bill__line').nth(2).waitFor();
    await expect(page.locator('.bill__line').count()).resolves.toBe(3);
    const warranty = page.locator('.bill__line--warranty');
    await expect(warranty.locator('.bill__tag').textContent()).resolves.toBe('保修');
    await expect(warranty.locator('.bill__amount').textContent()).resolves.toBe('免费');
    for (const part of PARTS) {
      await expect(page.locator('.bill__line', { hasText: part.name }).locator('.bill__amount').textContent()).resolves.toBe(`¥${(part.priceFen / 100).toFixed(2)}`);
    }
    await text('原价 ¥180.00').waitFor();
    await text('保修减免 ¥80.00').waitFor();
    await text('100.00 元').waitFor();
    await page.locator('.bill').scrollIntoViewIfNeeded();
    await h5.shot('maintenance-14-firm-bill');

    await primaryButton('确认并评价').click();
    await text('本次维修费用合计 100.00 元（明细见维修账单）').waitFor();
    await page.locator('.star').nth(4).click();
    await h5.shot('maintenance-15-confirm');
    const confirmed = await answerTo('POST', `/tickets/${ticket.id}/confirm`, () => text('提交评价（5星）').click());
    expect(confirmed.status()).toBe(200);
    await statusChip('已关闭').waitFor();
    await h5.shot('maintenance-16-closed');

    const final = await h5.apiCall('GET', `/tickets/${ticket.id}`, { token: contact.token });
    expect(final).toMatchObject({ status: 'closed', rating: 5, equipmentCode: MACHINE.code });
    expect(final.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['created', 'acknowledge', 'dispatch', 'accept', 'check_in', 'work_line', 'resolve', 'confirm']),
    );
    const bill = await h5.apiCall('GET', `/tickets/${ticket.id}/bill`, { token: contact.token });
    expect(bill).toMatchObject({ ticketNumber: ticket.number, listTotalFen: 18000, totalFen: 10000, totalYuan: '100.00' });
    expect(bill.lines).toEqual([
      expect.objectContaining({ kind: 'service', code: SERVICE.code, unitPriceFen: SERVICE.priceFen, amountFen: 0, warranty: true, warrantyOfTicketNumber: earlier.number }),
      expect.objectContaining({ kind: 'part', code: PARTS[0].code, amountFen: PARTS[0].priceFen, warranty: false }),
      expect.objectContaining({ kind: 'part', code: PARTS[1].code, amountFen: PARTS[1].priceFen, warranty: false }),
    ]);
    const dispatch = await h5.apiCall('GET', `/tickets/${ticket.id}/dispatch`, { token: contact.token });
    expect(dispatch).toMatchObject({ crewId: crew.id, state: 'finished', arrivalProof: 'geofence', distanceM: 0, remote: false });
  });
});
