import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { Scope } from '../identity/caller';
import { IntakeDefaultsDto } from './dto/intake-defaults.dto';
import { OrgService } from './org.service';

@ApiTags('intake')
@ApiBearerAuth()
@Controller('intake')
export class IntakeController {
  constructor(private readonly org: OrgService) {}

  /** 一键响应: what a one-tap request is filled in with, from who is asking. */
  @Get('defaults')
  @Roles(Role.FirmContact, Role.Worker)
  @ApiOkResponse({ type: IntakeDefaultsDto })
  defaults(@CurrentScope() scope: Scope): Promise<IntakeDefaultsDto> {
    return this.org.intakeDefaults(scope);
  }
}
