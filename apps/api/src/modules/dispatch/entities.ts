export const DISPATCH_ENTITIES: Function[] = [];
