import { Module } from '@nestjs/common';
import { OrgWarningsController } from './org-warnings.controller';
import { OrgWarningsService } from './org-warnings.service';

/** Organisation warnings (GET /org/warnings): the rules of domain.md that are warned about, never enforced. */
@Module({
  controllers: [OrgWarningsController],
  providers: [OrgWarningsService],
})
export class OrgWarningsModule {}
