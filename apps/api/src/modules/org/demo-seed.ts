import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
import { TransactionRunner } from '../../infra/database/transaction';
import { Category } from './category.entity';
import { Firm } from './firm.entity';

/** A fictional community's firms (names only until the organisation model lands). */
const DEMO_FIRMS: Array<Pick<Firm, 'name'>> = [
  { name: '宁波示范精密机械有限公司' },
  { name: '宁波示范新材料科技有限公司' },
  { name: '宁波示范包装印刷有限公司' },
];

const DEMO_CATEGORIES: Array<Pick<Category, 'code' | 'name'>> = [
  { code: 'general', name: '综合诉求' },
  { code: 'safety', name: '平安建设' },
  { code: 'business', name: '助企服务' },
  { code: 'equipment', name: '设备故障' },
];

/** Seeds a demo community when the database has no firm yet (never in production). */
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
      // Lock-free check is enough: two processes seeding at once would both see 0 only on a
      // brand-new database, and the category codes are unique, so the second one fails cleanly.
      if ((await manager.count(Firm)) > 0) return;
      await manager.insert(Firm, DEMO_FIRMS);
      await manager.insert(Category, DEMO_CATEGORIES);
      this.logger.log({ firms: DEMO_FIRMS.length, categories: DEMO_CATEGORIES.length }, 'demo community seeded');
    });
  }
}
