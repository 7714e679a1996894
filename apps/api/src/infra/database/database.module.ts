import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { createDataSource, ensureDatabase } from './data-source';
import { TransactionRunner } from './transaction';

/** Closes the pool last, after workers and HTTP have stopped using it. */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [CONFIG],
      useFactory: async (config: AppConfig) => {
        if (config.db.createIfMissing) await ensureDatabase(config.db);
        const dataSource = createDataSource(config.db);
        await dataSource.initialize();
        await dataSource.runMigrations({ transaction: 'each' });
        return dataSource;
      },
    },
    TransactionRunner,
    DataSourceCloser,
  ],
  exports: [DataSource, TransactionRunner],
})
export class DatabaseModule {
  constructor(@Inject(CONFIG) readonly config: AppConfig) {}
}
