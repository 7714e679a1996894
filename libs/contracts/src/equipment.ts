/** Equipment files (一设备一档): see apps/api/src/modules/equipment. */
export {};
