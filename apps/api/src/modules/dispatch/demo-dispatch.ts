import { MaintenanceSkill } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { Crew } from '../org/crew.entity';
import { CrewSkill } from './dispatch.entities';

/** The demo crews' skills (both serve the whole community): electrical and mechanical; hydraulic, boilers and paper machines. */
const DEMO_CREW_SKILLS: MaintenanceSkill[][] = [
  [MaintenanceSkill.Electrical, MaintenanceSkill.Mechanical, MaintenanceSkill.Other],
  [MaintenanceSkill.Hydraulic, MaintenanceSkill.Boiler, MaintenanceSkill.PaperMachine, MaintenanceSkill.Mechanical, MaintenanceSkill.Other],
];

export async function seedDemoDispatch(m: EntityManager, communityId: number): Promise<void> {
  const crews = await m.find(Crew, { where: { communityId }, order: { id: 'ASC' } });
  const rows = crews.flatMap((crew, i) => (DEMO_CREW_SKILLS[i] ?? []).map((skill) => ({ crewId: crew.id, skill })));
  if (rows.length) await m.insert(CrewSkill, rows);
}
