import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, CONFIG } from '../../config/config';
import { LocalDiskStorage } from './local-disk.storage';
import { OBJECT_STORAGE, ObjectStorage } from './object-storage';
import { S3Storage } from './s3.storage';

export function createObjectStorage(storage: AppConfig['storage']): ObjectStorage {
  return storage.driver === 's3' ? new S3Storage(storage.s3) : new LocalDiskStorage(storage.dir);
}

/** The ObjectStorage that config.storage.driver names, under the OBJECT_STORAGE token. */
@Module({
  providers: [{ provide: OBJECT_STORAGE, inject: [CONFIG], useFactory: (config: AppConfig) => createObjectStorage(config.storage) }],
  exports: [OBJECT_STORAGE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close?.();
  }
}
