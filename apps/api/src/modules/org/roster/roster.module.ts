import { Module } from '@nestjs/common';
import { RosterController } from './roster.controller';
import { RosterService } from './roster.service';

/** Excel roster import and export of the organisation (grids, micro-grids, firms, staff). */
@Module({
  controllers: [RosterController],
  providers: [RosterService],
})
export class RosterModule {}
