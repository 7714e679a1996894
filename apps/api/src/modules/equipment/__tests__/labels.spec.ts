import { EQUIPMENT_LABELS_PER_PAGE, parseEquipmentLabel } from '@qihu/contracts';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { escapeXml, fitWidth, labelContent, labelPng, labelSheetSvg, labelSvg, pageOf } from '../labels';

const machine = { code: 'EQ000042', name: '分切机 <二号线> & 复卷', labelToken: 'Zx9_kQ-3vT0aB7cD1eF2gH' };

describe('label content', () => {
  it('holds the code and the token, and parses back as the mini-program reads it', () => {
    expect(labelContent(machine)).toBe('qihu:e:EQ000042:Zx9_kQ-3vT0aB7cD1eF2gH');
    expect(parseEquipmentLabel(labelContent(machine))).toEqual({ code: 'EQ000042', token: machine.labelToken });
    expect(parseEquipmentLabel(labelContent({ code: 'a.B_7-x', labelToken: machine.labelToken }))).toEqual({ code: 'a.B_7-x', token: machine.labelToken });
  });

  it('is not taken for some other QR code', () => {
    for (const text of ['https://example.com/e/EQ1', 'qihu:e:EQ1', 'qihu:e:EQ1:short', 'qihu:e:E Q1:Zx9_kQ-3vT0aB7cD1eF2gH', 'qihu:e:EQ1:Zx9_kQ-3vT0aB7cD1eF2gH:x', 'qihu:e::Zx9_kQ-3vT0aB7cD1eF2gH']) {
      expect(parseEquipmentLabel(text)).toBeNull();
    }
  });
});

describe('label images', () => {
  it('renders a PNG that a QR scanner reads back', async () => {
    const png = PNG.sync.read(await labelPng(machine));
    expect(png.width).toBe(png.height);
    const read = jsQR(new Uint8ClampedArray(png.data), png.width, png.height, { inversionAttempts: 'dontInvert' });
    expect(read?.data).toBe(labelContent(machine));
  });

  it('prints the code and the escaped name under the QR, at print size', () => {
    const svg = labelSvg(machine);
    expect(svg).toContain('width="50mm" height="47.5mm" viewBox="0 0 50 47.5"');
    expect(svg).toContain('>EQ000042</text>');
    expect(svg).toContain('>分切机 &lt;二号线&gt; &amp; 复卷</text>');
    expect(svg).toContain("font-family=\"'PingFang SC'");
    expect(svg).not.toContain(machine.labelToken);
  });

  it('fills an A4 sheet with one label per machine, and refuses more than a sheet holds', () => {
    const machines = Array.from({ length: 5 }, (_, i) => ({ ...machine, code: `EQ00000${i}` }));
    const sheet = labelSheetSvg(machines, '恒达 设备标签 第 1/1 页');
    expect(sheet).toContain('width="210mm" height="297mm" viewBox="0 0 210 297"');
    expect(sheet.match(/<g transform=/g)).toHaveLength(5);
    // The fifth label starts the second row, inside the page margins.
    expect(sheet).toContain('<g transform="translate(5 53.5)">');
    const tooMany = Array.from({ length: EQUIPMENT_LABELS_PER_PAGE + 1 }, () => machine);
    expect(() => labelSheetSvg(tooMany, 'x')).toThrow(RangeError);
  });
});

describe('pageOf', () => {
  it('cuts a list into pages of 24', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(pageOf(items, 1)).toEqual({ totalPages: 3, items: items.slice(0, 24) });
    expect(pageOf(items, 3)).toEqual({ totalPages: 3, items: [48, 49] });
    expect(pageOf(items, 4)).toEqual({ totalPages: 3, items: [] });
    expect(pageOf([], 1)).toEqual({ totalPages: 0, items: [] });
  });
});

describe('text helpers', () => {
  it('fits a name to the label width, counting Chinese characters as wide', () => {
    expect(fitWidth('分切机', 15)).toBe('分切机');
    expect(fitWidth('一二三四五六七八九十一二三四五六七', 15)).toBe('一二三四五六七八九十一二三四…');
    expect(fitWidth('A'.repeat(27), 15)).toBe('A'.repeat(27));
    expect(fitWidth('A'.repeat(40), 15)).toBe(`${'A'.repeat(25)}…`);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\u0001\u001f`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});
