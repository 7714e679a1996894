import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, MeView, PersonView, Role, ROLE_LABEL, RoleAssignmentView, RoleScope } from '@qihu/contracts';
import { isValidChineseMobile, maskChineseMobile, normalizeChineseMobile } from '@qihu/domain';
import { In, IsNull } from 'typeorm';
import { LRUCache } from 'lru-cache';
import { AppConfig, CONFIG } from '../../config/config';
import { ChangeBus, ChangeTopic } from '../../infra/cache/change-bus';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Community } from '../org/community.entity';
import { Crew } from '../org/crew.entity';
import { Department } from '../org/department.entity';
import { Firm } from '../org/firm.entity';
import { Grid } from '../org/grid.entity';
import { Microgrid } from '../org/microgrid.entity';
import { Caller, ROLE_SCOPE_FIELDS, Scope } from './caller';
import { InvitePersonDto } from './dto/invite-person.dto';
import { Person } from './person.entity';
import { RoleAssignment } from './role-assignment.entity';

/** Where a role assignment applies: the ids of its community and (at most one) narrower unit. */
function scopeIds(a: RoleAssignment): RoleScope {
  return {
    communityId: a.communityId,
    gridId: a.gridId,
    microgridId: a.microgridId,
    firmId: a.firmId,
    departmentId: a.departmentId,
    crewId: a.crewId,
  };
}

export function scopeOf(a: RoleAssignment): Scope {
  return { personId: a.personId, role: a.role, ...scopeIds(a) };
}

/** Callers kept per role assignment, at most this many (each a few hundred bytes). */
const CACHED_CALLERS = 20_000;

/** People, their roles and what each role may see. */
@Injectable()
export class IdentityService {
  /**
   * The guard's answer per role assignment id (false: revoked or never there): asked on every
   * request, changed only by a grant or a revocation, which every process hears at once.
   */
  private readonly callers: LRUCache<number, Caller | false> | null;

  constructor(
    @Inject(CONFIG) config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly changes: ChangeBus,
  ) {
    this.callers = config.cacheTtlMs > 0 ? new LRUCache({ max: CACHED_CALLERS, ttl: config.cacheTtlMs }) : null;
    changes.on(ChangeTopic.RoleAssignments, (id) => (id === null ? this.callers?.clear() : this.callers?.delete(Number(id))));
    changes.onReset(() => this.callers?.clear());
  }

  private get manager() {
    return this.transactions.manager;
  }

  /**
   * The caller behind an access token, or null when the person or the role is gone. One raw
   * query on every request (the guard's): an active assignment implies its person exists
   * (foreign key). Raw, because TypeORM's builder would cost more than the query itself here.
   */
  async callerOf(personId: number, roleAssignmentId: number | null): Promise<Caller | null> {
    if (roleAssignmentId === null) {
      const [person] = await this.manager.query('SELECT 1 AS found FROM person WHERE id = ?', [personId]);
      return person ? { personId, roleAssignmentId: null, scope: null } : null;
    }
    let caller = this.callers?.get(roleAssignmentId);
    if (caller === undefined) {
      const [a] = (await this.manager.query(
        `SELECT person_id AS personId, role, community_id AS communityId, grid_id AS gridId, microgrid_id AS microgridId,
           firm_id AS firmId, department_id AS departmentId, crew_id AS crewId
         FROM role_assignment WHERE id = ? AND revoked_at IS NULL`,
        [roleAssignmentId],
      )) as RoleAssignment[];
      caller = a ? { personId: a.personId, roleAssignmentId, scope: scopeOf(a) } : false;
      this.callers?.set(roleAssignmentId, caller);
    }
    // The token names the person too: an assignment of somebody else is no assignment.
    return caller && caller.personId === personId ? caller : null;
  }

  async activeAssignment(personId: number, id: number): Promise<RoleAssignment | null> {
    return this.manager.findOneBy(RoleAssignment, { id, personId, revokedAt: IsNull() });
  }

  async activeAssignments(personId: number): Promise<RoleAssignment[]> {
    return this.manager.find(RoleAssignment, {
      where: { personId, revokedAt: IsNull() },
      order: { id: 'ASC' },
    });
  }

  async requirePerson(id: number): Promise<Person> {
    const person = await this.manager.findOneBy(Person, { id });
    if (!person) throw new AppError(ErrorCode.PersonNotFound);
    return person;
  }

  async me(personId: number, roleAssignmentId: number | null): Promise<MeView> {
    const person = await this.requirePerson(personId);
    const view = (await this.personViews([person], true))[0];
    return {
      ...view,
      activeRole: view.roles.find((r) => r.id === roleAssignmentId) ?? null,
      needsPhone: person.phone === null,
    };
  }

  /**
   * People an admin or grid staff may see: the community's people for an admin, the people
   * holding roles in the grid (and its micro-grids and firms) for grid staff.
   */
  async listPeople(scope: Scope): Promise<PersonView[]> {
    const qb = this.manager
      .createQueryBuilder(RoleAssignment, 'ra')
      .select('DISTINCT ra.person_id', 'personId')
      .where('ra.revoked_at IS NULL AND ra.community_id = :community', { community: scope.communityId });
    if (scope.role !== Role.CommunityAdmin) {
      qb.andWhere(
        `(ra.grid_id = :grid
          OR ra.microgrid_id IN (SELECT m.id FROM microgrid m WHERE m.grid_id = :grid)
          OR ra.firm_id IN (SELECT fp.firm_id FROM firm_placement fp WHERE fp.grid_id = :grid
                            AND fp.effective_from <= :now AND (fp.effective_to IS NULL OR fp.effective_to > :now)))`,
        { grid: scope.gridId, now: this.clock.now() },
      );
    }
    const ids = (await qb.getRawMany<{ personId: number }>()).map((r) => Number(r.personId));
    if (ids.length === 0) return [];
    const people = await this.manager.find(Person, { where: { id: In(ids) }, order: { id: 'ASC' } });
    return this.personViews(people, scope.role === Role.CommunityAdmin, scope.communityId);
  }

  /**
   * Invites a person by phone into a role (staff link their WeChat when they first log in with
   * that phone). Idempotent: the same person, role and scope answer with the existing role.
   */
  async invite(scope: Scope, input: InvitePersonDto): Promise<{ person: PersonView; created: boolean }> {
    const phone = normalizeChineseMobile(input.phone);
    if (!phone || !isValidChineseMobile(phone)) {
      throw new AppError(ErrorCode.ValidationFailed, '手机号格式不正确', { fields: [{ field: 'phone', reason: '须为 11 位中国大陆手机号' }] });
    }
    if (input.role === Role.System) throw new AppError(ErrorCode.ValidationFailed, '不能授予系统角色');
    const required = ROLE_SCOPE_FIELDS[input.role];
    const fields = ['gridId', 'microgridId', 'firmId', 'departmentId', 'crewId'] as const;
    const problems = fields.flatMap((f) => {
      const given = input[f] !== undefined && input[f] !== null;
      if (required.includes(f) && !given) return [{ field: f, reason: `${ROLE_LABEL[input.role]}须指定` }];
      if (!required.includes(f) && given) return [{ field: f, reason: `${ROLE_LABEL[input.role]}不适用` }];
      return [];
    });
    if (problems.length) throw new AppError(ErrorCode.ValidationFailed, '角色与范围不匹配', { fields: problems });
    await this.assertInCommunity(scope.communityId, input);

    const now = this.clock.now();
    let created: number | null = null;
    const personId = await this.transactions.run(async ({ manager }) => {
      let person = await manager.findOne(Person, { where: { phone }, lock: { mode: 'pessimistic_write' } });
      if (!person) {
        person = manager.create(Person, { name: input.name, phone, openid: null, unionid: null, createdAt: now, updatedAt: now });
        await manager.save(person);
      }
      const scopeWhere = Object.fromEntries(fields.map((f) => [f, input[f] ?? IsNull()]));
      const existing = await manager.findOneBy(RoleAssignment, {
        personId: person.id,
        role: input.role,
        communityId: scope.communityId,
        revokedAt: IsNull(),
        ...scopeWhere,
      });
      if (!existing) {
        const { identifiers } = await manager.insert(RoleAssignment, {
          personId: person.id,
          role: input.role,
          communityId: scope.communityId,
          ...Object.fromEntries(fields.map((f) => [f, input[f] ?? null])),
          createdAt: now,
          revokedAt: null,
        });
        created = Number(identifiers[0].id);
      }
      return person.id;
    });
    // A new role can put someone on duty (their shifts now count): the rosters' caches hear it too.
    if (created !== null) this.changes.publish(ChangeTopic.RoleAssignments, created);
    const person = await this.requirePerson(personId);
    return { person: (await this.personViews([person], true, scope.communityId))[0], created: created !== null };
  }

  /** Revokes a role in the admin's community; revoking twice is a no-op. */
  async revoke(scope: Scope, roleAssignmentId: number): Promise<void> {
    const assignment = await this.manager.findOneBy(RoleAssignment, {
      id: roleAssignmentId,
      communityId: scope.communityId,
    });
    if (!assignment) throw new AppError(ErrorCode.RoleAssignmentNotFound);
    if (assignment.revokedAt) return;
    await this.manager.update(RoleAssignment, { id: assignment.id }, { revokedAt: this.clock.now() });
    this.changes.publish(ChangeTopic.RoleAssignments, assignment.id);
  }

  /** Every scope id given must name something in the community (else 404, nothing written). */
  private async assertInCommunity(
    communityId: number,
    ids: { gridId?: number | null; microgridId?: number | null; firmId?: number | null; departmentId?: number | null; crewId?: number | null },
  ): Promise<void> {
    const m = this.manager;
    if (ids.gridId && !(await m.existsBy(Grid, { id: ids.gridId, communityId }))) throw new AppError(ErrorCode.GridNotFound);
    if (ids.microgridId) {
      const mg = await m.findOneBy(Microgrid, { id: ids.microgridId });
      if (!mg || !(await m.existsBy(Grid, { id: mg.gridId, communityId }))) throw new AppError(ErrorCode.MicrogridNotFound);
    }
    if (ids.firmId && !(await m.existsBy(Firm, { id: ids.firmId, communityId }))) throw new AppError(ErrorCode.FirmNotFound);
    if (ids.departmentId && !(await m.existsBy(Department, { id: ids.departmentId, communityId }))) {
      throw new AppError(ErrorCode.DepartmentNotFound);
    }
    if (ids.crewId && !(await m.existsBy(Crew, { id: ids.crewId, communityId }))) throw new AppError(ErrorCode.NotFound, '维修队不存在');
  }

  /** Views with role labels; full phone numbers only for admins. */
  async personViews(people: Person[], fullPhone: boolean, communityId?: number): Promise<PersonView[]> {
    if (people.length === 0) return [];
    const assignments = await this.manager.find(RoleAssignment, {
      where: { personId: In(people.map((p) => p.id)), revokedAt: IsNull(), ...(communityId ? { communityId } : {}) },
      order: { id: 'ASC' },
    });
    const labels = await this.scopeLabels(assignments);
    return people.map((p) => ({
      id: p.id,
      name: p.name,
      phone: p.phone ? (fullPhone ? p.phone : maskChineseMobile(p.phone)) : '',
      linked: p.openid !== null,
      roles: assignments
        .filter((a) => a.personId === p.id)
        .map((a): RoleAssignmentView => ({
          id: a.id,
          role: a.role,
          roleLabel: ROLE_LABEL[a.role],
          scopeLabel: labels.get(a.id) ?? ROLE_LABEL[a.role],
          ...scopeIds(a),
        })),
    }));
  }

  /** 「第一网格 · 网格长」, 「宁波示范精密机械 · 企业联系人」 … for the role switcher. */
  private async scopeLabels(assignments: RoleAssignment[]): Promise<Map<number, string>> {
    const names = async <T extends { id: number; name: string }>(entity: new () => T, ids: Array<number | null>) => {
      const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
      if (wanted.length === 0) return new Map<number, string>();
      const rows = await this.manager.find(entity as never, { where: { id: In(wanted) } as never });
      return new Map((rows as T[]).map((r) => [r.id, r.name]));
    };
    const [communities, grids, microgrids, firms, departments, crews] = await Promise.all([
      names(Community, assignments.map((a) => a.communityId)),
      names(Grid, assignments.map((a) => a.gridId)),
      names(Microgrid, assignments.map((a) => a.microgridId)),
      names(Firm, assignments.map((a) => a.firmId)),
      names(Department, assignments.map((a) => a.departmentId)),
      names(Crew, assignments.map((a) => a.crewId)),
    ]);
    return new Map(
      assignments.map((a) => {
        const where =
          (a.firmId && firms.get(a.firmId)) ||
          (a.microgridId && microgrids.get(a.microgridId)) ||
          (a.gridId && grids.get(a.gridId)) ||
          (a.departmentId && departments.get(a.departmentId)) ||
          (a.crewId && crews.get(a.crewId)) ||
          communities.get(a.communityId) ||
          '';
        return [a.id, `${where} · ${ROLE_LABEL[a.role]}`];
      }),
    );
  }
}

