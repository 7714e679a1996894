import { FirmScale, MicrogridKind, OrgWarningCode, Role } from '@qihu/contracts';
import { OrgSnapshot, orgWarnings } from '../org-warning.rules';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

/**
 * One healthy grid (band 2–10): a single-firm micro-grid with its above-scale firm and a
 * small-firm micro-grid of 3, each with 2 leaders; leader, member, part-timer and instructor.
 */
function healthy(): Mutable<OrgSnapshot> {
  return {
    band: { min: 2, max: 10 },
    grids: [{ id: 1, code: '330206101001001', name: '第一网格' }],
    microgrids: [
      { id: 11, gridId: 1, code: '33020610100100101', name: '一企一格1', kind: MicrogridKind.SingleFirm },
      { id: 12, gridId: 1, code: '33020610100100102', name: '片区2', kind: MicrogridKind.SmallFirms },
    ],
    firms: [
      { id: 101, name: '大厂', scale: FirmScale.Above, gridId: 1, microgridId: 11 },
      { id: 102, name: '小厂甲', scale: FirmScale.Below, gridId: 1, microgridId: 12 },
      { id: 103, name: '小厂乙', scale: FirmScale.Below, gridId: 1, microgridId: 12 },
      { id: 104, name: '小厂丙', scale: FirmScale.Below, gridId: 1, microgridId: 12 },
    ],
    roles: [
      { personId: 1, role: Role.GridLeader, gridId: 1, microgridId: null },
      { personId: 2, role: Role.GridMember, gridId: 1, microgridId: null },
      { personId: 3, role: Role.GridPartTime, gridId: 1, microgridId: null },
      { personId: 4, role: Role.GridInstructor, gridId: 1, microgridId: null },
      { personId: 5, role: Role.MicrogridLeader, gridId: null, microgridId: 11 },
      { personId: 6, role: Role.MicrogridLeader, gridId: null, microgridId: 11 },
      { personId: 7, role: Role.MicrogridLeader, gridId: null, microgridId: 12 },
      { personId: 8, role: Role.MicrogridLeader, gridId: null, microgridId: 12 },
    ],
  };
}

const GRID = '330206101001001';
const SINGLE = '33020610100100101';
const SMALL = '33020610100100102';

describe('orgWarnings', () => {
  it('has nothing to say about a well-kept grid', () => {
    expect(orgWarnings(healthy())).toEqual([]);
  });

  it('has nothing to say about a community without grids', () => {
    expect(orgWarnings({ band: { min: 20, max: 50 }, grids: [], microgrids: [], firms: [], roles: [] })).toEqual([]);
  });

  describe('firms per grid against the community band', () => {
    it('warns below the band', () => {
      const org = healthy();
      org.band = { min: 5, max: 10 };
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.GridFirmCountOutOfBand, message: '网格「第一网格」现有 4 家企业，少于社区设定的 5–10 家', gridCode: GRID },
      ]);
    });

    it('warns above the band', () => {
      const org = healthy();
      org.band = { min: 1, max: 3 };
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.GridFirmCountOutOfBand, message: '网格「第一网格」现有 4 家企业，多于社区设定的 1–3 家', gridCode: GRID },
      ]);
    });

    it('accepts both ends of the band', () => {
      for (const band of [{ min: 4, max: 10 }, { min: 1, max: 4 }]) {
        const org = healthy();
        org.band = band;
        expect(orgWarnings(org)).toEqual([]);
      }
    });

    it('counts an empty grid as zero firms', () => {
      const org = healthy();
      org.grids.push({ id: 2, code: '330206101001002', name: '第二网格' });
      org.roles.push(
        ...[Role.GridLeader, Role.GridMember, Role.GridPartTime, Role.GridInstructor].map((role, i) => ({ personId: 20 + i, role, gridId: 2, microgridId: null })),
      );
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.GridFirmCountOutOfBand, message: '网格「第二网格」现有 0 家企业，少于社区设定的 2–10 家', gridCode: '330206101001002' },
      ]);
    });
  });

  describe('firms per small-firm micro-grid (2–5)', () => {
    it('warns about one firm and about six, not about two or five', () => {
      const sizes = new Map<number, boolean>([[1, true], [2, false], [5, false], [6, true]]);
      for (const [size, warned] of sizes) {
        const org = healthy();
        org.firms = [org.firms[0], ...Array.from({ length: size }, (_, i) => ({ id: 200 + i, name: `小厂${i}`, scale: FirmScale.Below, gridId: 1, microgridId: 12 }))];
        const expected = warned
          ? [{ code: OrgWarningCode.SmallFirmMicrogridOutOfBand, message: `微网格「片区2」现有 ${size} 家企业，多企一格宜为 2–5 家`, gridCode: GRID, microgridCode: SMALL }]
          : [];
        expect(orgWarnings(org)).toEqual(expected);
      }
    });

    it('does not apply the 2–5 band to parks, buildings or blocks', () => {
      const org = healthy();
      org.microgrids[1].kind = MicrogridKind.Park;
      org.firms = [org.firms[0], ...Array.from({ length: 7 }, (_, i) => ({ id: 300 + i, name: `园区企业${i}`, scale: FirmScale.Below, gridId: 1, microgridId: 12 }))];
      expect(orgWarnings(org)).toEqual([]);
    });
  });

  describe('above-scale firms (一企一格)', () => {
    it('warns about an above-scale firm sharing its micro-grid, with the firm id', () => {
      const org = healthy();
      org.firms[1] = { ...org.firms[1], scale: FirmScale.Above };
      expect(orgWarnings(org)).toEqual([
        {
          code: OrgWarningCode.LargeFirmSharesMicrogrid,
          message: '规上企业「小厂甲」与其他 2 家企业同在微网格「片区2」，宜一企一格',
          gridCode: GRID,
          microgridCode: SMALL,
          firmId: 102,
        },
      ]);
    });

    it('warns about a firm moved into the above-scale firm micro-grid (and not about the smaller firm)', () => {
      const org = healthy();
      org.firms[1] = { ...org.firms[1], microgridId: 11 };
      org.firms.push({ id: 105, name: '小厂丁', scale: FirmScale.Below, gridId: 1, microgridId: 12 });
      expect(orgWarnings(org)).toEqual([
        {
          code: OrgWarningCode.LargeFirmSharesMicrogrid,
          message: '规上企业「大厂」与其他 1 家企业同在微网格「一企一格1」，宜一企一格',
          gridCode: GRID,
          microgridCode: SINGLE,
          firmId: 101,
        },
      ]);
    });

    it('warns about an above-scale firm alone in a micro-grid that is not single-firm', () => {
      const org = healthy();
      org.microgrids[0].kind = MicrogridKind.Building;
      expect(orgWarnings(org)).toEqual([
        {
          code: OrgWarningCode.LargeFirmSharesMicrogrid,
          message: '规上企业「大厂」所在微网格「一企一格1」不是一企一格',
          gridCode: GRID,
          microgridCode: SINGLE,
          firmId: 101,
        },
      ]);
    });
  });

  describe('micro-grid leaders (exactly 2)', () => {
    it('warns about one leader, three leaders and none', () => {
      const org = healthy();
      org.roles = org.roles.filter((r) => r.personId !== 6);
      org.roles.push({ personId: 9, role: Role.MicrogridLeader, gridId: null, microgridId: 12 });
      org.microgrids.push({ id: 13, gridId: 1, code: '33020610100100103', name: '楼宇3', kind: MicrogridKind.Building });
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.MicrogridLeadersMissing, message: '微网格「一企一格1」现有 1 名微网格长，应为 2 名', gridCode: GRID, microgridCode: SINGLE },
        { code: OrgWarningCode.MicrogridLeadersMissing, message: '微网格「片区2」现有 3 名微网格长，应为 2 名', gridCode: GRID, microgridCode: SMALL },
        { code: OrgWarningCode.MicrogridLeadersMissing, message: '微网格「楼宇3」现有 0 名微网格长，应为 2 名', gridCode: GRID, microgridCode: '33020610100100103' },
      ]);
    });

    it('counts a person holding the role twice on one micro-grid once', () => {
      const org = healthy();
      org.roles = org.roles.filter((r) => r.personId !== 6);
      org.roles.push({ personId: 5, role: Role.MicrogridLeader, gridId: null, microgridId: 11 });
      expect(orgWarnings(org).map((w) => w.code)).toEqual([OrgWarningCode.MicrogridLeadersMissing]);
    });
  });

  describe('grid staff (1+3)', () => {
    it('names every missing core role', () => {
      const org = healthy();
      org.roles = org.roles.filter((r) => r.role !== Role.GridMember && r.role !== Role.GridInstructor);
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.GridStaffIncomplete, message: '网格「第一网格」缺少专职网格员、网格指导员（应配齐 1+3 力量）', gridCode: GRID },
      ]);
    });

    it('does not count staff of another grid', () => {
      const org = healthy();
      org.roles = org.roles.map((r) => (r.role === Role.GridLeader ? { ...r, gridId: 2 } : r));
      expect(orgWarnings(org)).toEqual([
        { code: OrgWarningCode.GridStaffIncomplete, message: '网格「第一网格」缺少网格长（应配齐 1+3 力量）', gridCode: GRID },
      ]);
    });
  });

  it('orders warnings by grid code, grid warnings before its micro-grids', () => {
    const org = healthy();
    org.grids.unshift({ id: 2, code: '330206101001002', name: '第二网格' });
    org.band = { min: 1, max: 3 };
    org.roles = org.roles.filter((r) => r.personId !== 8 && r.role !== Role.GridLeader);
    expect(orgWarnings(org).map((w) => [w.code, w.gridCode, w.microgridCode])).toEqual([
      [OrgWarningCode.GridFirmCountOutOfBand, GRID, undefined],
      [OrgWarningCode.GridStaffIncomplete, GRID, undefined],
      [OrgWarningCode.MicrogridLeadersMissing, GRID, SMALL],
      [OrgWarningCode.GridFirmCountOutOfBand, '330206101001002', undefined],
      [OrgWarningCode.GridStaffIncomplete, '330206101001002', undefined],
    ]);
  });
});
