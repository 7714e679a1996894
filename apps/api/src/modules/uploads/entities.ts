export const UPLOAD_ENTITIES: Function[] = [];
