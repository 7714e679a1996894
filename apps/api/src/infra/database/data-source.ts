import * as mysql2 from 'mysql2';
import * as mysql2p from 'mysql2/promise';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import { Person } from '../../modules/identity/person.entity';
import { RefreshToken } from '../../modules/identity/refresh-token.entity';
import { RoleAssignment } from '../../modules/identity/role-assignment.entity';
import { Category } from '../../modules/org/category.entity';
import { Community } from '../../modules/org/community.entity';
import { Crew } from '../../modules/org/crew.entity';
import { Department } from '../../modules/org/department.entity';
import { FirmPlacement } from '../../modules/org/firm-placement.entity';
import { Firm } from '../../modules/org/firm.entity';
import { GridChangeRequest } from '../../modules/org/grid-change-request.entity';
import { Grid } from '../../modules/org/grid.entity';
import { Microgrid } from '../../modules/org/microgrid.entity';
import { SlaTimer } from '../../modules/sla/sla-timer.entity';
import { Ticket } from '../../modules/tickets/ticket.entity';
import { TicketEvent } from '../../modules/tickets/ticket-event.entity';
import { Skeleton1763900000000 } from './migrations/1763900000000-skeleton';
import { OrgIdentity1763900000001 } from './migrations/1763900000001-org-identity';
import { DISPATCH_ENTITIES } from '../../modules/dispatch/entities';
import { DUTY_ENTITIES } from '../../modules/duty/entities';
import { EQUIPMENT_ENTITIES } from '../../modules/equipment/entities';
import { NOTIFY_ENTITIES } from '../../modules/notify/entities';
import { PARTS_ENTITIES } from '../../modules/parts/entities';
import { UPLOAD_ENTITIES } from '../../modules/uploads/entities';
import { TicketRequesterRole1763900000002 } from './migrations/1763900000002-ticket-requester-role';
import { TicketPipeline1763900000003 } from './migrations/1763900000003-ticket-pipeline';
import { Uploads1763900000004 } from './migrations/1763900000004-uploads';
import { Duty1763900000005 } from './migrations/1763900000005-duty';
import { Notify1763900000006 } from './migrations/1763900000006-notify';
import { Equipment1763900000007 } from './migrations/1763900000007-equipment';
import { Parts1763900000008 } from './migrations/1763900000008-parts';
import { Dispatch1763900000009 } from './migrations/1763900000009-dispatch';

export const ENTITIES = [
  Community,
  Grid,
  Microgrid,
  Firm,
  FirmPlacement,
  Department,
  Category,
  Crew,
  GridChangeRequest,
  Person,
  RoleAssignment,
  RefreshToken,
  Ticket,
  TicketEvent,
  SlaTimer,
  ...UPLOAD_ENTITIES,
  ...DUTY_ENTITIES,
  ...NOTIFY_ENTITIES,
  ...EQUIPMENT_ENTITIES,
  ...PARTS_ENTITIES,
  ...DISPATCH_ENTITIES,
];
export const MIGRATIONS = [
  Skeleton1763900000000,
  OrgIdentity1763900000001,
  TicketRequesterRole1763900000002,
  TicketPipeline1763900000003,
  Uploads1763900000004,
  Duty1763900000005,
  Notify1763900000006,
  Equipment1763900000007,
  Parts1763900000008,
  Dispatch1763900000009,
];

/** UTC on the wire and in the columns: every instant is stored as datetime(3) UTC. */
export function createDataSource(db: AppConfig['db']): DataSource {
  return new DataSource({
    type: 'mysql',
    driver: mysql2,
    host: db.host,
    port: db.port,
    ...(db.socketPath ? { socketPath: db.socketPath } : {}),
    username: db.user,
    password: db.password,
    database: db.name,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: db.poolSize,
    // BIGINT ids come back as numbers (ours stay far below 2^53), not strings.
    supportBigNumbers: true,
    bigNumberStrings: false,
    // WriteBatch sends the rows of one change as several statements in one round trip. Every
    // statement here is parameterised, so stacking cannot carry injected SQL.
    multipleStatements: true,
    extra: {
      // mysql2 captures a stack trace on every query for its error messages: about 4 % of the
      // API's CPU at intake saturation. TypeORM's QueryFailedError names the query instead.
      trace: false,
    },
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  });
}

/** Dev convenience: create the database when it is missing (never in production, see config). */
export async function ensureDatabase(db: AppConfig['db']): Promise<void> {
  const conn = await mysql2p.createConnection({
    host: db.host,
    port: db.port,
    socketPath: db.socketPath,
    user: db.user,
    password: db.password,
  });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await conn.end();
  }
}
