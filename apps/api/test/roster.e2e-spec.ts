import { ErrorCode, Role } from '@qihu/contracts';
import { usccCheckDigit } from '@qihu/domain';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { demoCreditCode } from '../src/modules/org/demo-seed';
import { FirmPlacement } from '../src/modules/org/firm-placement.entity';
import { Firm } from '../src/modules/org/firm.entity';
import { seedOtherCommunity } from './fixtures';
import { Actor, startTestApp, TestApp } from './harness';

const COMMUNITY = '330206101001';
const GRID1 = `${COMMUNITY}001`;
const MG1 = `${GRID1}01`;
const ROSTER_TABLES = 'grid, microgrid, firm, firm_placement, person, role_assignment';

const HEADERS = {
  网格: ['网格编码', '网格名称'],
  微网格: ['微网格编码', '微网格名称', '所属网格编码', '类型'],
  企业: ['企业名称', '统一社会信用代码', '规模', '行业', '地址', '纬度', '经度', '微网格编码'],
  人员: ['姓名', '手机号', '角色', '网格编码', '微网格编码', '企业信用代码', '部门编码', '维修队名称'],
} as const;
type Title = keyof typeof HEADERS;

/** A valid credit code outside the demo's numbering. */
const credit = (n: number) => {
  const first17 = `91330206MA3${String(n).padStart(6, '0')}`;
  return first17 + usccCheckDigit(first17);
};

/** An .xlsx as a person would fill it: a header row, then rows of text cells. */
async function workbook(sheets: Partial<Record<Title, Array<Array<string | number>>>>, headers: Partial<Record<Title, readonly string[]>> = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [title, rows] of Object.entries(sheets) as Array<[Title, Array<Array<string | number>>]>) {
    const ws = wb.addWorksheet(title);
    ws.addRow([...(headers[title] ?? HEADERS[title])]);
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readBook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (d: Buffer) => parts.push(d));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

describe('roster import and export (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(Role.CommunityAdmin);
  });

  afterAll(async () => {
    await t?.close();
  });

  const http = () => request(t.app.getHttpServer());
  const upload = (sheet: string, mode: string, file: Buffer, name = 'roster.xlsx', as: Actor = admin) =>
    http().post(`/api/v1/roster/import/${sheet}?mode=${mode}`).set('Authorization', as.auth).attach('file', file, name);
  const download = async (path: string) => {
    const res = await http().get(`/api/v1/roster/${path}`).set('Authorization', admin.auth).buffer(true).parse(binary).expect(200);
    return { res, book: await readBook(res.body as Buffer) };
  };
  const checksum = async () => JSON.stringify(await t.db.query(`CHECKSUM TABLE ${ROSTER_TABLES}`));

  describe('GET /api/v1/roster/templates/:sheet', () => {
    it('gives an .xlsx with the Chinese header row, an example row, widths and drop-down lists', async () => {
      const { res, book } = await download('templates/firms');
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="roster-firms-template.xlsx"; filename*=UTF-8''${encodeURIComponent('企业名单模板.xlsx')}`,
      );
      const ws = book.getWorksheet('企业')!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS.企业]);
      expect(ws.getCell('B2').value).toMatch(/^91330206MA2000001[0-9A-Z]$/);
      expect(ws.getCell('H2').value).toBe(MG1);
      expect(ws.getColumn(1).width).toBeGreaterThan(20);
      expect(ws.getCell('C3').dataValidation).toMatchObject({ type: 'list', formulae: ['"规上,规下"'] });
    });

    it('has templates for micro-grids (类型 list), staff (角色 list) and the whole roster', async () => {
      const mg = (await download('templates/microgrids')).book.getWorksheet('微网格')!;
      expect((mg.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS.微网格]);
      expect(mg.getCell('D2').dataValidation.formulae).toEqual(['"一企一格,多企一格,一园一格,一楼一格,一区块一格"']);
      const staff = (await download('templates/staff')).book.getWorksheet('人员')!;
      expect((staff.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADERS.人员]);
      expect(staff.getCell('C2').dataValidation.formulae![0]).toContain('网格长');
      expect(staff.getCell('C2').dataValidation.formulae![0]).not.toContain('系统');
      const all = await download('templates/all');
      expect(all.book.worksheets.map((w) => w.name)).toEqual(['网格', '微网格', '企业', '人员']);
      expect(all.res.headers['content-disposition']).toContain(encodeURIComponent('花名册模板.xlsx'));
    });

    it('imports an untouched template as nothing (the example row is skipped)', async () => {
      const { res } = await download('templates/all');
      const dry = await upload('all', 'dry-run', res.body as Buffer).expect(200);
      expect(dry.body).toEqual({ sheet: 'all', mode: 'dry-run', rows: 0, created: 0, updated: 0, errors: [] });
    });

    it('answers 404 for an unknown sheet and 403 for anyone but the admin', async () => {
      const unknown = await http().get('/api/v1/roster/templates/tickets').set('Authorization', admin.auth).expect(404);
      expect(unknown.body.code).toBe(ErrorCode.NotFound);
      const leader = await t.as(Role.GridLeader);
      for (const path of ['templates/firms', 'export/firms']) {
        const res = await http().get(`/api/v1/roster/${path}`).set('Authorization', leader.auth).expect(403);
        expect(res.body.code).toBe(ErrorCode.Forbidden);
      }
      const file = await workbook({ 企业: [] });
      expect((await upload('firms', 'commit', file, 'roster.xlsx', leader).expect(403)).body.code).toBe(ErrorCode.Forbidden);
    });
  });

  describe('POST /api/v1/roster/import/:sheet', () => {
    it('dry run: reports every bad row with Excel row, column and a Chinese reason, and writes nothing', async () => {
      const bad = credit(1).slice(0, 17) + (credit(1)[17] === '0' ? '1' : '0');
      const file = await workbook({
        企业: [
          ['宁波新建机械有限公司', credit(1), '规上', '通用设备制造', '滨海大道1号', 29.91, 121.85, MG1], // 2 ok
          ['宁波校验位有限公司', bad, '规下', '', '', '', '', MG1], // 3
          ['宁波无网格有限公司', credit(2), '规下', '', '', '', '', `${GRID1}99`], // 4
          ['宁波重复有限公司', credit(1), '规下', '', '', '', '', MG1], // 5
          ['', credit(3), '大型', '', '', 29.9, '', MG1], // 6
        ],
      });
      const before = await checksum();
      const res = await upload('firms', 'dry-run', file).expect(200);
      expect(res.body).toEqual({
        sheet: 'firms',
        mode: 'dry-run',
        rows: 5,
        created: 1,
        updated: 0,
        errors: [
          { sheet: '企业', row: 3, column: '统一社会信用代码', reason: '校验位不正确' },
          { sheet: '企业', row: 4, column: '微网格编码', reason: '微网格编码不存在' },
          { sheet: '企业', row: 5, column: '统一社会信用代码', reason: '与第 2 行重复' },
          { sheet: '企业', row: 6, column: '企业名称', reason: '必填' },
          { sheet: '企业', row: 6, column: '规模', reason: '须为 规上 或 规下' },
          { sheet: '企业', row: 6, column: '经度', reason: '纬度和经度须同时填写' },
        ],
      });
      expect(await checksum()).toBe(before);
    });

    it('commit with one bad row: 422 IMPORT_REJECTED with the errors, nothing written', async () => {
      const file = await workbook({
        网格: [[`${COMMUNITY}009`, '第九网格']],
        人员: [
          ['赵新', '13912340001', '网格长', `${COMMUNITY}009`, '', '', '', ''],
          ['钱新', '1391234', '专职网格员', GRID1, '', '', '', ''],
        ],
      });
      const before = await checksum();
      const res = await upload('all', 'commit', file).expect(422);
      expect(res.body).toEqual({
        code: ErrorCode.ImportRejected,
        message: '导入文件有错误，未写入任何数据',
        details: { errors: [{ sheet: '人员', row: 3, column: '手机号', reason: '须为 11 位中国大陆手机号' }] },
      });
      expect(await checksum()).toBe(before);
    });

    it('checks role and scope fit, references and names of one phone across rows', async () => {
      const file = await workbook({
        人员: [
          ['孙一', '13912340011', '网格长', '', '', '', '', ''], // 2: grid missing
          ['孙一', '13912340011', '企业联系人', GRID1, '', demoCreditCode(1), '', ''], // 3: grid not for a firm contact
          ['孙二', '13912340011', '部门工作人员', '', '', '', 'nosuch', ''], // 4: other name, unknown dept
          ['孙三', '13912340013', '系统', '', '', '', '', ''], // 5
          ['孙四', '13912340014', '维修人员', '', '', '', '', '机电维修一队'], // 6 ok
          ['孙四', '+86 139-1234-0014', '维修人员', '', '', '', '', '机电维修一队'], // 7 same as 6
        ],
      });
      const res = await upload('staff', 'dry-run', file).expect(200);
      expect(res.body.errors).toEqual([
        { sheet: '人员', row: 2, column: '网格编码', reason: '网格长须填写此列' },
        { sheet: '人员', row: 3, column: '网格编码', reason: '企业联系人不适用此列，请留空' },
        { sheet: '人员', row: 4, column: '部门编码', reason: '部门编码不存在' },
        { sheet: '人员', row: 4, column: '姓名', reason: '与第 2 行同一手机号的姓名不一致' },
        { sheet: '人员', row: 5, column: '角色', reason: expect.stringMatching(/^须为以下之一：企业联系人、职工、.*社区管理员$/) },
        { sheet: '人员', row: 7, column: '手机号', reason: '与第 6 行重复（同一手机号、角色和范围）' },
      ]);
    });

    it('commit of a good workbook creates grids → micro-grids → firms → staff in one go, and moves a firm', async () => {
      const grid = `${COMMUNITY}004`;
      const mg = `${grid}01`;
      const movedCode = demoCreditCode(1);
      const moved = await t.db.getRepository(Firm).findOneByOrFail({ creditCode: movedCode });
      const file = await workbook({
        网格: [[grid, '第四网格']],
        微网格: [[mg, '第四网格园区1', grid, '一园一格']],
        企业: [
          ['宁波第四网格新材料有限公司', credit(40), '规下', '新材料', '海天路8号', '29.95', '121.9', mg],
          [moved.name, movedCode, '规上', moved.industry, moved.address, moved.latitude!, moved.longitude!, mg],
        ],
        人员: [
          ['吴四', '13912340041', '网格长', grid, '', '', '', ''],
          ['郑四', '13912340042', '微网格长', '', mg, '', '', ''],
          ['王四', '13912340043', '企业联系人', '', '', credit(40), '', ''],
          ['王四', '13912340043', '职工', '', '', credit(40), '', ''],
        ],
      });
      const dry = await upload('all', 'dry-run', file).expect(200);
      expect(dry.body).toEqual({ sheet: 'all', mode: 'dry-run', rows: 8, created: 7, updated: 1, errors: [] });
      const res = await upload('all', 'commit', file).expect(200);
      expect(res.body).toEqual({ sheet: 'all', mode: 'commit', rows: 8, created: 7, updated: 1, errors: [] });

      const [created] = await t.db.query(
        `SELECT g.code AS gridCode, mg.code AS mgCode, mg.kind, f.name, f.scale, f.latitude FROM firm f
           JOIN firm_placement fp ON fp.firm_id = f.id AND fp.effective_to IS NULL
           JOIN microgrid mg ON mg.id = fp.microgrid_id JOIN grid g ON g.id = fp.grid_id WHERE f.credit_code = ?`,
        [credit(40)],
      );
      expect(created).toEqual({ gridCode: grid, mgCode: mg, kind: 'park', name: '宁波第四网格新材料有限公司', scale: 'below', latitude: '29.950000' });
      const placements = await t.db.getRepository(FirmPlacement).find({ where: { firmId: moved.id }, order: { id: 'ASC' } });
      expect(placements).toHaveLength(2);
      expect(placements[0].effectiveTo).toEqual(placements[1].effectiveFrom);
      expect(placements[1]).toMatchObject({ effectiveTo: null, reason: '名单导入调整网格' });

      const people = await http().get('/api/v1/people').set('Authorization', admin.auth).expect(200);
      const wang = people.body.find((p: { phone: string }) => p.phone === '13912340043');
      expect(wang.name).toBe('王四');
      expect(wang.roles.map((r: { roleLabel: string; scopeLabel: string }) => r.scopeLabel)).toEqual([
        '宁波第四网格新材料有限公司 · 企业联系人',
        '宁波第四网格新材料有限公司 · 职工',
      ]);
      expect(people.body.find((p: { phone: string }) => p.phone === '13912340041').roles[0].scopeLabel).toBe('第四网格 · 网格长');

      // The same file again: all there already.
      const again = await upload('all', 'commit', file).expect(200);
      expect(again.body).toMatchObject({ rows: 8, created: 0, updated: 0, errors: [] });
    });

    it('updates by key: a renamed grid, a changed firm, a renamed person', async () => {
      const firm = await t.db.getRepository(Firm).findOneByOrFail({ creditCode: demoCreditCode(2) });
      const before = await t.db.getRepository(FirmPlacement).count({ where: { firmId: firm.id } });
      const file = await workbook({
        网格: [[`${COMMUNITY}004`, '第四网格（新）']],
        企业: [[`${firm.name}（更名）`, demoCreditCode(2).toLowerCase(), '规上', firm.industry, firm.address, '', '', `${GRID1}02`]],
        人员: [['吴四四', '13912340041', '网格长', `${COMMUNITY}004`, '', '', '', '']],
      });
      const res = await upload('all', 'commit', file).expect(200);
      expect(res.body).toMatchObject({ rows: 3, created: 0, updated: 3, errors: [] });
      const after = await t.db.getRepository(Firm).findOneByOrFail({ id: firm.id });
      expect(after).toMatchObject({ name: `${firm.name}（更名）`, latitude: null, longitude: null });
      expect(await t.db.getRepository(FirmPlacement).count({ where: { firmId: firm.id } })).toBe(before);
    });

    it('export then import changes nothing, sheet by sheet and as a whole workbook', async () => {
      for (const sheet of ['grids', 'microgrids', 'firms', 'staff', 'all']) {
        const { res, book } = await download(`export/${sheet}`);
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="roster-.*\.xlsx"; filename\*=UTF-8''/);
        expect(book.worksheets[0].rowCount).toBeGreaterThan(1);
        const before = await checksum();
        const again = await upload(sheet, 'commit', res.body as Buffer).expect(200);
        expect(again.body).toMatchObject({ sheet, created: 0, updated: 0, errors: [] });
        expect(again.body.rows).toBe(book.worksheets.reduce((n, w) => n + w.actualRowCount - 1, 0));
        expect(await checksum()).toBe(before);
      }
      const firms = (await download('export/firms')).book.getWorksheet('企业')!;
      expect(firms.actualRowCount - 1).toBe(91); // 90 demo firms + the one created above
    });

    it("does not see another community's codes", async () => {
      const other = await seedOtherCommunity(t.db);
      expect(other.communityId).toBeGreaterThan(0);
      const file = await workbook({
        微网格: [['33020610100200102', '越界片区', '330206101002001', '多企一格']],
        企业: [['越界企业', demoCreditCode(900), '规下', '', '', '', '', '33020610100200101']],
        人员: [['越界', '13912340099', '网格长', '330206101002001', '', '', '', '']],
      });
      const res = await upload('all', 'dry-run', file).expect(200);
      expect(res.body.errors).toEqual([
        { sheet: '微网格', row: 2, column: '所属网格编码', reason: '网格编码不存在' },
        { sheet: '企业', row: 2, column: '统一社会信用代码', reason: '该信用代码已在其他社区登记' },
        { sheet: '企业', row: 2, column: '微网格编码', reason: '微网格编码不存在' },
        { sheet: '人员', row: 2, column: '网格编码', reason: '网格编码不存在' },
      ]);
      const grids = await upload('grids', 'dry-run', await workbook({ 网格: [['330206101002001', '越界网格']] })).expect(200);
      expect(grids.body.errors).toEqual([{ sheet: '网格', row: 2, column: '网格编码', reason: `须为社区编码 ${COMMUNITY} 加 3 位序号，共 15 位数字` }]);
      const exported = (await download('export/all')).book;
      const codes = exported.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String));
      expect(codes.some((c) => c.startsWith('330206101002'))).toBe(false);
      expect(codes).not.toContain(demoCreditCode(900));
    });

    it('reports missing header columns at row 1 and Excel-rounded numbers', async () => {
      const res = await upload('microgrids', 'dry-run', await workbook({ 微网格: [[Number(MG1), '片区', GRID1, '多企一格']] }, { 微网格: ['微网格编码', '微网格名称', '所属网格编码'] })).expect(200);
      expect(res.body.errors).toEqual([{ sheet: '微网格', row: 1, column: '类型', reason: '缺少此列（请使用下载的模板）' }]);
      const rounded = await upload('microgrids', 'dry-run', await workbook({ 微网格: [[Number(MG1), '片区', GRID1, '多企一格']] })).expect(200);
      expect(rounded.body.errors).toEqual([{ sheet: '微网格', row: 2, column: '微网格编码', reason: expect.stringContaining('请把此列设为文本格式') }]);
    });

    it('refuses what is not an .xlsx with 400 and a Chinese message', async () => {
      const csv = await upload('firms', 'dry-run', Buffer.from('企业名称,统一社会信用代码\n'), 'firms.csv').expect(400);
      expect(csv.body).toEqual({ code: ErrorCode.ValidationFailed, message: '只支持 Excel .xlsx 文件，请使用下载的模板' });
      const renamed = await upload('firms', 'dry-run', Buffer.from('not a spreadsheet'), 'firms.xlsx').expect(400);
      expect(renamed.body.code).toBe(ErrorCode.ValidationFailed);
      const brokenZip = await upload('firms', 'dry-run', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)]), 'firms.xlsx').expect(400);
      expect(brokenZip.body.message).toBe('无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试');
      const none = await http().post('/api/v1/roster/import/firms?mode=dry-run').set('Authorization', admin.auth).expect(400);
      expect(none.body.message).toBe('请上传 Excel 文件（表单字段 file）');
      const mode = await upload('firms', 'maybe', await workbook({ 企业: [] })).expect(400);
      expect(mode.body.code).toBe(ErrorCode.ValidationFailed);
      const unknown = await upload('tickets', 'dry-run', await workbook({ 企业: [] })).expect(404);
      expect(unknown.body.code).toBe(ErrorCode.NotFound);
    });
  });
});
