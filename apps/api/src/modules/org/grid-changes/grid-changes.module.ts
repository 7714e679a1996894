import { Module } from '@nestjs/common';
import { OrgModule } from '../org.module';
import { GridChangeApplier } from './grid-change.apply';
import { GridChangesController } from './grid-changes.controller';
import { GridChangesService } from './grid-changes.service';

/** Grid split, merge and withdrawal as change requests (POST/GET /grid-changes, approve, reject). */
@Module({
  imports: [OrgModule],
  controllers: [GridChangesController],
  providers: [GridChangesService, GridChangeApplier],
})
export class GridChangesModule {}
