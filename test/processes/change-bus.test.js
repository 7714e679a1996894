// Two API processes on one database and one Redis, as behind a load balancer. Each keeps the
// guard's roles and who is on duty in memory; a change made through one must reach the other at
// once (Redis pub/sub), not when its cache expires (CACHE_TTL_MS, a minute by default).
const { startApiProcess, tokenFor } = require('../support/api-process');

const json = { 'content-type': 'application/json' };
const auth = (token) => ({ authorization: `Bearer ${token}` });

/** Polls `probe` until it returns true; returns how long that took (fails after `timeoutMs`). */
async function within(timeoutMs, probe) {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

describe('changes reach every API process at once', () => {
  let a;
  let b;
  let db;
  let people;

  beforeAll(async () => {
    a = await startApiProcess();
    b = await a.spawnApi();
    db = await a.connectDb();
    people = await (await fetch(`${a.baseUrl}/api/v1/auth/demo-people`)).json();
  });

  afterAll(async () => {
    await db?.end();
    await a?.stop();
  });

  const admin = () => people.find((p) => p.roles.includes('社区管理员'));
  const contacts = () => people.filter((p) => p.roles.length === 1 && p.roles[0] === '企业联系人');

  it('refuses, in the other process, a token whose role was just revoked', async () => {
    const contact = contacts()[0];
    const token = await tokenFor(a.baseUrl, contact.id);
    const mine = () => fetch(`${b.baseUrl}/api/v1/tickets/mine`, { headers: auth(token) });
    // Process B has now seen (and kept) this caller's role.
    expect((await mine()).status).toBe(200);
    expect((await mine()).status).toBe(200);

    const me = await (await fetch(`${a.baseUrl}/api/v1/me`, { headers: auth(token) })).json();
    const adminToken = await tokenFor(a.baseUrl, admin().id);
    const revoked = await fetch(`${a.baseUrl}/api/v1/role-assignments/${me.activeRole.id}`, { method: 'DELETE', headers: auth(adminToken) });
    expect(revoked.status).toBe(204);

    const ms = await within(1000, async () => (await mine()).status === 401);
    process.stdout.write(`revocation reached the other process after ${ms} ms\n`);
    const refused = await mine();
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe('UNAUTHENTICATED');
  });

  it('routes the next ticket raised in the other process to whoever a new override put on duty', async () => {
    const contact = contacts()[1];
    const token = await tokenFor(a.baseUrl, contact.id);
    const { categoryId } = await (await fetch(`${b.baseUrl}/api/v1/intake/defaults`, { headers: auth(token) })).json();
    let seq = 0;
    const raise = async () => {
      const res = await fetch(`${b.baseUrl}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...json, ...auth(token), 'idempotency-key': `change-bus-${process.pid}-${++seq}` },
        body: JSON.stringify({ categoryId, description: '换班后的诉求' }),
      });
      expect(res.status).toBe(201);
      return res.json();
    };
    const before = await raise();
    expect(before.level).toBe(0);

    // Another member of the ticket's grid, not on duty now, takes the grid's level-0 duty from now on.
    const [[{ gridId }]] = await db.query('SELECT grid_id AS gridId FROM ticket WHERE id = ?', [before.id]);
    const [candidates] = await db.query(
      "SELECT person_id AS personId FROM role_assignment WHERE grid_id = ? AND role IN ('grid_member', 'grid_parttime') AND revoked_at IS NULL AND person_id <> ? ORDER BY id",
      [gridId, before.holder.personId],
    );
    expect(candidates.length).toBeGreaterThan(0);
    const stepIn = Number(candidates[0].personId);
    const adminToken = await tokenFor(a.baseUrl, admin().id);
    const now = Date.now();
    const override = await fetch(`${a.baseUrl}/api/v1/duty/overrides`, {
      method: 'POST',
      headers: { ...json, ...auth(adminToken) },
      body: JSON.stringify({ scopeKind: 'grid', scopeId: gridId, level: 0, personId: stepIn, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 2 * 3600_000).toISOString(), note: '临时替班' }),
    });
    expect(override.status).toBe(201);

    const after = await raise();
    expect(after.holder.personId).toBe(stepIn);
  });
});
