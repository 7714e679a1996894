/** Duty rosters (24小时值守): see apps/api/src/modules/duty. */
export {};
