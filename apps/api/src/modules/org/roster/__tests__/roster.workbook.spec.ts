import ExcelJS from 'exceljs';
import { contentDisposition } from '../roster.controller';
import { RosterSheet, SHEETS } from '../roster.sheets';
import { looksLikeXlsx, readRosterWorkbook, writeRosterWorkbook } from '../roster.workbook';

const C = '330206101001';

describe('roster workbook', () => {
  it('recognises an .xlsx by its zip magic bytes, not its name', async () => {
    const xlsx = await writeRosterWorkbook([{ spec: SHEETS[RosterSheet.Grids], rows: [] }]);
    expect(looksLikeXlsx(xlsx)).toBe(true);
    expect(looksLikeXlsx(Buffer.from('网格编码,网格名称\n'))).toBe(false);
    expect(looksLikeXlsx(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe(false); // .xls
  });

  it('reads back what it writes: text by header, Excel row numbers, blank rows and the example skipped', async () => {
    const spec = SHEETS[RosterSheet.Firms];
    const firm = { ...spec.example(C), [spec.columns[0].header]: '宁波甲有限公司', 纬度: 29.9 as unknown as string };
    const file = await writeRosterWorkbook([{ spec, rows: [spec.example(C), {}, firm] }]);
    const [parsed] = await readRosterWorkbook(file, [RosterSheet.Firms], C);
    expect(parsed.headerErrors).toEqual([]);
    expect(parsed.rows).toEqual([{ row: 4, cells: { ...spec.example(C), 企业名称: '宁波甲有限公司', 纬度: '29.9' }, lossy: new Set() }]);
  });

  it('maps columns by header, in any order, and reports missing ones on row 1', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('随便');
    ws.addRow(['网格名称', ' 网格编码* ']);
    ws.addRow(['第一网格', `${C}001`]);
    const [parsed] = await readRosterWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), [RosterSheet.Grids], C);
    expect(parsed.rows[0].cells).toEqual({ 网格编码: `${C}001`, 网格名称: '第一网格' });

    const [missing] = await readRosterWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), [RosterSheet.Microgrids], C);
    expect(missing.headerErrors.map((e) => [e.row, e.column])).toEqual([
      [1, '微网格编码'],
      [1, '微网格名称'],
      [1, '所属网格编码'],
      [1, '类型'],
    ]);
  });

  it('gives downloads an ASCII name and the RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('企业名单模板.xlsx', 'roster-firms-template.xlsx')).toBe(
      "attachment; filename=\"roster-firms-template.xlsx\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx",
    );
  });
});
