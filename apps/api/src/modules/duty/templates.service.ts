import { Injectable, Logger } from '@nestjs/common';
import { DutyTemplateView, ErrorCode, ShiftSource } from '@qihu/contracts';
import { Interval } from '@qihu/domain';
import { EntityManager, In, IsNull } from 'typeorm';
import { ChangeBus, ChangeTopic } from '../../infra/cache/change-bus';
import { Clock } from '../../infra/clock';
import { isDuplicateKey } from '../../infra/database/errors';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { DutyAccess, DutyTarget } from './duty-access';
import { DutyShiftRow } from './duty-shift.entity';
import { DutyTemplate, DutyTemplateSlotRow } from './duty-template.entity';
import { DutyNames, DutyViews } from './duty-views';
import { CreateDutyTemplateDto, DutyTemplateQueryDto, DutyTemplateSlotDto, UpdateDutyTemplateDto } from './dto/duty.dto';
import { dutyLevelLabel, MATERIALISE_AHEAD_MS, MAX_SHIFT_MS, occurrencesToMaterialise } from './duty.rules';
import { DutyShiftsService } from './shifts.service';

type SlotInput = Pick<DutyTemplateSlotDto, 'weekday' | 'start' | 'end' | 'personId'> & { backupPersonId?: number | null };

/** Slots in a canonical order, so "the same template again" compares equal whatever order it was sent in. */
function canonicalSlots(slots: readonly SlotInput[]): string {
  return JSON.stringify(
    slots
      .map((s) => [s.weekday, s.start, s.end, s.personId, s.backupPersonId ?? null])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
}

/**
 * Weekly templates and their materialisation into shifts (Asia/Shanghai wall clock, stored UTC).
 * Creating or editing a template materialises it at once from now to MATERIALISE_AHEAD_MS ahead;
 * the hourly housekeeping job extends every template as time moves on. Editing replaces the
 * future shifts the template made (cancelled, kept for the record); the shift running now, past
 * shifts, overrides and swapped shifts stay.
 */
@Injectable()
export class DutyTemplatesService {
  private readonly logger = new Logger(DutyTemplatesService.name);

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly access: DutyAccess,
    private readonly views: DutyViews,
    private readonly shifts: DutyShiftsService,
    private readonly changes: ChangeBus,
  ) {}

  async list(scope: Scope, query: DutyTemplateQueryDto): Promise<DutyTemplateView[]> {
    const m = this.transactions.manager;
    const qb = m.createQueryBuilder(DutyTemplate, 't').where('t.deleted_at IS NULL').orderBy('t.scope_kind').addOrderBy('t.scope_id').addOrderBy('t.level');
    if ((query.scopeKind === undefined) !== (query.scopeId === undefined)) {
      throw new AppError(ErrorCode.ValidationFailed, '请同时指定 scopeKind 与 scopeId', { fields: [{ field: 'scopeId', reason: '须与 scopeKind 同时提供' }] });
    }
    if (query.scopeKind !== undefined && query.scopeId !== undefined) {
      await this.access.readable(scope, { scopeKind: query.scopeKind, scopeId: query.scopeId }, m);
      qb.andWhere('t.scope_kind = :kind AND t.scope_id = :sid', { kind: query.scopeKind, sid: query.scopeId });
    }
    const readable = this.access.readableWhere(await this.access.viewer(scope, m), 't');
    qb.andWhere(readable.sql, readable.params);
    return this.viewsOf(m, scope.communityId, await qb.getMany());
  }

  async get(scope: Scope, id: number): Promise<DutyTemplateView> {
    const template = await this.visible(scope, id, this.transactions.manager);
    const [view] = await this.viewsOf(this.transactions.manager, scope.communityId, [template]);
    return view;
  }

  /**
   * One live template per scope and level. Sending the same template again answers the existing
   * one; a different one for a roster that has a template is 409 (edit that template instead).
   */
  async create(scope: Scope, input: CreateDutyTemplateDto): Promise<DutyTemplateView> {
    const m = this.transactions.manager;
    const target = await this.access.manageable(scope, input, m);
    if (!target.active) throw new AppError(ErrorCode.ValidationFailed, `${target.name}已撤销，不能排班`);
    this.access.assertLevel(target, input.level);
    await this.checkSlots(m, target, input);
    const name = input.name ?? '';
    const now = this.clock.now();
    let id: number;
    try {
      id = await this.transactions.run(async ({ manager, afterCommit }) => {
        afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
        const existing = await manager.findOne(DutyTemplate, {
          where: { scopeKind: target.scopeKind, scopeId: target.scopeId, level: input.level, deletedAt: IsNull() },
          lock: { mode: 'pessimistic_write' },
        });
        if (existing) {
          const slots = await manager.findBy(DutyTemplateSlotRow, { templateId: existing.id });
          if (existing.name === name && canonicalSlots(slots.map(slotInput)) === canonicalSlots(input.slots)) return existing.id;
          throw new AppError(ErrorCode.AlreadyExists, `${target.name}的${dutyLevelLabel(target.scopeKind, input.level)}值班已有排班模板，请修改该模板`, { templateId: existing.id });
        }
        const template = await manager.save(
          manager.create(DutyTemplate, {
            communityId: target.communityId,
            scopeKind: target.scopeKind,
            scopeId: target.scopeId,
            level: input.level,
            name,
            materialisedUntil: now,
            createdBy: scope.personId,
            createdAt: now,
            updatedAt: now,
            deletedAt: null,
          }),
        );
        await this.replaceSlots(manager, template.id, input.slots);
        await this.materialise(manager, template, 'fresh', now);
        return template.id;
      });
    } catch (err) {
      // A racing create of the same roster's template lost on the unique key: answer as the winner would.
      if (isDuplicateKey(err)) throw new AppError(ErrorCode.AlreadyExists, `${target.name}的${dutyLevelLabel(target.scopeKind, input.level)}值班已有排班模板，请修改该模板`);
      throw err;
    }
    return this.get(scope, id);
  }

  /** Replaces the weekly pattern; the future shifts it made are replaced too. The same pattern again changes nothing. */
  async update(scope: Scope, id: number, input: UpdateDutyTemplateDto): Promise<DutyTemplateView> {
    const m = this.transactions.manager;
    const current = await this.visible(scope, id, m);
    const target = await this.access.manageable(scope, current, m);
    if (!target.active) throw new AppError(ErrorCode.ValidationFailed, `${target.name}已撤销，不能排班`);
    await this.checkSlots(m, target, { level: current.level, slots: input.slots });
    const now = this.clock.now();
    await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      const template = await manager.findOne(DutyTemplate, { where: { id, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!template) throw new AppError(ErrorCode.DutyTemplateNotFound);
      const slots = await manager.findBy(DutyTemplateSlotRow, { templateId: id });
      const name = input.name ?? template.name;
      if (name === template.name && canonicalSlots(slots.map(slotInput)) === canonicalSlots(input.slots)) return;
      await manager.update(DutyTemplate, { id }, { name, updatedAt: now });
      await this.replaceSlots(manager, id, input.slots);
      await this.cancelFutureShifts(manager, id, now);
      await this.materialise(manager, template, 'fresh', now);
    });
    return this.get(scope, id);
  }

  /** Deletes the template and the future shifts it made; the running one stays. Deleting twice is fine. */
  async remove(scope: Scope, id: number): Promise<void> {
    const m = this.transactions.manager;
    // A deleted template is still found here, so that deleting it again answers as the first time.
    const template = await m.findOneBy(DutyTemplate, { id, communityId: scope.communityId });
    const [target] = template ? await this.access.targets(m, scope.communityId, [template]) : [];
    if (!template || !target || !this.access.canRead(await this.access.viewer(scope, m), target)) throw new AppError(ErrorCode.DutyTemplateNotFound);
    if (!this.access.canManage(scope, target)) throw new AppError(ErrorCode.Forbidden, `无权管理${target.name}的值班表`);
    if (template.deletedAt) return;
    const now = this.clock.now();
    await this.transactions.run(async ({ manager, afterCommit }) => {
      afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, scope.communityId));
      const locked = await manager.findOne(DutyTemplate, { where: { id, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!locked) return;
      await manager.update(DutyTemplate, { id }, { deletedAt: now, updatedAt: now });
      await this.cancelFutureShifts(manager, id, now);
    });
  }

  /**
   * Housekeeping: keeps every live template materialised MATERIALISE_AHEAD_MS ahead of `now`,
   * one template per transaction. Safe to run in several processes at once (each run locks the
   * template and continues from where the last one stopped). Returns the shifts created.
   */
  async materialiseDue(now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + MATERIALISE_AHEAD_MS);
    const due = await this.transactions.manager
      .createQueryBuilder(DutyTemplate, 't')
      .select('t.id', 'id')
      .where('t.deleted_at IS NULL AND t.materialised_until < :horizon', { horizon })
      .orderBy('t.materialised_until', 'ASC')
      .getRawMany<{ id: number }>();
    let created = 0;
    for (const { id } of due) {
      try {
        created += await this.transactions.run(async ({ manager, afterCommit }) => {
          const template = await manager.findOne(DutyTemplate, { where: { id, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
          if (!template || template.materialisedUntil >= horizon) return 0;
          const [target] = await this.access.targets(manager, template.communityId, [template]);
          if (!target?.active) return 0;
          afterCommit(async () => this.changes.publish(ChangeTopic.DutyRosters, template.communityId));
          // Left behind for a while (the service was down): start from now, past occurrences are not invented.
          return this.materialise(manager, template, template.materialisedUntil < now ? 'fresh' : 'extend', now);
        });
      } catch (err) {
        this.logger.warn({ err, templateId: id }, 'template could not be materialised; retrying next run');
      }
    }
    return created;
  }

  /**
   * Writes the template's occurrences from `now` (fresh) or from where it stopped (extend) up to
   * MATERIALISE_AHEAD_MS ahead. Needs the template row locked by the caller. Returns the shifts created.
   */
  materialise(manager: EntityManager, template: DutyTemplate, mode: 'fresh' | 'extend', now: Date): Promise<number> {
    const from = mode === 'fresh' ? now.getTime() : template.materialisedUntil.getTime();
    return materialiseTemplate(manager, template, { start: from, end: now.getTime() + MATERIALISE_AHEAD_MS }, mode, now);
  }

  /** A live template of the caller's community in a roster they can read, else 404. */
  private async visible(scope: Scope, id: number, manager: EntityManager): Promise<DutyTemplate> {
    const template = await manager.findOneBy(DutyTemplate, { id, communityId: scope.communityId, deletedAt: IsNull() });
    if (!template) throw new AppError(ErrorCode.DutyTemplateNotFound);
    const [target] = await this.access.targets(manager, scope.communityId, [template]);
    if (!target || !this.access.canRead(await this.access.viewer(scope, manager), target)) throw new AppError(ErrorCode.DutyTemplateNotFound);
    return template;
  }

  private async checkSlots(manager: EntityManager, target: DutyTarget, input: { level: CreateDutyTemplateDto['level']; slots: readonly SlotInput[] }): Promise<void> {
    for (const [i, slot] of input.slots.entries()) {
      if (slot.backupPersonId === slot.personId) {
        throw new AppError(ErrorCode.ValidationFailed, '备班人员不能与值班人员相同', { fields: [{ field: `slots.${i}.backupPersonId`, reason: '不能与值班人员相同' }] });
      }
    }
    await this.access.assertFit(
      manager,
      target,
      input.level,
      input.slots.flatMap((s, i) => [
        { personId: s.personId, field: `slots.${i}.personId` },
        ...(s.backupPersonId ? [{ personId: s.backupPersonId, field: `slots.${i}.backupPersonId` }] : []),
      ]),
    );
  }

  private async replaceSlots(manager: EntityManager, templateId: number, slots: readonly SlotInput[]): Promise<void> {
    await manager.delete(DutyTemplateSlotRow, { templateId });
    await manager.insert(
      DutyTemplateSlotRow,
      slots.map((s) => ({ templateId, weekday: s.weekday, startTime: s.start, endTime: s.end, personId: s.personId, backupPersonId: s.backupPersonId ?? null })),
    );
  }

  /** The shifts the template made that have not started: cancelled (kept for the record), with swaps pending on them. */
  private async cancelFutureShifts(manager: EntityManager, templateId: number, now: Date): Promise<void> {
    const future = await manager
      .createQueryBuilder(DutyShiftRow, 's')
      .select('s.id', 'id')
      .where('s.template_id = :templateId AND s.source = :template AND s.starts_at >= :now AND s.cancelled_at IS NULL', { templateId, template: ShiftSource.Template, now })
      .getRawMany<{ id: number }>();
    await this.shifts.cancel(manager, future.map((r) => r.id), now);
  }

  private async viewsOf(manager: EntityManager, communityId: number, templates: readonly DutyTemplate[]): Promise<DutyTemplateView[]> {
    if (templates.length === 0) return [];
    const slots = await manager.find(DutyTemplateSlotRow, { where: { templateId: In(templates.map((t) => t.id)) }, order: { weekday: 'ASC', startTime: 'ASC', id: 'ASC' } });
    const names = await this.views.names(manager, communityId, slots.flatMap((s) => [s.personId, s.backupPersonId]), templates);
    return templates.map((t) => templateView(t, slots.filter((s) => s.templateId === t.id), names));
  }
}

function slotInput(s: DutyTemplateSlotRow): SlotInput {
  return { weekday: s.weekday as SlotInput['weekday'], start: s.startTime, end: s.endTime, personId: s.personId, backupPersonId: s.backupPersonId };
}

function templateView(t: DutyTemplate, slots: readonly DutyTemplateSlotRow[], names: DutyNames): DutyTemplateView {
  return {
    id: t.id,
    communityId: t.communityId,
    scopeKind: t.scopeKind,
    scopeId: t.scopeId,
    scopeName: names.scope(t.scopeKind, t.scopeId),
    level: t.level,
    levelLabel: dutyLevelLabel(t.scopeKind, t.level),
    name: t.name,
    slots: slots.map((s) => ({
      ...slotInput(s),
      personName: names.person(s.personId),
      backupPersonId: s.backupPersonId,
      backupPersonName: names.personOrNull(s.backupPersonId),
    })),
    materialisedUntil: t.materialisedUntil.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/**
 * Writes a template's occurrences over `window` (see occurrencesToMaterialise for `mode`),
 * leaving out what overrides and swaps of the roster hold, and moves its materialisedUntil to the
 * window's end. Returns the shifts created.
 */
export async function materialiseTemplate(manager: EntityManager, template: DutyTemplate, window: Interval, mode: 'fresh' | 'extend', now: Date): Promise<number> {
  const slots = await manager.findBy(DutyTemplateSlotRow, { templateId: template.id });
  const around = await manager
    .createQueryBuilder(DutyShiftRow, 's')
    .select(['s.startsAt', 's.endsAt', 's.source'])
    .where('s.scope_kind = :kind AND s.scope_id = :sid AND s.level = :level AND s.cancelled_at IS NULL', { kind: template.scopeKind, sid: template.scopeId, level: template.level })
    .andWhere('s.starts_at > :earliest AND s.starts_at < :until AND s.ends_at > :from', {
      earliest: new Date(window.start - MAX_SHIFT_MS),
      from: new Date(window.start),
      until: new Date(window.end),
    })
    .getMany();
  const interval = (s: DutyShiftRow) => ({ start: s.startsAt.getTime(), end: s.endsAt.getTime() });
  const fixed = around.filter((s) => s.source === ShiftSource.Override || s.source === ShiftSource.Swap).map(interval);
  const running = around.filter((s) => s.source === ShiftSource.Template && s.startsAt.getTime() < window.start).map(interval);
  const occurrences = occurrencesToMaterialise(slots.map(slotInput), window.start, window.end, mode, fixed, running);
  if (occurrences.length) {
    await manager.insert(
      DutyShiftRow,
      occurrences.map((o) => ({
        communityId: template.communityId,
        scopeKind: template.scopeKind,
        scopeId: template.scopeId,
        level: template.level,
        personId: o.slot.personId,
        backupPersonId: o.slot.backupPersonId ?? null,
        startsAt: new Date(o.start),
        endsAt: new Date(o.end),
        source: ShiftSource.Template,
        templateId: template.id,
        note: '',
        createdBy: null,
        createdAt: now,
        cancelledAt: null,
      })),
    );
  }
  await manager.update(DutyTemplate, { id: template.id }, { materialisedUntil: new Date(window.end) });
  return occurrences.length;
}
