import { Global, Module } from '@nestjs/common';
import { StorageModule } from '../../infra/storage/storage.module';
import { FileLinks } from './file-links';
import { FilesController, UploadsController } from './uploads.controller';
import { UploadsJanitor } from './uploads.janitor';
import { UploadsService } from './uploads.service';

/** Photos and voice notes; UploadsService is global so ticket actions can attach them. */
@Global()
@Module({
  imports: [StorageModule],
  controllers: [UploadsController, FilesController],
  providers: [UploadsService, FileLinks, UploadsJanitor],
  exports: [UploadsService],
})
export class UploadsModule {}
