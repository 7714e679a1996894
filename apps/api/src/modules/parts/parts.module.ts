import { DynamicModule, Module } from '@nestjs/common';
import { PartsCatalogueController, ServiceItemsController } from './catalogue.controller';
import { CatalogueService } from './catalogue.service';
import { PartsService } from './parts.service';
import { StockLedger } from './stock-ledger';
import { StockController } from './stock.controller';
import { StockService } from './stock.service';

/**
 * The unified price list, the parts catalogue, and parts stock per store (五统一). Dispatch uses
 * PartsService (prices at the time of work, taking and returning parts). No jobs: `workers` is
 * accepted like every feature module's, and changes nothing here.
 */
@Module({})
export class PartsModule {
  static register(_options: { workers: boolean }): DynamicModule {
    return {
      module: PartsModule,
      global: true,
      controllers: [ServiceItemsController, PartsCatalogueController, StockController],
      providers: [CatalogueService, StockLedger, StockService, PartsService],
      exports: [PartsService],
    };
  }
}
