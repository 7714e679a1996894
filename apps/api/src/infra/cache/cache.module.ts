import { Global, Module } from '@nestjs/common';
import { ChangeBus } from './change-bus';

/** In-process caches and the bus that tells every process when to drop them. */
@Global()
@Module({ providers: [ChangeBus], exports: [ChangeBus] })
export class CacheModule {}
