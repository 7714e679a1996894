import { DutyAlert } from './duty-alert.entity';
import { DutyHandover } from './duty-handover.entity';
import { DutyShiftRow } from './duty-shift.entity';
import { DutySwap } from './duty-swap.entity';
import { DutyTemplate, DutyTemplateSlotRow } from './duty-template.entity';

export const DUTY_ENTITIES: Function[] = [DutyShiftRow, DutyTemplate, DutyTemplateSlotRow, DutySwap, DutyHandover, DutyAlert];
