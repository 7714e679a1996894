export const EQUIPMENT_ENTITIES: Function[] = [];
