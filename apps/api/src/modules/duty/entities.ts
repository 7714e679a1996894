export const DUTY_ENTITIES: Function[] = [];
