import { EQUIPMENT_LABEL_PREFIX, EQUIPMENT_LABELS_PER_PAGE } from '@qihu/contracts';
import * as QRCode from 'qrcode';

/** What a label shows: the QR of `qihu:e:<code>:<token>`, and the code and name under it for people. */
export interface LabelMachine {
  code: string;
  name: string;
  labelToken: string;
}

/**
 * Level Q restores up to a quarter of the symbol: labels live on machines, in oil and dust.
 * The 4-module quiet zone is the QR standard's minimum; scanners miss codes drawn without it.
 */
const QR_OPTIONS = { errorCorrectionLevel: 'Q' } as const;
const QUIET_ZONE_MODULES = 4;

/**
 * An A4 sheet (210 × 297 mm) holds 4 × 6 label cells of 50 × 47.5 mm inside margins of 5 mm at the
 * sides and 6 mm at the top and bottom, which office printers leave unprinted. A single label
 * has the size of one cell. Positions below are millimetres within a cell.
 */
const COLUMNS = 4;
const ROWS = EQUIPMENT_LABELS_PER_PAGE / COLUMNS;
const A4 = { width: 210, height: 297 };
const MARGIN = { x: 5, y: 6 };
const CELL = { width: (A4.width - 2 * MARGIN.x) / COLUMNS, height: (A4.height - 2 * MARGIN.y) / ROWS };
/** The QR with its quiet zone: about 0.8 mm per module at the usual code lengths, easy for a phone. */
const QR_SIDE = 33;
const QR_TOP = 1.5;
const CODE_BASELINE = 38.8;
const CODE_SIZE = 3.8;
const NAME_BASELINE = 43.6;
const NAME_SIZE = 3.2;
const TEXT_WIDTH = CELL.width - 4;

/** Fonts that carry Chinese on the systems that print labels (macOS, Windows, Linux, Android). */
const CJK_FONTS = `'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif`;
const CODE_FONTS = `'DejaVu Sans Mono',Menlo,Consolas,'Courier New',monospace`;

export function labelContent(machine: Pick<LabelMachine, 'code' | 'labelToken'>): string {
  return `${EQUIPMENT_LABEL_PREFIX}${machine.code}:${machine.labelToken}`;
}

/** The QR alone as a PNG (10 px per module): for the mini-program and chats. Printing uses the SVG. */
export function labelPng(machine: LabelMachine): Promise<Buffer> {
  return QRCode.toBuffer(labelContent(machine), { ...QR_OPTIONS, type: 'png', margin: QUIET_ZONE_MODULES, scale: 10 });
}

/** One label with its cutting outline, at print size (50 × 47.5 mm). */
export function labelSvg(machine: LabelMachine): string {
  return svgDocument(CELL.width, CELL.height, `设备标签 ${machine.code}`, labelCell(machine, 0, 0));
}

/** One A4 sheet of labels, filled row by row from the top left. */
export function labelSheetSvg(machines: readonly LabelMachine[], title: string): string {
  if (machines.length > EQUIPMENT_LABELS_PER_PAGE) throw new RangeError(`at most ${EQUIPMENT_LABELS_PER_PAGE} labels fit on a sheet`);
  const cells = machines.map((m, i) => labelCell(m, MARGIN.x + (i % COLUMNS) * CELL.width, MARGIN.y + Math.floor(i / COLUMNS) * CELL.height));
  return svgDocument(A4.width, A4.height, title, cells.join(''));
}

/** The 1-based page of a list, and how many pages it has (0 for an empty list). */
export function pageOf<T>(items: readonly T[], page: number, perPage = EQUIPMENT_LABELS_PER_PAGE): { totalPages: number; items: T[] } {
  return { totalPages: Math.ceil(items.length / perPage), items: items.slice((page - 1) * perPage, page * perPage) };
}

function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">` +
    `<title>${escapeXml(title)}</title>${body}</svg>\n`
  );
}

function labelCell(machine: LabelMachine, x: number, y: number): string {
  const qr = QRCode.create(labelContent(machine), QR_OPTIONS).modules;
  const moduleMm = QR_SIDE / (qr.size + 2 * QUIET_ZONE_MODULES);
  const qrLeft = (CELL.width - QR_SIDE) / 2 + QUIET_ZONE_MODULES * moduleMm;
  const qrTop = QR_TOP + QUIET_ZONE_MODULES * moduleMm;
  const centre = CELL.width / 2;
  return (
    `<g transform="translate(${mm(x)} ${mm(y)})">` +
    `<rect x="0.1" y="0.1" width="${mm(CELL.width - 0.2)}" height="${mm(CELL.height - 0.2)}" fill="none" stroke="#bbbbbb" stroke-width="0.2" stroke-dasharray="1 1"/>` +
    `<path transform="translate(${mm(qrLeft)} ${mm(qrTop)}) scale(${moduleMm.toFixed(5)})" fill="#000000" shape-rendering="crispEdges" d="${modulePath(qr.size, (r, c) => qr.get(r, c))}"/>` +
    `<text x="${mm(centre)}" y="${CODE_BASELINE}" text-anchor="middle" font-family="${CODE_FONTS}" font-size="${CODE_SIZE}" font-weight="bold">${escapeXml(machine.code)}</text>` +
    `<text x="${mm(centre)}" y="${NAME_BASELINE}" text-anchor="middle" font-family="${CJK_FONTS}" font-size="${NAME_SIZE}">${escapeXml(fitWidth(machine.name, TEXT_WIDTH / NAME_SIZE))}</text>` +
    '</g>'
  );
}

/** The dark modules as one path, a rectangle per horizontal run, in module units. */
function modulePath(size: number, dark: (row: number, col: number) => number | boolean): string {
  const runs: string[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!dark(r, c)) continue;
      const start = c;
      while (c + 1 < size && dark(r, c + 1)) c++;
      const length = c - start + 1;
      runs.push(`M${start} ${r}h${length}v1h-${length}z`);
    }
  }
  return runs.join('');
}

/** Chinese (and other wide) characters take a full em, Latin letters and digits about half. */
const emWidth = (ch: string) => (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 1 : 0.55);

/** The text cut to `maxEm` wide, with an ellipsis (one em) when something was cut. */
export function fitWidth(text: string, maxEm: number): string {
  const chars = [...text];
  if (chars.reduce((w, ch) => w + emWidth(ch), 0) <= maxEm) return text;
  let kept = '';
  let width = 1;
  for (const ch of chars) {
    if (width + emWidth(ch) > maxEm) break;
    kept += ch;
    width += emWidth(ch);
  }
  return `${kept}…`;
}

/** Text for an XML text node or attribute; control characters XML cannot hold are dropped. */
export function escapeXml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const mm = (n: number) => Number(n.toFixed(3)).toString();
