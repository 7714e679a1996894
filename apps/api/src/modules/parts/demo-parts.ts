import { MaintenanceSkill, Role, StockMovementKind } from '@qihu/contracts';
import { EntityManager } from 'typeorm';
import { Part, PartPrice, ServiceItem, ServiceItemPrice } from './catalogue.entities';
import { Stock, StockMovement, Store } from './stock.entities';

/** The demo's catalogue starts here (the seed's fixed date, not the real clock), so bills and screenshots are stable. */
const SINCE = new Date('2026-01-01T00:00:00.000Z');
/** A mid-year price review: a few entries have a second version from here, to show versioning. */
const REVIEW = new Date('2026-07-01T00:00:00.000Z');

type Price = [priceFen: number, warrantyDays: number];

/** 统一价目表: code, name, unit, skill, price from SINCE, and the REVIEW price if it changed. */
const SERVICE_ITEMS: Array<[code: string, name: string, unit: string, skill: MaintenanceSkill, first: Price, review?: Price]> = [
  ['S-ELEC-01', '电气故障检修', '次', MaintenanceSkill.Electrical, [8000, 90]],
  ['S-ELEC-02', '配电柜检修', '台', MaintenanceSkill.Electrical, [30000, 90], [32000, 90]],
  ['S-ELEC-03', '电机绕组重绕', '台', MaintenanceSkill.Electrical, [60000, 180]],
  ['S-MECH-01', '机械故障检修', '次', MaintenanceSkill.Mechanical, [10000, 90]],
  ['S-MECH-02', '轴承更换', '处', MaintenanceSkill.Mechanical, [5000, 60]],
  ['S-HYD-01', '液压系统维修', '次', MaintenanceSkill.Hydraulic, [15000, 90], [16000, 90]],
  ['S-HYD-02', '液压油更换', '台', MaintenanceSkill.Hydraulic, [8000, 30]],
  ['S-BOIL-01', '锅炉检修', '次', MaintenanceSkill.Boiler, [50000, 180]],
  ['S-PAPER-01', '造纸机故障检修', '次', MaintenanceSkill.PaperMachine, [40000, 90]],
  ['S-GEN-01', '远程问诊', '次', MaintenanceSkill.Other, [0, 0]],
  ['S-GEN-02', '紧急抢修加急费', '次', MaintenanceSkill.Other, [10000, 0]],
];

/** 配件目录: code, name, spec, unit, price, review price. */
const PARTS: Array<[code: string, name: string, spec: string, unit: string, first: Price, review?: Price]> = [
  ['P-MCB-C32', '空气开关', 'C32 3P', '个', [4500, 365]],
  ['P-MCB-C63', '空气开关', 'C63 3P', '个', [6800, 365]],
  ['P-CJX2-1810', '交流接触器', 'CJX2-1810 220V', '个', [5800, 365]],
  ['P-CJX2-3210', '交流接触器', 'CJX2-3210 380V', '个', [9500, 365]],
  ['P-JR36-20', '热继电器', 'JR36-20', '个', [4200, 365]],
  ['P-BRG-6205', '深沟球轴承', '6205-2RS', '个', [1800, 180]],
  ['P-BRG-6308', '深沟球轴承', '6308-2RS', '个', [4600, 180]],
  ['P-BELT-B1600', 'V 型皮带', 'B-1600', '根', [2600, 90]],
  ['P-OIL-HM46', '液压油 46号', 'L-HM46 18L', '桶', [42000, 0], [45000, 0]],
  ['P-SEAL-63', '液压缸密封件', 'Φ63 组', '套', [8500, 90]],
  ['P-VALVE-4WE6', '电磁换向阀', '4WE6E 24V', '个', [38000, 180]],
  ['P-GAUGE-16', '压力表', 'Y-100 0–1.6MPa', '只', [3500, 180]],
  ['P-VALVE-SAFE', '锅炉安全阀', 'A48Y-16C DN50', '个', [68000, 365]],
  ['P-FELT-01', '造纸毛毯', '3200mm 单层', '条', [560000, 90]],
  ['P-SCRAPER-01', '刮刀片', '造纸机用 3000mm', '片', [12000, 30]],
  ['P-CABLE-4', '铜芯电缆', 'BVR 4mm²', '米', [650, 0]],
];

/**
 * Stock: store index (0 central, then one per crew in crew order), part code, quantity, low
 * threshold. A few lines sit just above their threshold (the next take alerts) and one at it.
 */
const STOCK: Array<[store: number, code: string, quantity: number, lowThreshold: number]> = [
  [0, 'P-MCB-C32', 40, 10],
  [0, 'P-MCB-C63', 20, 5],
  [0, 'P-CJX2-1810', 30, 8],
  [0, 'P-CJX2-3210', 12, 4],
  [0, 'P-JR36-20', 15, 5],
  [0, 'P-BRG-6205', 60, 15],
  [0, 'P-BRG-6308', 24, 6],
  [0, 'P-BELT-B1600', 20, 5],
  [0, 'P-OIL-HM46', 6, 2],
  [0, 'P-SEAL-63', 10, 3],
  [0, 'P-VALVE-4WE6', 4, 2],
  [0, 'P-GAUGE-16', 12, 3],
  [0, 'P-VALVE-SAFE', 3, 1],
  [0, 'P-FELT-01', 2, 1],
  [0, 'P-SCRAPER-01', 20, 5],
  [0, 'P-CABLE-4', 500, 100],
  [1, 'P-MCB-C32', 6, 5],
  [1, 'P-CJX2-1810', 5, 3],
  [1, 'P-JR36-20', 4, 2],
  [1, 'P-CABLE-4', 100, 30],
  [1, 'P-GAUGE-16', 2, 2],
  [2, 'P-BRG-6205', 10, 4],
  [2, 'P-BELT-B1600', 4, 3],
  [2, 'P-OIL-HM46', 2, 1],
  [2, 'P-SEAL-63', 3, 2],
  [2, 'P-SCRAPER-01', 6, 2],
];

/**
 * The demo community's price list, parts catalogue and stores, deterministic: the admin set
 * every price at SINCE, a few changed at REVIEW; a central store and one per crew received their
 * stock at SINCE. Called at the end of seedDemoCommunity, after crews and the admin exist.
 */
export async function seedDemoParts(m: EntityManager, communityId: number): Promise<{ serviceItems: number; parts: number; stores: number }> {
  const [{ personId: adminId }]: Array<{ personId: number }> = await m.query(
    'SELECT person_id AS personId FROM role_assignment WHERE community_id = ? AND role = ? ORDER BY id LIMIT 1',
    [communityId, Role.CommunityAdmin],
  );
  const crews: Array<{ id: number; name: string }> = await m.query('SELECT id, name FROM crew WHERE community_id = ? ORDER BY id', [communityId]);
  const versions = (itemId: number, first: Price, review?: Price) => [
    { itemId, version: 1, priceFen: first[0], warrantyDays: first[1], validFrom: SINCE, validTo: review ? REVIEW : null, note: '统一价目表首版', createdBy: adminId, createdAt: SINCE },
    ...(review ? [{ itemId, version: 2, priceFen: review[0], warrantyDays: review[1], validFrom: REVIEW, validTo: null, note: '年中调价', createdBy: adminId, createdAt: REVIEW }] : []),
  ];

  for (const [code, name, unit, skill, first, review] of SERVICE_ITEMS) {
    const { identifiers } = await m.insert(ServiceItem, { communityId, code, name, unit, skill, active: true, createdAt: SINCE, updatedAt: SINCE });
    await m.insert(ServiceItemPrice, versions(Number(identifiers[0].id), first, review));
  }
  const partIds = new Map<string, number>();
  for (const [code, name, spec, unit, first, review] of PARTS) {
    const { identifiers } = await m.insert(Part, { communityId, code, name, spec, unit, active: true, createdAt: SINCE, updatedAt: SINCE });
    partIds.set(code, Number(identifiers[0].id));
    await m.insert(PartPrice, versions(Number(identifiers[0].id), first, review));
  }

  const storeIds: number[] = [];
  for (const [name, crewId] of [['中心备件库', null] as const, ...crews.map((c) => [`${c.name}备件库`, c.id] as const)]) {
    const { identifiers } = await m.insert(Store, { communityId, name, crewId, createdAt: SINCE });
    storeIds.push(Number(identifiers[0].id));
  }
  // Lines of stores the community has (the demo has two crews).
  const lines = STOCK.filter(([store]) => store < storeIds.length);
  await m.insert(
    Stock,
    lines.map(([store, code, quantity, lowThreshold]) => ({ storeId: storeIds[store], partId: partIds.get(code)!, quantity, lowThreshold, updatedAt: SINCE })),
  );
  await m.insert(
    StockMovement,
    lines.map(([store, code, quantity]) => ({
      communityId,
      storeId: storeIds[store],
      partId: partIds.get(code)!,
      kind: StockMovementKind.Receive,
      quantity,
      balanceAfter: quantity,
      ticketId: null,
      takeId: null,
      reference: null,
      personId: adminId,
      at: SINCE,
      note: '期初库存',
    })),
  );
  return { serviceItems: SERVICE_ITEMS.length, parts: PARTS.length, stores: storeIds.length };
}
