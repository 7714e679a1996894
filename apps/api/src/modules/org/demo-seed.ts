import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CategoryGroup, CommunityClass, FirmScale, GridStatus, MicrogridKind, Role, SlaCalendarKind } from '@qihu/contracts';
import { makeGridCode, makeMicrogridCode, usccCheckDigit } from '@qihu/domain';
import { EntityManager } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { TransactionRunner } from '../../infra/database/transaction';
import { Person } from '../identity/person.entity';
import { RoleAssignment } from '../identity/role-assignment.entity';
import { seedDemoDispatch } from '../dispatch/demo-dispatch';
import { seedDemoDuty } from '../duty/demo-duty';
import { seedDemoEquipment } from '../equipment/demo-equipment';
import { seedDemoParts } from '../parts/demo-parts';
import { Category } from './category.entity';
import { Community } from './community.entity';
import { Crew } from './crew.entity';
import { Department } from './department.entity';
import { FirmPlacement } from './firm-placement.entity';
import { Firm } from './firm.entity';
import { Grid } from './grid.entity';
import { Microgrid } from './microgrid.entity';

/**
 * A fictional community, deterministic so tests and screenshots are stable: 3 grids of 30
 * firms; each above-scale firm in its own micro-grid (一企一格), the smaller ones 2–5 to a
 * micro-grid; 1+3+N staff per grid and 2 leaders per micro-grid; 2 departments; 2 crews;
 * the categories of the Zhenhai guideline with their SLA policies.
 */
export const DEMO = {
  communityCode: '330206101001',
  communityName: '滨海示范工业社区',
  /** Seeded instant: placements and roles start here so history queries are stable. */
  since: new Date('2026-01-01T00:00:00.000Z'),
  grids: ['第一网格', '第二网格', '第三网格'],
  /** Per grid: above-scale firms (own micro-grid) then sizes of the small-firm micro-grids. */
  aboveScalePerGrid: 4,
  smallMicrogridSizes: [5, 5, 4, 4, 4, 4],
};

const BRANDS = ['恒达', '金凯', '华越', '瑞丰', '东盛', '明泰', '汇通', '永兴', '宏远', '博瑞', '天成', '鑫源', '中凯', '联丰', '嘉禾', '盛世', '新锐', '卓越', '远航', '精工', '海德', '康力', '润丰', '宇航', '光明', '同创', '凯胜', '安泰', '弘毅', '振华'];
const INDUSTRIES: Array<[industry: string, nameWord: string]> = [
  ['通用设备制造', '精密机械'],
  ['新材料', '新材料科技'],
  ['包装印刷', '包装印刷'],
  ['电子电器', '电子科技'],
  ['化学原料', '化工'],
  ['纺织服装', '服饰'],
  ['汽车零部件', '汽车部件'],
  ['模具制造', '模具'],
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '郑'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '志强', '海燕', '晓东'];

export const DEMO_CATEGORIES: Array<Omit<Category, 'id' | 'communityId' | 'departmentId'> & { department: 'economy' | 'emergency' }> = [
  { code: 'general', name: '综合诉求', group: CategoryGroup.Business, department: 'economy', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: false },
  { code: 'complaint', name: '企业投诉', group: CategoryGroup.Business, department: 'economy', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: true },
  { code: 'policy', name: '政策咨询', group: CategoryGroup.Business, department: 'economy', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.WorkingTime, requiresOnSite: false },
  { code: 'hiring', name: '用工招聘', group: CategoryGroup.Business, department: 'economy', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 4320, confirmHours: 72, calendar: SlaCalendarKind.WorkingTime, requiresOnSite: false },
  { code: 'hazard', name: '安全隐患', group: CategoryGroup.Safety, department: 'emergency', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: true },
  { code: 'dispute', name: '矛盾纠纷', group: CategoryGroup.Safety, department: 'emergency', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 4320, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: true },
  { code: 'emergency', name: '突发事件', group: CategoryGroup.Safety, department: 'emergency', ackMinutes: 15, escalateMinutes: 15, resolveMinutes: 720, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: true },
  { code: 'equipment', name: '设备故障', group: CategoryGroup.Equipment, department: 'economy', ackMinutes: 30, escalateMinutes: 30, resolveMinutes: 1440, confirmHours: 72, calendar: SlaCalendarKind.AlwaysOpen, requiresOnSite: false },
];

/** A valid 统一社会信用代码 for the n-th demo firm (division 330206, check digit computed). */
export function demoCreditCode(n: number): string {
  const first17 = `91330206MA2${String(100000 + n).slice(-6)}`;
  return first17 + usccCheckDigit(first17);
}

@Injectable()
export class DemoSeed implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeed.name);

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    await this.transactions.run(async ({ manager }) => {
      // A second process seeding at once blocks here, then sees the community and stops.
      await manager.query('SELECT GET_LOCK(?, 30)', [`qihu-demo-seed-${this.config.db.name}`]);
      try {
        if ((await manager.count(Community)) > 0) return;
        const counts = await seedDemoCommunity(manager);
        this.logger.log(counts, 'demo community seeded');
      } finally {
        await manager.query('SELECT RELEASE_LOCK(?)', [`qihu-demo-seed-${this.config.db.name}`]);
      }
    });
  }
}

export async function seedDemoCommunity(m: EntityManager): Promise<Record<string, number>> {
  const at = DEMO.since;
  let phoneSeq = 0;
  let nameSeq = 0;
  const people: Array<Omit<Person, 'id'>> = [];
  const roles: Array<{ personIndex: number; role: Role; scope: Partial<RoleAssignment> }> = [];
  const person = (name?: string) => {
    const n = nameSeq++;
    people.push({
      name: name ?? `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
      phone: `139${String(++phoneSeq).padStart(8, '0')}`,
      openid: null,
      unionid: null,
      createdAt: at,
      updatedAt: at,
    });
    return people.length - 1;
  };
  const give = (personIndex: number, role: Role, scope: Partial<RoleAssignment>) => roles.push({ personIndex, role, scope });

  const { identifiers: [{ id: communityId }] } = await m.insert(Community, {
    code: DEMO.communityCode,
    name: DEMO.communityName,
    class: CommunityClass.Large,
    firmBandMin: 20,
    firmBandMax: 50,
    createdAt: at,
  });
  const dept: Record<string, number> = {};
  for (const [code, name] of [['economy', '经济发展办公室'], ['emergency', '应急管理办公室']] as const) {
    const { identifiers: [{ id }] } = await m.insert(Department, { communityId, code, name });
    dept[code] = id;
    for (let i = 0; i < 2; i++) give(person(), Role.DeptStaff, { departmentId: id });
  }
  await m.insert(
    Category,
    DEMO_CATEGORIES.map(({ department, ...c }) => ({ ...c, communityId, departmentId: dept[department] })),
  );
  for (const name of ['机电维修一队', '设备抢修二队']) {
    const { identifiers: [{ id }] } = await m.insert(Crew, { communityId, name, createdAt: at });
    for (let i = 0; i < 2; i++) give(person(), Role.CrewMember, { crewId: id });
  }
  give(person('陈主任'), Role.CommunityAdmin, {});

  let firmSeq = 0;
  for (const [g, gridName] of DEMO.grids.entries()) {
    const gridCode = makeGridCode(DEMO.communityCode, g + 1);
    const { identifiers: [{ id: gridId }] } = await m.insert(Grid, { communityId, code: gridCode, name: gridName, status: GridStatus.Active, createdAt: at, withdrawnAt: null });
    // 1+3+N: leader, full-time member, part-time member, instructor, and a volunteer.
    give(person(), Role.GridLeader, { gridId });
    give(person(), Role.GridMember, { gridId });
    give(person(), Role.GridPartTime, { gridId });
    give(person(), Role.GridInstructor, { gridId });
    give(person(), Role.GridPartTime, { gridId });

    const sizes = [...Array<number>(DEMO.aboveScalePerGrid).fill(1), ...DEMO.smallMicrogridSizes];
    for (const [k, size] of sizes.entries()) {
      const above = k < DEMO.aboveScalePerGrid;
      const kind = above ? MicrogridKind.SingleFirm : g === 2 && k === DEMO.aboveScalePerGrid ? MicrogridKind.Park : MicrogridKind.SmallFirms;
      const { identifiers: [{ id: microgridId }] } = await m.insert(Microgrid, {
        gridId,
        code: makeMicrogridCode(gridCode, k + 1),
        name: `${gridName}${above ? '一企一格' : kind === MicrogridKind.Park ? '园区' : '片区'}${k + 1}`,
        kind,
        status: GridStatus.Active,
        createdAt: at,
        withdrawnAt: null,
      });
      give(person(), Role.MicrogridLeader, { microgridId });
      give(person(), Role.MicrogridLeader, { microgridId });
      for (let f = 0; f < size; f++) {
        const i = firmSeq % 30;
        const [industry, word] = INDUSTRIES[(i + g * 3) % INDUSTRIES.length];
        const { identifiers: [{ id: firmId }] } = await m.insert(Firm, {
          communityId,
          name: `宁波${BRANDS[i]}${word}有限公司`,
          creditCode: demoCreditCode(firmSeq + 1),
          scale: above ? FirmScale.Above : FirmScale.Below,
          industry,
          address: `滨海大道${100 + firmSeq * 8}号`,
          latitude: Number((29.9 + g * 0.01 + (firmSeq % 10) * 0.001).toFixed(6)),
          longitude: Number((121.85 + (firmSeq % 7) * 0.002).toFixed(6)),
          createdAt: at,
        });
        await m.insert(FirmPlacement, { firmId, gridId, microgridId, effectiveFrom: at, effectiveTo: null, reason: '初始建档' });
        give(person(`${SURNAMES[firmSeq % SURNAMES.length]}经理`), Role.FirmContact, { firmId });
        if (f === 0 && k === DEMO.aboveScalePerGrid) give(person(), Role.Worker, { firmId });
        firmSeq++;
      }
    }
  }

  // 兼职网格员 are often a firm's middle manager: the first grid's part-time member is also
  // the contact of a firm in that grid, so the demo has someone with two roles to switch between.
  const partTime = roles.find((r) => r.role === Role.GridPartTime)!;
  const smallFirmInFirstGrid = roles.filter((r) => r.role === Role.FirmContact)[DEMO.aboveScalePerGrid + 1];
  give(partTime.personIndex, Role.FirmContact, { firmId: smallFirmInFirstGrid.scope.firmId });

  const { identifiers } = await m.insert(Person, people);
  await m.insert(
    RoleAssignment,
    roles.map((r) => ({
      personId: identifiers[r.personIndex].id,
      role: r.role,
      communityId,
      gridId: null,
      microgridId: null,
      firmId: null,
      departmentId: null,
      crewId: null,
      ...r.scope,
      createdAt: at,
      revokedAt: null,
    })),
  );
  // Rosters are relative to the real clock (routing must find someone on duty today), not DEMO.since.
  const duty = await seedDemoDuty(m, communityId, new Date());
  await seedDemoParts(m, communityId);
  await seedDemoEquipment(m, communityId);
  await seedDemoDispatch(m, communityId);
  return { grids: DEMO.grids.length, firms: firmSeq, people: people.length, roles: roles.length, dutyShifts: duty.shifts };
}
