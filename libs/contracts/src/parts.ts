/** Unified price list, parts catalogue and stock (五统一): see apps/api/src/modules/parts. */
export {};
