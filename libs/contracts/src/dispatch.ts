/** Crews, dispatch, on-site proof, work records and bills: see apps/api/src/modules/dispatch. */
export {};
