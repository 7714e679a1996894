import { NotificationDeliveryState, NotificationKind } from '@qihu/contracts';
import { TransactionRunner } from '../src/infra/database/transaction';
import { WriteBatch } from '../src/infra/database/write-batch';
import { Person } from '../src/modules/identity/person.entity';
import { Notification, NotificationOutbox } from '../src/modules/notify/entities';
import { startTestApp, TestApp } from './harness';

/**
 * The transaction machinery of the hot paths on the real MariaDB/MySQL: rows queued on a
 * transaction go out in batches, before its next statement or with its COMMIT, and the whole
 * change still commits or rolls back as one.
 */
describe('transactions with pending rows (e2e, real database)', () => {
  let t: TestApp;
  let transactions: TransactionRunner;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp();
    transactions = t.app.get(TransactionRunner);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** What each transaction sends, one entry per round trip (the once-per-connection SET SESSION left out). */
  const roundTrips = async (work: () => Promise<unknown>): Promise<string[]> => {
    const sent: string[] = [];
    const create = t.db.createQueryRunner.bind(t.db);
    const spy = jest.spyOn(t.db, 'createQueryRunner').mockImplementation((mode) => {
      const runner = create(mode);
      const original = runner.query.bind(runner) as (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;
      runner.query = ((sql: string, params?: unknown[], structured?: boolean) => {
        if (!sql.startsWith('SET SESSION')) sent.push(sql);
        return original(sql, params, structured);
      }) as typeof runner.query;
      return runner;
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    return sent;
  };

  const person = (name: string): Partial<Person> => {
    const at = new Date();
    return { name, phone: null, openid: `o-tx-${process.pid}-${++seq}`, unionid: null, createdAt: at, updatedAt: at };
  };

  const notification = (personId: number | ReturnType<WriteBatch['insert']>): Record<string, unknown> => ({
    personId,
    kind: NotificationKind.TicketAssigned,
    ticketId: null,
    title: '事务测试',
    body: '事务测试',
    page: 'pages/index/index',
    data: { note: '事务测试' },
    createdAt: new Date(),
    readAt: null,
  });

  it('writes queued rows with their generated ids, a later row naming an earlier one', async () => {
    const alice = person('事务甲');
    let outboxOf: ReturnType<WriteBatch['insert']> | null = null;
    await transactions.run(async (tx) => {
      tx.pending.insert(Person, alice);
      await tx.flush();
      expect(typeof alice.id).toBe('number');
      outboxOf = tx.pending.insert(Notification, notification(alice.id!));
      tx.pending.insert(NotificationOutbox, {
        notificationId: outboxOf,
        state: NotificationDeliveryState.Pending,
        attempts: 0,
        dueAt: new Date(),
        msgid: null,
        updatedAt: new Date(),
      });
    });
    const id = outboxOf!.value;
    expect(await t.db.getRepository(Notification).findOneByOrFail({ id })).toMatchObject({ personId: alice.id, data: expect.anything() });
    expect(await t.db.getRepository(NotificationOutbox).findOneByOrFail({ notificationId: id })).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('sends a change that is nothing but rows in one round trip: START, the rows, COMMIT', async () => {
    const batch = new WriteBatch();
    batch.insert(Person, person('事务乙'));
    batch.insert(Person, person('事务丙'));
    const sent = await roundTrips(() => transactions.runBatch(batch));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^START TRANSACTION;\nINSERT INTO `person` .*;\nINSERT INTO `person` .*;\nCOMMIT$/s);
    expect(await t.db.getRepository(Person).countBy({ name: '事务乙' })).toBe(1);
    expect(await t.db.getRepository(Person).countBy({ name: '事务丙' })).toBe(1);
  });

  it('begins with the first statement, sends pending rows before a read (which sees them), and commits with the last rows', async () => {
    const first = person('事务丁');
    const last = person('事务戊');
    let seen = 0;
    const sent = await roundTrips(() =>
      transactions.run(async (tx) => {
        tx.pending.insert(Person, first);
        const [row] = await tx.manager.query('SELECT COUNT(*) AS n FROM person WHERE name = ?', ['事务丁']);
        seen = Number(row.n);
        tx.pending.insert(Person, last);
      }),
    );
    expect(seen).toBe(1);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^START TRANSACTION;\nINSERT INTO `person` [^;]*$/);
    expect(sent[1]).toMatch(/^SELECT COUNT/);
    expect(sent[2]).toMatch(/^INSERT INTO `person` [^;]*;\nCOMMIT$/);
    expect(await t.db.getRepository(Person).countBy({ name: '事务戊' })).toBe(1);
  });

  it('sends nothing at all for a transaction that wrote and read nothing', async () => {
    expect(await roundTrips(() => transactions.run(async () => 42))).toEqual([]);
  });

  it("rolls back everything, TypeORM's own save() included, when the work fails after it", async () => {
    await expect(
      transactions.run(async (tx) => {
        tx.pending.insert(Person, person('事务己'));
        await tx.manager.save(tx.manager.create(Person, person('事务庚')));
        tx.pending.insert(Person, person('事务辛'));
        throw new Error('the change failed half way');
      }),
    ).rejects.toThrow('the change failed half way');
    for (const name of ['事务己', '事务庚', '事务辛']) expect(await t.db.getRepository(Person).countBy({ name })).toBe(0);
  });

  it('rolls back the rows already sent when a row sent with COMMIT is refused (a duplicate key)', async () => {
    const taken = person('事务壬');
    await t.db.getRepository(Person).insert(taken);
    await expect(
      transactions.run(async (tx) => {
        tx.pending.insert(Person, person('事务癸'));
        await tx.flush();
        tx.pending.insert(Person, { ...person('事务重'), openid: taken.openid });
      }),
    ).rejects.toMatchObject({ errno: 1062 });
    expect(await t.db.getRepository(Person).countBy({ name: '事务癸' })).toBe(0);
    expect(await t.db.getRepository(Person).countBy({ name: '事务重' })).toBe(0);
  });

  it('sends one START when the work reads in parallel, and keeps the reads apart', async () => {
    const sent = await roundTrips(() =>
      transactions.run(async (tx) => {
        const [a, b] = await Promise.all([tx.manager.query('SELECT 1 AS n'), tx.manager.query('SELECT 2 AS n')]);
        expect([Number(a[0].n), Number(b[0].n)]).toEqual([1, 2]);
      }),
    );
    expect(sent.filter((q) => q.startsWith('START'))).toHaveLength(1);
    expect(sent).toHaveLength(4); // START, the two reads, COMMIT
  });

  it('updates a row by its key with the columns of its entity', async () => {
    const p = person('事务子');
    await t.db.getRepository(Person).insert(p);
    const [{ id }] = await t.db.query('SELECT id FROM person WHERE name = ?', ['事务子']);
    const batch = new WriteBatch();
    const result = batch.update(Person, Number(id), { name: '事务丑', updatedAt: new Date('2026-12-01T00:00:00.000Z') });
    await transactions.runBatch(batch);
    expect(result.affectedRows).toBe(1);
    expect(await t.db.getRepository(Person).findOneByOrFail({ id: Number(id) })).toMatchObject({ name: '事务丑', updatedAt: new Date('2026-12-01T00:00:00.000Z') });
  });
});
