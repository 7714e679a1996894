import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../../identity/auth.decorators';
import { GRID_ROLES, Scope } from '../../identity/caller';
import { OrgWarningDto } from './dto/org-warning.dto';
import { OrgWarningsService } from './org-warnings.service';

@ApiTags('org')
@ApiBearerAuth()
@Controller('org/warnings')
export class OrgWarningsController {
  constructor(private readonly warnings: OrgWarningsService) {}

  /** 网格化体检: grid sizes, micro-grid sizes, 一企一格, 1+3 staff, two micro-grid leaders. Warnings only. */
  @Get()
  @Roles(Role.CommunityAdmin, ...GRID_ROLES)
  @ApiOkResponse({ type: [OrgWarningDto] })
  list(@CurrentScope() scope: Scope): Promise<OrgWarningDto[]> {
    return this.warnings.warnings(scope);
  }
}
