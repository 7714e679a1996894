import { CrewArea, CrewSkill, TicketDispatch, WorkLine } from './dispatch.entities';

export const DISPATCH_ENTITIES: Function[] = [CrewSkill, CrewArea, TicketDispatch, WorkLine];
