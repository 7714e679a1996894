/**
 * Grid and micro-grid codes. Our format (a choice of this project, documented here):
 *
 *   community code  12 digits: the community's statistical division code (统计用区划代码:
 *                   province 2, city 2, county 2, town/street 3, village/community 3)
 *   grid code       community code + 3-digit grid number 001–999                → 15 digits
 *   micro-grid code grid code + 2-digit micro-grid number 01–99                 → 17 digits
 *
 * So a micro-grid code names its grid and community by prefix, and a code is never reused: when a
 * grid is split or merged the new grids take new numbers and the old code keeps its history.
 */
export const COMMUNITY_CODE_LENGTH = 12;
export const GRID_CODE_LENGTH = 15;
export const MICROGRID_CODE_LENGTH = 17;

const COMMUNITY = /^[1-8]\d{11}$/;

export interface GridCodeParts {
  communityCode: string;
  gridNumber: number;
}

export interface MicrogridCodeParts extends GridCodeParts {
  gridCode: string;
  microgridNumber: number;
}

export function isValidCommunityCode(code: string): boolean {
  return COMMUNITY.test(code);
}

export function parseGridCode(code: string): GridCodeParts | null {
  if (code.length !== GRID_CODE_LENGTH || !/^\d+$/.test(code)) return null;
  const communityCode = code.slice(0, COMMUNITY_CODE_LENGTH);
  const gridNumber = Number(code.slice(COMMUNITY_CODE_LENGTH));
  if (!isValidCommunityCode(communityCode) || gridNumber === 0) return null;
  return { communityCode, gridNumber };
}

export function parseMicrogridCode(code: string): MicrogridCodeParts | null {
  if (code.length !== MICROGRID_CODE_LENGTH) return null;
  const gridCode = code.slice(0, GRID_CODE_LENGTH);
  const grid = parseGridCode(gridCode);
  const suffix = code.slice(GRID_CODE_LENGTH);
  if (!grid || !/^\d{2}$/.test(suffix) || suffix === '00') return null;
  return { ...grid, gridCode, microgridNumber: Number(suffix) };
}

export function isValidGridCode(code: string): boolean {
  return parseGridCode(code) !== null;
}

export function isValidMicrogridCode(code: string): boolean {
  return parseMicrogridCode(code) !== null;
}

export function makeGridCode(communityCode: string, gridNumber: number): string {
  if (!isValidCommunityCode(communityCode)) throw new RangeError(`not a community code: ${communityCode}`);
  if (!Number.isInteger(gridNumber) || gridNumber < 1 || gridNumber > 999) throw new RangeError(`grid number must be 1–999, got ${gridNumber}`);
  return communityCode + String(gridNumber).padStart(3, '0');
}

export function makeMicrogridCode(gridCode: string, microgridNumber: number): string {
  if (!isValidGridCode(gridCode)) throw new RangeError(`not a grid code: ${gridCode}`);
  if (!Number.isInteger(microgridNumber) || microgridNumber < 1 || microgridNumber > 99) {
    throw new RangeError(`micro-grid number must be 1–99, got ${microgridNumber}`);
  }
  return gridCode + String(microgridNumber).padStart(2, '0');
}

/** Whether a micro-grid belongs to a grid (by code prefix). */
export function isMicrogridOfGrid(microgridCode: string, gridCode: string): boolean {
  return parseMicrogridCode(microgridCode)?.gridCode === gridCode;
}
