export * from './tickets';
export * from './roles';
export * from './errors';
export * from './queues';
export * from './org';
export * from './auth';
