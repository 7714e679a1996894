import { RecurringGroupKind } from '@qihu/contracts';
import { HOUR_MS } from '@qihu/domain';
import { groupRecurringFaults, RecurringFault } from '../recurring';

const t0 = Date.parse('2026-03-01T00:00:00.000Z');
let seq = 0;
const firms: Record<number, string> = { 1: '恒达精密机械', 2: '金凯新材料', 3: '华越包装', 4: '瑞丰电子' };
const grids: Record<number, string> = { 10: '第一网格', 20: '第二网格' };

function fault(firmId: number, hoursAfter: number, over: Partial<RecurringFault> = {}): RecurringFault {
  const gridId = over.gridId === undefined ? (firmId <= 2 ? 10 : 20) : over.gridId;
  return {
    number: `QH-${String(++seq).padStart(4, '0')}`,
    createdAt: new Date(t0 + hoursAfter * HOUR_MS),
    firmId,
    firmName: firms[firmId],
    gridId,
    gridName: gridId === null ? null : grids[gridId],
    categoryId: 8,
    categoryName: '设备故障',
    model: null,
    maker: null,
    ...over,
  };
}
const slitter = { model: 'YX-2000', maker: '华力机械' };

describe('groupRecurringFaults', () => {
  it('groups one model across firms of any grid, whatever case and spacing each firm typed', () => {
    const faults = [
      fault(1, 0, slitter),
      fault(3, 5, { model: ' yx-2000 ', maker: '华力机械' }),
      fault(4, 9, { model: 'YX-2000', maker: '华力机械', categoryId: 5, categoryName: '安全隐患' }),
    ];
    const [group] = groupRecurringFaults(faults, { minFirms: 3, minFaults: 3 }).filter((g) => g.kind === RecurringGroupKind.Model);
    expect(group).toEqual({
      kind: RecurringGroupKind.Model,
      key: 'model:华力机械|yx-2000',
      title: '华力机械 YX-2000',
      model: 'YX-2000',
      maker: '华力机械',
      categoryId: null,
      categoryName: null,
      gridId: null,
      gridName: null,
      firms: [
        { id: 1, name: '恒达精密机械' },
        { id: 3, name: '华越包装' },
        { id: 4, name: '瑞丰电子' },
      ],
      faultCount: 3,
      firstAt: new Date(t0).toISOString(),
      lastAt: new Date(t0 + 9 * HOUR_MS).toISOString(),
      ticketNumbers: faults.map((f) => f.number),
    });
  });

  it('keeps the same model of another maker apart', () => {
    const faults = [fault(1, 0, slitter), fault(2, 1, slitter), fault(3, 2, { model: 'YX-2000', maker: '别家机械' })];
    const models = groupRecurringFaults(faults, { minFirms: 1, minFaults: 1 }).filter((g) => g.kind === RecurringGroupKind.Model);
    expect(models.map((g) => [g.title, g.faultCount])).toEqual([
      ['华力机械 YX-2000', 2],
      ['别家机械 YX-2000', 1],
    ]);
  });

  it('groups a category across the firms of one grid only', () => {
    const faults = [fault(1, 0), fault(2, 1), fault(1, 2), fault(3, 3), fault(4, 4)];
    const groups = groupRecurringFaults(faults, { minFirms: 2, minFaults: 2 });
    expect(groups.map((g) => ({ kind: g.kind, key: g.key, title: g.title, firms: g.firms.map((f) => f.id), count: g.faultCount, gridId: g.gridId }))).toEqual([
      { kind: RecurringGroupKind.Category, key: 'category:10:8', title: '第一网格 · 设备故障', firms: [1, 2], count: 3, gridId: 10 },
      { kind: RecurringGroupKind.Category, key: 'category:20:8', title: '第二网格 · 设备故障', firms: [3, 4], count: 2, gridId: 20 },
    ]);
  });

  it('drops groups below either threshold: many faults in one firm are not 一类事 across firms', () => {
    const oneFirm = [fault(1, 0, slitter), fault(1, 1, slitter), fault(1, 2, slitter), fault(1, 3, slitter)];
    expect(groupRecurringFaults(oneFirm, { minFirms: 2, minFaults: 3 })).toEqual([]);
    const twoFaults = [fault(1, 0, slitter), fault(2, 1, slitter)];
    expect(groupRecurringFaults(twoFaults, { minFirms: 2, minFaults: 3 })).toEqual([]);
    expect(groupRecurringFaults(twoFaults, { minFirms: 2, minFaults: 2 }).map((g) => g.kind)).toEqual([RecurringGroupKind.Model, RecurringGroupKind.Category]);
  });

  it('ignores faults without a model for the model groups and without a grid for the category groups', () => {
    const faults = [fault(1, 0, { model: '', maker: '华力机械' }), fault(2, 1, { model: '  ', maker: '华力机械' }), fault(3, 2, { gridId: null }), fault(4, 3, { gridId: null })];
    expect(groupRecurringFaults(faults, { minFirms: 1, minFaults: 1 }).map((g) => g.key)).toEqual(['category:10:8']);
  });

  it('orders groups biggest first, and lists faults in time order whatever the input order', () => {
    const faults = [fault(3, 7), fault(1, 3, slitter), fault(2, 1, slitter), fault(4, 2), fault(1, 0, slitter)];
    const groups = groupRecurringFaults(faults, { minFirms: 2, minFaults: 2 });
    expect(groups.map((g) => [g.key, g.faultCount])).toEqual([
      ['model:华力机械|yx-2000', 3],
      ['category:10:8', 3],
      ['category:20:8', 2],
    ]);
    expect(groups[0].ticketNumbers).toEqual([faults[4].number, faults[2].number, faults[1].number]);
    expect(groups[0].firms.map((f) => f.id)).toEqual([1, 2]);
  });
});
