import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IntakeDefaultsDto } from './dto/intake-defaults.dto';
import { OrgService } from './org.service';

@ApiTags('intake')
@Controller('intake')
export class IntakeController {
  constructor(private readonly org: OrgService) {}

  /** 一键响应: what a one-tap request is filled in with. */
  @Get('defaults')
  @ApiOkResponse({ type: IntakeDefaultsDto })
  defaults(): Promise<IntakeDefaultsDto> {
    return this.org.intakeDefaults();
  }
}
