import { FirmScale, MicrogridKind, Role } from '@qihu/contracts';
import { usccCheckDigit } from '@qihu/domain';
import { checkFirmRows, checkGridRows, checkMicrogridRows, checkStaffRows, RawRow, RosterContext, staffKey } from '../roster.rows';

const C = '330206101001';
const G1 = `${C}001`;
const M1 = `${G1}01`;
const credit = (n: number) => {
  const first17 = `91330206MA2${String(n).padStart(6, '0')}`;
  return first17 + usccCheckDigit(first17);
};

function context(): RosterContext {
  return {
    communityCode: C,
    grids: new Map([
      [G1, { id: 1, name: '第一网格', active: true }],
      [`${C}002`, { id: 2, name: '旧网格', active: false }],
    ]),
    microgrids: new Map([[M1, { id: 11, gridCode: G1, name: '片区1', kind: MicrogridKind.SmallFirms, active: true }]]),
    firms: new Map([
      [credit(1), { id: 101, name: '甲公司', scale: FirmScale.Above, industry: '机械', address: '一路1号', latitude: 29.9, longitude: 121.85, microgridCode: M1 }],
    ]),
    foreignCreditCodes: new Set([credit(9)]),
    departmentCodes: new Set(['economy']),
    crewNames: new Map([
      ['一队', 1],
      ['同名队', 2],
    ]),
    people: new Map([['13900000001', { id: 7, name: '王伟' }]]),
    assignments: new Set([staffKey('13900000001', Role.GridLeader, { gridCode: G1, microgridCode: null, firmCreditCode: null, departmentCode: null, crewName: null })]),
  };
}

let rowNo = 1;
const row = (cells: Record<string, string>, lossy: string[] = []): RawRow => ({ row: ++rowNo, cells, lossy: new Set(lossy) });
const reasons = (errors: Array<{ column: string; reason: string }>) => errors.map((e) => `${e.column}: ${e.reason}`);

beforeEach(() => {
  rowNo = 1;
});

describe('grid rows', () => {
  it('creates, updates and leaves alone by code', () => {
    const ctx = context();
    const r = checkGridRows([row({ 网格编码: G1, 网格名称: '第一网格' }), row({ 网格编码: `${C}003`, 网格名称: '第三网格' }), row({ 网格编码: G1.replace(/1$/, '4'), 网格名称: 'x' })], ctx);
    expect(r.errors).toEqual([]);
    expect(r.plans.map((p) => p.change)).toEqual(['same', 'create', 'create']);
    expect(ctx.grids.get(`${C}003`)).toEqual({ id: null, name: '第三网格', active: true });
    const renamed = checkGridRows([row({ 网格编码: G1, 网格名称: '一网格' })], context());
    expect(renamed.plans[0]).toMatchObject({ change: 'update', id: 1 });
  });

  it('refuses a foreign or malformed code, a withdrawn grid, duplicates and blanks', () => {
    const r = checkGridRows(
      [
        row({ 网格编码: '330206101002001', 网格名称: '外' }),
        row({ 网格编码: `${C}002`, 网格名称: '旧' }),
        row({ 网格编码: `${C}005`, 网格名称: '' }),
        row({ 网格编码: `${C}005`, 网格名称: '五' }),
        row({ 网格编码: `${C}006`, 网格名称: '长'.repeat(101) }),
      ],
      context(),
    );
    expect(r.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, '网格编码', `须为社区编码 ${C} 加 3 位序号，共 15 位数字`],
      [3, '网格编码', '该网格已撤销，不能再导入'],
      [4, '网格名称', '必填'],
      [5, '网格编码', '与第 4 行重复'],
      [6, '网格名称', '不能超过 100 个字'],
    ]);
    expect(r.errors[0].sheet).toBe('网格');
  });
});

describe('micro-grid rows', () => {
  it('needs the code to extend its grid, a known active grid and a kind label', () => {
    const r = checkMicrogridRows(
      [
        row({ 微网格编码: `${G1}02`, 微网格名称: '园区', 所属网格编码: G1, 类型: '一园一格' }),
        row({ 微网格编码: `${C}00301`, 微网格名称: 'a', 所属网格编码: G1, 类型: '多企一格' }),
        row({ 微网格编码: `${C}00201`, 微网格名称: 'b', 所属网格编码: `${C}002`, 类型: '园区' }),
        row({ 微网格编码: '123', 微网格名称: 'c', 所属网格编码: `${C}009`, 类型: '一楼一格' }),
      ],
      context(),
    );
    expect(r.plans).toEqual([{ row: 2, change: 'create', id: null, code: `${G1}02`, gridCode: G1, name: '园区', kind: MicrogridKind.Park }]);
    expect(reasons(r.errors)).toEqual([
      `微网格编码: 须以所属网格编码 ${G1} 开头`,
      '类型: 须为以下之一：一企一格、多企一格、一园一格、一楼一格、一区块一格',
      '所属网格编码: 该网格已撤销',
      '所属网格编码: 网格编码不存在',
      '微网格编码: 须为所属网格编码加 2 位序号，共 17 位数字',
    ]);
  });

  it('sees grids planned by an earlier sheet of the same file', () => {
    const ctx = context();
    checkGridRows([row({ 网格编码: `${C}007`, 网格名称: '七' })], ctx);
    const r = checkMicrogridRows([row({ 微网格编码: `${C}00701`, 微网格名称: '七1', 所属网格编码: `${C}007`, 类型: '一企一格' })], ctx);
    expect(r.errors).toEqual([]);
  });
});

describe('firm rows', () => {
  const firm = (over: Record<string, string> = {}) =>
    row({ 企业名称: '甲公司', 统一社会信用代码: credit(1), 规模: '规上', 行业: '机械', 地址: '一路1号', 纬度: '29.9', 经度: '121.85', 微网格编码: M1, ...over });

  it('is unchanged when every field matches, updated when one differs, and moved when the micro-grid differs', () => {
    const ctx = context();
    ctx.microgrids.set(`${G1}02`, { id: 12, gridCode: G1, name: '片区2', kind: MicrogridKind.SmallFirms, active: true });
    expect(checkFirmRows([firm()], ctx).plans[0]).toMatchObject({ change: 'same', place: false, fieldsChanged: false });
    expect(checkFirmRows([firm({ 地址: '二路2号' })], ctx).plans[0]).toMatchObject({ change: 'update', place: false, fieldsChanged: true });
    expect(checkFirmRows([firm({ 微网格编码: `${G1}02` })], ctx).plans[0]).toMatchObject({ change: 'update', place: true, fieldsChanged: false });
    expect(checkFirmRows([firm({ 统一社会信用代码: credit(2).toLowerCase() })], ctx).plans[0]).toMatchObject({ change: 'create', creditCode: credit(2) });
  });

  it('explains credit code problems in Chinese, as OrgService does', () => {
    const wrongCheck = credit(3).slice(0, 17) + (credit(3)[17] === 'A' ? 'B' : 'A');
    const r = checkFirmRows(
      [
        firm({ 统一社会信用代码: '91330206MA2' }),
        firm({ 统一社会信用代码: '91330206MA2OOOOOOX' }),
        firm({ 统一社会信用代码: wrongCheck }),
        firm({ 统一社会信用代码: credit(9) }),
        firm({ 统一社会信用代码: '' }),
      ],
      context(),
    );
    expect(reasons(r.errors)).toEqual([
      '统一社会信用代码: 须为 18 位',
      '统一社会信用代码: 含有不允许的字符（不使用 I、O、Z、S、V）',
      '统一社会信用代码: 校验位不正确',
      '统一社会信用代码: 该信用代码已在其他社区登记',
      '统一社会信用代码: 必填',
    ]);
  });

  it('checks scale, coordinates and the micro-grid', () => {
    const r = checkFirmRows(
      [
        firm({ 统一社会信用代码: credit(4), 规模: '大', 纬度: '北纬30', 经度: '200' }),
        firm({ 统一社会信用代码: credit(5), 纬度: '', 微网格编码: `${G1}99` }),
      ],
      context(),
    );
    expect(r.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, '规模', '须为 规上 或 规下'],
      [2, '纬度', '须为数字（度，如 29.9012）'],
      [2, '经度', '须在 -180 到 180 之间'],
      [3, '纬度', '纬度和经度须同时填写'],
      [3, '微网格编码', '微网格编码不存在'],
    ]);
  });

  it('rounds coordinates to the 6 decimals the database keeps, so a re-import is unchanged', () => {
    const r = checkFirmRows([firm({ 纬度: '29.90000004', 经度: '121.8500001' })], context());
    expect(r.plans[0]).toMatchObject({ latitude: 29.9, longitude: 121.85, change: 'same' });
  });

  it('flags a code Excel turned into a rounded number', () => {
    const cells = { ...firm().cells, 微网格编码: '33020610100100100' };
    const r = checkFirmRows([row(cells, ['微网格编码'])], context());
    expect(reasons(r.errors)).toEqual(['微网格编码: 数字位数过多，Excel 已改变了它：请把此列设为文本格式后重新填写']);
  });
});

describe('staff rows', () => {
  const staff = (over: Record<string, string>) =>
    row({ 姓名: '李娜', 手机号: '13900000002', 角色: '网格长', 网格编码: '', 微网格编码: '', 企业信用代码: '', 部门编码: '', 维修队名称: '', ...over });

  it('keys by phone, role and scope; renames count as updates', () => {
    const r = checkStaffRows(
      [
        staff({ 姓名: '王伟', 手机号: '13900000001', 网格编码: G1 }),
        staff({ 姓名: '王伟', 手机号: '139 0000 0001', 角色: '微网格长', 微网格编码: M1 }),
        staff({ 手机号: '+8613900000002', 角色: '企业联系人', 企业信用代码: credit(1).toLowerCase() }),
      ],
      context(),
    );
    expect(r.errors).toEqual([]);
    expect(r.plans.map((p) => [p.change, p.phone, p.role])).toEqual([
      ['same', '13900000001', Role.GridLeader],
      ['create', '13900000001', Role.MicrogridLeader],
      ['create', '13900000002', Role.FirmContact],
    ]);
    expect(r.plans[2].scope.firmCreditCode).toBe(credit(1));
    const renamed = checkStaffRows([staff({ 姓名: '王伟伟', 手机号: '13900000001', 网格编码: G1 })], context());
    expect(renamed.plans[0]).toMatchObject({ change: 'update', rename: true, assign: false });
  });

  it('asks exactly the scope columns the role needs (ROLE_SCOPE_FIELDS)', () => {
    const r = checkStaffRows(
      [
        staff({ 角色: '社区管理员', 网格编码: G1 }),
        staff({ 角色: '部门工作人员' }),
        staff({ 角色: '维修人员', 维修队名称: '同名队' }),
        staff({ 角色: '维修人员', 维修队名称: '一队', 部门编码: 'economy' }),
        staff({ 角色: '职工', 企业信用代码: credit(2) }),
      ],
      context(),
    );
    expect(r.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, '网格编码', '社区管理员不适用此列，请留空'],
      [3, '部门编码', '部门工作人员须填写此列'],
      [4, '维修队名称', '有多个同名维修队，无法确定'],
      [5, '部门编码', '维修人员不适用此列，请留空'],
      [6, '企业信用代码', '本社区没有该信用代码的企业'],
    ]);
  });

  it('refuses bad phones, unknown roles, two names for one phone and repeated rows', () => {
    const r = checkStaffRows(
      [
        staff({ 手机号: '12345678901', 网格编码: G1 }),
        staff({ 角色: '系统' }),
        staff({ 网格编码: G1 }),
        staff({ 姓名: '李娜娜', 网格编码: G1, 角色: '网格指导员' }),
        staff({ 网格编码: G1 }),
      ],
      context(),
    );
    expect(r.errors.map((e) => [e.row, e.column, e.reason])).toEqual([
      [2, '手机号', '须为 11 位中国大陆手机号'],
      [3, '角色', expect.stringMatching(/^须为以下之一：企业联系人、/)],
      [5, '姓名', '与第 3 行同一手机号的姓名不一致'],
      [6, '手机号', '与第 4 行重复（同一手机号、角色和范围）'],
    ]);
  });
});
