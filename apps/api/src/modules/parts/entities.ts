export const PARTS_ENTITIES: Function[] = [];
