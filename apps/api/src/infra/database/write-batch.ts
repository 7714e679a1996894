import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The id a row of the batch will get, usable as a column value of a later row in the same
 * batch (a notification's outbox row names its notification) and readable once the batch ran.
 */
export class InsertedId {
  private resolved: number | null = null;
  /** The session variable that carries the id to later statements; set when one refers to it. */
  variable: string | null = null;

  get value(): number {
    if (this.resolved === null) throw new Error('the batch that inserts this row has not run yet');
    return this.resolved;
  }

  get isResolved(): boolean {
    return this.resolved !== null;
  }

  resolve(id: number): void {
    this.resolved = id;
  }
}

/** What MySQL answered to a statement of the batch; filled in when the batch has run. */
export class WriteResult {
  affectedRows = 0;
  insertId = 0;
}

/** The rows a SELECT of the batch read; filled in when the batch has run. */
export class SelectResult<T> {
  rows: T[] = [];
}

/** A row to insert: the entity's properties, where a column may take the id of an earlier row. */
export type BatchRow<T> = { [K in keyof T]?: T[K] | InsertedId };

type Pending =
  | { kind: 'insert'; target: EntityTarget<ObjectLiteral>; row: Record<string, unknown>; id: InsertedId }
  | { kind: 'update'; target: EntityTarget<ObjectLiteral>; key: number; changes: Record<string, unknown>; result: WriteResult }
  | { kind: 'statement'; sql: string; params: unknown[]; result: WriteResult }
  | { kind: 'select'; sql: string; params: unknown[]; result: SelectResult<unknown> };

/** The SQL of a batch and how to hand its results back. */
export interface BatchQuery {
  sql: string;
  params: unknown[];
  /** How many statements `sql` holds (MySQL answers one with its result, several with a list). */
  count: number;
  /** Takes the results of the batch's statements, in order. */
  settle(results: unknown[]): void;
}

/**
 * The rows of one change, written in one round trip: a multi-statement query of single-row
 * INSERTs (and any UPDATE the change needs, and reads that go with its answer), on the
 * caller's transaction or as a transaction of its own (TransactionRunner.runBatch).
 *
 * Why: on this pipeline a statement costs about as much in the Node process (driver, TypeORM,
 * the socket write and the wake-up of the database) as in the database itself, and an intake
 * writes some ten rows. Columns are mapped by the entities' TypeORM metadata, so the tables keep
 * one definition. TypeORM's own insert also re-reads columns with defaults, one more statement
 * per row, which nothing here needs.
 */
export class WriteBatch {
  private pending: Pending[] = [];

  /** Queues one row; its generated id is written onto `entity` (and the returned handle) when the batch runs. */
  insert<T extends ObjectLiteral>(target: EntityTarget<T>, entity: BatchRow<T>): InsertedId {
    const id = new InsertedId();
    this.pending.push({ kind: 'insert', target, row: entity as Record<string, unknown>, id });
    return id;
  }

  /** Queues an UPDATE of one row by its primary key, columns mapped like insert's. */
  update<T extends ObjectLiteral>(target: EntityTarget<T>, key: number, changes: Partial<T>): WriteResult {
    const result = new WriteResult();
    this.pending.push({ kind: 'update', target, key, changes: changes as Record<string, unknown>, result });
    return result;
  }

  /** Queues a statement of the caller's (an UPDATE); what it changed is in the result once the batch has run. */
  execute(sql: string, params: unknown[] = []): WriteResult {
    const result = new WriteResult();
    this.pending.push({ kind: 'statement', sql, params, result });
    return result;
  }

  /** Queues a read that goes with the change (the names its answer shows): no round trip of its own. */
  select<T>(sql: string, params: unknown[] = []): SelectResult<T> {
    const result = new SelectResult<T>();
    this.pending.push({ kind: 'select', sql, params, result: result as SelectResult<unknown> });
    return result;
  }

  /** Takes over what another batch has queued, after what this one has. */
  absorb(other: WriteBatch): void {
    this.pending.push(...other.pending);
    other.pending = [];
  }

  /**
   * The queued statements as one query, for the transaction that sends them (Tx.pending);
   * the batch is empty after. Null when nothing is queued.
   */
  take(manager: EntityManager): BatchQuery | null {
    if (this.pending.length === 0) return null;
    const pending = this.pending;
    this.pending = [];
    const referenced = new Set<InsertedId>();
    for (const p of pending) {
      if (p.kind === 'insert') for (const v of Object.values(p.row)) if (v instanceof InsertedId && !v.isResolved) referenced.add(v);
    }

    const statements: string[] = [];
    const params: unknown[] = [];
    /** Index in the result list of each pending entry's own statement. */
    const resultIndex: number[] = [];
    pending.forEach((p, i) => {
      resultIndex.push(statements.length);
      if (p.kind === 'statement' || p.kind === 'select') {
        statements.push(p.sql);
        params.push(...p.params);
        return;
      }
      const metadata = manager.connection.getMetadata(p.target);
      if (p.kind === 'update') {
        const sets = metadata.columns.filter((c) => c.propertyName in p.changes);
        if (sets.length === 0) throw new Error(`an update of ${metadata.tableName} ${p.key} changes nothing`);
        statements.push(
          `UPDATE \`${metadata.tableName}\` SET ${sets.map((c) => `\`${c.databaseName}\` = ?`).join(', ')} WHERE \`${metadata.primaryColumns[0].databaseName}\` = ?`,
        );
        params.push(...sets.map((c) => manager.connection.driver.preparePersistentValue(p.changes[c.propertyName], c)), p.key);
        return;
      }
      const columns: string[] = [];
      const values: string[] = [];
      for (const column of metadata.columns) {
        const value = p.row[column.propertyName];
        if (value === undefined) continue; // generated (the id) or left to its default
        columns.push(`\`${column.databaseName}\``);
        if (value instanceof InsertedId && !value.isResolved) {
          if (!value.variable) throw new Error('a row refers to the id of a row queued after it');
          values.push(value.variable);
        } else {
          values.push('?');
          params.push(manager.connection.driver.preparePersistentValue(value instanceof InsertedId ? value.value : value, column));
        }
      }
      statements.push(`INSERT INTO \`${metadata.tableName}\` (${columns.join(', ')}) VALUES (${values.join(', ')})`);
      if (referenced.has(p.id)) {
        p.id.variable = `@qihu_batch_${i}`;
        statements.push(`SET ${p.id.variable} = LAST_INSERT_ID()`);
      }
    });

    return {
      sql: statements.join(';\n'),
      params,
      count: statements.length,
      settle: (results) => {
        pending.forEach((p, i) => {
          const result = results[resultIndex[i]] as WriteResult;
          if (p.kind === 'select') {
            p.result.rows = result as unknown as unknown[];
            return;
          }
          if (p.kind === 'statement' || p.kind === 'update') {
            p.result.affectedRows = Number(result.affectedRows);
            p.result.insertId = Number(result.insertId);
            return;
          }
          p.id.resolve(Number(result.insertId));
          // Rows whose key is not generated (an outbox row's notification id) keep what they had.
          for (const generated of manager.connection.getMetadata(p.target).generatedColumns) {
            if (p.row[generated.propertyName] === undefined) p.row[generated.propertyName] = p.id.value;
          }
        });
      },
    };
  }
}
