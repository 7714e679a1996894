import { MaintenanceSkill } from '@qihu/contracts';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Equipment } from './equipment.entity';

type DemoMachine = Pick<Equipment, 'name' | 'model' | 'maker' | 'skill' | 'installedOn' | 'locationInPlant'> & { code?: string };

/** The model three demo firms share, so 一类事 has a group to show once their faults come in. */
const SLITTER: DemoMachine = { name: '分切复卷机', model: 'YX-2000', maker: '浙江华力机械有限公司', skill: MaintenanceSkill.Mechanical, installedOn: '2023-06-18', locationInPlant: '二号车间' };

/** Per demo firm, in firm order: the machines it registers. The fourth firm keeps its own painted codes. */
const MACHINES: DemoMachine[][] = [
  [
    { name: '数控车床', model: 'CK6150', maker: '沈阳机床股份有限公司', skill: MaintenanceSkill.Mechanical, installedOn: '2021-03-02', locationInPlant: '一号车间东侧' },
    { name: '螺杆空压机', model: 'GA37', maker: '阿特拉斯·科普柯', skill: MaintenanceSkill.Mechanical, installedOn: '2020-09-15', locationInPlant: '空压机房' },
    SLITTER,
  ],
  [{ name: '低压配电柜', model: 'GGD-2', maker: '正泰电气股份有限公司', skill: MaintenanceSkill.Electrical, installedOn: '2019-11-20', locationInPlant: '配电房' }],
  [
    { name: '四柱液压机', model: 'Y32-315', maker: '天津市天锻压力机有限公司', skill: MaintenanceSkill.Hydraulic, installedOn: '2022-04-08', locationInPlant: '冲压车间' },
    { ...SLITTER, installedOn: '2023-08-01', locationInPlant: '成品车间' },
  ],
  [
    { code: 'GL-01', name: '燃气蒸汽锅炉', model: 'WNS4-1.25-Q', maker: '杭州锅炉集团股份有限公司', skill: MaintenanceSkill.Boiler, installedOn: '2018-10-10', locationInPlant: '锅炉房' },
    { code: 'ZJ-01', name: '注塑机', model: 'MA1600', maker: '海天塑机集团有限公司', skill: MaintenanceSkill.Hydraulic, installedOn: '2022-12-01', locationInPlant: '注塑车间' },
  ],
  [
    { name: '瓦楞纸板生产线', model: 'WJ-250', maker: '京山轻机', skill: MaintenanceSkill.PaperMachine, installedOn: null, locationInPlant: '纸板车间' },
    { ...SLITTER, installedOn: '2024-02-26', locationInPlant: '分切工段' },
  ],
  [{ name: '变频控制柜', model: 'ACS580', maker: 'ABB', skill: MaintenanceSkill.Electrical, installedOn: '2024-07-15', locationInPlant: '三号车间' }],
];

const SEEDED_AT = new Date('2026-01-01T00:00:00.000Z');

/**
 * Machines for the first demo firms, deterministic: generated codes EQ000001… in firm order, and
 * label tokens derived from the community and the code (a demo's labels print the same every
 * time; real machines get random tokens).
 */
export async function seedDemoEquipment(m: EntityManager, communityId: number): Promise<{ equipment: number }> {
  const firms: Array<{ id: number }> = await m.query('SELECT id FROM firm WHERE community_id = ? ORDER BY id LIMIT ?', [communityId, MACHINES.length]);
  let seq = 0;
  const rows = firms.flatMap(({ id }, i) =>
    MACHINES[i].map(({ code, ...machine }) => {
      const machineCode = code ?? `EQ${String(++seq).padStart(6, '0')}`;
      return {
        ...machine,
        communityId,
        firmId: Number(id),
        code: machineCode,
        labelToken: createHash('sha256').update(`qihu-demo-label:${communityId}:${machineCode}`).digest('base64url').slice(0, 22),
        idempotencyKey: null,
        requestHash: null,
        createdBy: null,
        createdAt: SEEDED_AT,
        updatedAt: SEEDED_AT,
        retiredAt: null,
      };
    }),
  );
  if (rows.length) await m.insert(Equipment, rows);
  return { equipment: rows.length };
}
