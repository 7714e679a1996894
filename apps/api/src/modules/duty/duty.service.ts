import { Injectable } from '@nestjs/common';
import { EscalationLevel } from '@qihu/contracts';
import { EntityManager } from 'typeorm';

/** Where a ticket sits, for the duty roster: the firm's grid and micro-grid, the category's department. */
export interface DutyPlacement {
  communityId: number;
  gridId: number;
  microgridId: number | null;
  departmentId: number | null;
}

export interface DutyHolding {
  /** The first level at or above the asked one with someone on duty (else the top). */
  level: EscalationLevel;
  /** Everyone on duty at that level, primary first; empty when nobody is. */
  holderIds: number[];
  /** Levels passed over, lowest first, with the domain's reason. */
  skipped: Array<{ level: EscalationLevel; reason: string }>;
}

@Injectable()
export class DutyService {
  /** Who holds a ticket at `level` (or the first staffed level above it) at instant `at`, from the rosters. */
  async holdersFrom(_manager: EntityManager, _placement: DutyPlacement, _level: EscalationLevel, _at: Date): Promise<DutyHolding> {
    throw new Error('DutyService.holdersFrom: being built');
  }
}
