import { Module } from '@nestjs/common';
import { DemoSeed } from './demo-seed';
import { IntakeController } from './intake.controller';
import { OrgController } from './org.controller';
import { OrgService } from './org.service';

@Module({
  controllers: [IntakeController, OrgController],
  providers: [OrgService, DemoSeed],
  exports: [OrgService],
})
export class OrgModule {}
