export const NOTIFY_ENTITIES: Function[] = [];
