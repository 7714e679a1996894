import { ErrorCode } from '@qihu/contracts';
import ExcelJS from 'exceljs';
import { AppError } from '../../../infra/http/app-error';
import { RawRow, RowError } from './roster.rows';
import { RosterSheet, SheetSpec, SHEETS } from './roster.sheets';

/** Excel's own limit is far above this; past it, split the roster (and the request stays bounded). */
export const MAX_ROWS_PER_SHEET = 20_000;
/** How far down the template's drop-down lists reach. */
const VALIDATION_ROWS = 1_000;
const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A zip local-file header: what every .xlsx starts with (an .xls or a renamed CSV does not). */
export function looksLikeXlsx(file: Buffer): boolean {
  return file.length > XLSX_MAGIC.length && file.subarray(0, XLSX_MAGIC.length).equals(XLSX_MAGIC);
}

export interface ParsedSheet {
  sheet: RosterSheet;
  rows: RawRow[];
  /** Missing header columns: the sheet's rows are then not checked. */
  headerErrors: RowError[];
}

/**
 * The worksheets of an upload, as trimmed text by header. A whole-roster workbook is read by
 * worksheet name (网格, 微网格, 企业, 人员; a missing one is skipped); a single roster takes the
 * worksheet of its name, else the first one. The template's example row is skipped when left as is.
 */
export async function readRosterWorkbook(file: Buffer, sheets: readonly RosterSheet[], communityCode: string): Promise<ParsedSheet[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError(ErrorCode.ValidationFailed, '无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重试');
  }
  const parsed: ParsedSheet[] = [];
  for (const sheet of sheets) {
    const spec = SHEETS[sheet];
    const ws = workbook.getWorksheet(spec.title) ?? (sheets.length === 1 ? workbook.worksheets[0] : undefined);
    if (!ws) continue;
    parsed.push(readWorksheet(ws, spec, communityCode));
  }
  if (parsed.length === 0) {
    throw new AppError(ErrorCode.ValidationFailed, `文件中没有可导入的工作表（${sheets.map((s) => SHEETS[s].title).join('、')}）`);
  }
  return parsed;
}

function readWorksheet(ws: ExcelJS.Worksheet, spec: SheetSpec, communityCode: string): ParsedSheet {
  const columnOf = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const header = readCell(cell).text.replace(/[*＊]/g, '');
    if (header && !columnOf.has(header)) columnOf.set(header, col);
  });
  const headerErrors = spec.columns
    .filter((c) => !columnOf.has(c.header))
    .map((c): RowError => ({ sheet: spec.title, row: 1, column: c.header, reason: '缺少此列（请使用下载的模板）' }));
  if (headerErrors.length) return { sheet: spec.sheet, rows: [], headerErrors };

  if (ws.actualRowCount - 1 > MAX_ROWS_PER_SHEET) {
    throw new AppError(ErrorCode.ValidationFailed, `「${spec.title}」超过 ${MAX_ROWS_PER_SHEET} 行，请分批导入`);
  }
  const example = spec.example(communityCode);
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    const lossy = new Set<string>();
    let blank = true;
    for (const { header } of spec.columns) {
      const { text, lossy: changed } = readCell(row.getCell(columnOf.get(header)!));
      cells[header] = text;
      if (changed) lossy.add(header);
      if (text !== '') blank = false;
    }
    if (blank) return;
    if (rowNumber === 2 && spec.columns.every((c) => cells[c.header] === example[c.header])) return;
    rows.push({ row: rowNumber, cells, lossy });
  });
  return { sheet: spec.sheet, rows, headerErrors: [] };
}

/** A cell as the text a person sees; integers past 2^53 are flagged (Excel rounded them). */
export function readCell(cell: ExcelJS.Cell): { text: string; lossy: boolean } {
  return valueText(cell.value);
}

function valueText(v: ExcelJS.CellValue | undefined): { text: string; lossy: boolean } {
  if (v === null || v === undefined) return { text: '', lossy: false };
  if (typeof v === 'string') return { text: v.trim(), lossy: false };
  if (typeof v === 'number') return { text: String(v), lossy: Number.isInteger(v) && !Number.isSafeInteger(v) };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', lossy: false };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10), lossy: false };
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join('').trim(), lossy: false };
  if ('formula' in v || 'sharedFormula' in v) return valueText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in v) return { text: String(v.text).trim(), lossy: false };
  return { text: '', lossy: false };
}

export interface SheetContent {
  spec: SheetSpec;
  rows: ReadonlyArray<Record<string, string | number>>;
}

/** A workbook with the Chinese header row, widths, text columns for codes and drop-down lists. */
export async function writeRosterWorkbook(sheets: readonly SheetContent[], note?: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '企呼我应';
  for (const { spec, rows } of sheets) {
    const ws = workbook.addWorksheet(spec.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.header, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    });
    for (const row of rows) ws.addRow(row);
    if (note && rows.length) ws.getCell('A2').note = note;
    const last = Math.max(VALIDATION_ROWS, rows.length) + 1;
    spec.columns.forEach((c, i) => {
      if (!c.list) return;
      const list = `"${c.list.join(',')}"`;
      for (let r = 2; r <= last; r++) {
        ws.getCell(r, i + 1).dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: [list],
          showErrorMessage: true,
          errorTitle: c.header,
          error: `请从下拉列表中选择：${c.list.join('、')}`,
        };
      }
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
