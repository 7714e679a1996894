import { Injectable } from '@nestjs/common';
import { ErrorCode, IntakeDefaultsView } from '@qihu/contracts';
import { AppError } from '../../infra/http/app-error';
import { TransactionRunner } from '../../infra/database/transaction';
import { Category } from './category.entity';
import { Firm } from './firm.entity';

/**
 * Firms and categories as the pipeline needs them. The organisation issue replaces the
 * internals (grids, micro-grids, people, scopes); callers keep these methods.
 */
@Injectable()
export class OrgService {
  constructor(private readonly transactions: TransactionRunner) {}

  async requireFirm(id: number): Promise<Firm> {
    const firm = await this.transactions.manager.findOneBy(Firm, { id });
    if (!firm) throw new AppError(ErrorCode.FirmNotFound, `企业不存在（编号 ${id}）`);
    return firm;
  }

  async requireCategory(id: number): Promise<Category> {
    const category = await this.transactions.manager.findOneBy(Category, { id });
    if (!category) throw new AppError(ErrorCode.CategoryNotFound, `诉求类别不存在（编号 ${id}）`);
    return category;
  }

  /**
   * What a one-tap request is for. Until login exists this is the community's first firm
   * and its general category; later it comes from who is asking.
   */
  async intakeDefaults(): Promise<IntakeDefaultsView> {
    const [firm] = await this.transactions.manager.find(Firm, { order: { id: 'ASC' }, take: 1 });
    const [category] = await this.transactions.manager.find(Category, { order: { id: 'ASC' }, take: 1 });
    if (!firm || !category) throw new AppError(ErrorCode.NotFound, '尚未配置企业或诉求类别');
    return { firmId: firm.id, firmName: firm.name, categoryId: category.id, categoryName: category.name };
  }
}
