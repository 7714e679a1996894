import { Equipment } from './equipment.entity';

export const EQUIPMENT_ENTITIES: Function[] = [Equipment];
