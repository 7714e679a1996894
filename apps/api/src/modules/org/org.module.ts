import { Module } from '@nestjs/common';
import { DemoSeed } from './demo-seed';
import { IntakeController } from './intake.controller';
import { OrgService } from './org.service';

@Module({
  controllers: [IntakeController],
  providers: [OrgService, DemoSeed],
  exports: [OrgService],
})
export class OrgModule {}
