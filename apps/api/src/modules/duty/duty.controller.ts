import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { Scope } from '../identity/caller';
import { DutyCoverageService } from './coverage.service';
import { DUTY_READER_ROLES } from './duty-access';
import { DutyService } from './duty.service';
import {
  CreateDutyHandoverDto,
  CreateDutyShiftDto,
  CreateDutySwapDto,
  CreateDutyTemplateDto,
  DutyAlertQueryDto,
  DutyAlertViewDto,
  DutyCoverageQueryDto,
  DutyCoverageViewDto,
  DutyHandoverQueryDto,
  DutyHandoverViewDto,
  DutyNowQueryDto,
  DutyNowViewDto,
  DutyShiftQueryDto,
  DutyShiftViewDto,
  DutySwapQueryDto,
  DutySwapViewDto,
  DutyTemplateQueryDto,
  DutyTemplateViewDto,
  UpdateDutyTemplateDto,
} from './dto/duty.dto';
import { DutyHandoversService } from './handovers.service';
import { DutyShiftsService } from './shifts.service';
import { DutySwapsService } from './swaps.service';
import { DutyTemplatesService } from './templates.service';

/** Who may change rosters; which roster each may change is checked per scope (DutyAccess). */
const MANAGERS = [Role.CommunityAdmin, Role.GridLeader, Role.DeptStaff];
const READERS = [...DUTY_READER_ROLES];
/** GET /duty/now answers for a grid's firms: not a crew member's question. */
const GRID_SIDE_READERS = READERS.filter((r) => r !== Role.CrewMember);

/**
 * Duty rosters (24小时值守, 周末不打烊). Everyone on a roster reads the rosters in their reach and
 * their own shifts; the admin manages every roster (the crews' too), a 网格长 his grid's,
 * department staff their department's. A retried create answers what the first one made.
 */
@ApiTags('duty')
@ApiBearerAuth()
@Controller('duty')
export class DutyController {
  constructor(
    private readonly duty: DutyService,
    private readonly shifts: DutyShiftsService,
    private readonly templates: DutyTemplatesService,
    private readonly swaps: DutySwapsService,
    private readonly handovers: DutyHandoversService,
    private readonly coverage: DutyCoverageService,
  ) {}

  // ---- shifts ---------------------------------------------------------------------------------

  @Get('shifts')
  @Roles(...READERS)
  @ApiOkResponse({ type: [DutyShiftViewDto] })
  listShifts(@CurrentScope() scope: Scope, @Query() query: DutyShiftQueryDto): Promise<DutyShiftViewDto[]> {
    return this.shifts.list(scope, query);
  }

  /** A shift beside whoever else is on duty. */
  @Post('shifts')
  @Roles(...MANAGERS)
  @ApiCreatedResponse({ type: DutyShiftViewDto })
  createShift(@CurrentScope() scope: Scope, @Body() body: CreateDutyShiftDto): Promise<DutyShiftViewDto> {
    return this.shifts.createManual(scope, body);
  }

  /** 替班: the person replaces whoever is on duty over [startsAt, endsAt). */
  @Post('overrides')
  @Roles(...MANAGERS)
  @ApiCreatedResponse({ type: DutyShiftViewDto })
  createOverride(@CurrentScope() scope: Scope, @Body() body: CreateDutyShiftDto): Promise<DutyShiftViewDto> {
    return this.shifts.createOverride(scope, body);
  }

  @Delete('shifts/:id')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: DutyShiftViewDto, description: '未开始的班次取消；进行中的班次即刻结束' })
  cancelShift(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutyShiftViewDto> {
    return this.shifts.cancelShift(scope, id);
  }

  // ---- weekly templates -----------------------------------------------------------------------

  @Get('templates')
  @Roles(...READERS)
  @ApiOkResponse({ type: [DutyTemplateViewDto] })
  listTemplates(@CurrentScope() scope: Scope, @Query() query: DutyTemplateQueryDto): Promise<DutyTemplateViewDto[]> {
    return this.templates.list(scope, query);
  }

  @Get('templates/:id')
  @Roles(...READERS)
  @ApiOkResponse({ type: DutyTemplateViewDto })
  getTemplate(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutyTemplateViewDto> {
    return this.templates.get(scope, id);
  }

  @Post('templates')
  @Roles(...MANAGERS)
  @ApiCreatedResponse({ type: DutyTemplateViewDto })
  createTemplate(@CurrentScope() scope: Scope, @Body() body: CreateDutyTemplateDto): Promise<DutyTemplateViewDto> {
    return this.templates.create(scope, body);
  }

  @Put('templates/:id')
  @Roles(...MANAGERS)
  @ApiOkResponse({ type: DutyTemplateViewDto })
  updateTemplate(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateDutyTemplateDto): Promise<DutyTemplateViewDto> {
    return this.templates.update(scope, id, body);
  }

  @Delete('templates/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles(...MANAGERS)
  @ApiNoContentResponse()
  deleteTemplate(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.templates.remove(scope, id);
  }

  // ---- swaps ----------------------------------------------------------------------------------

  @Get('swaps')
  @Roles(...READERS)
  @ApiOkResponse({ type: [DutySwapViewDto] })
  listSwaps(@CurrentScope() scope: Scope, @Query() query: DutySwapQueryDto): Promise<DutySwapViewDto[]> {
    return this.swaps.list(scope, query);
  }

  @Post('swaps')
  @Roles(...READERS)
  @ApiCreatedResponse({ type: DutySwapViewDto })
  requestSwap(@CurrentScope() scope: Scope, @Body() body: CreateDutySwapDto): Promise<DutySwapViewDto> {
    return this.swaps.request(scope, body);
  }

  @Post('swaps/:id/accept')
  @HttpCode(HttpStatus.OK)
  @Roles(...READERS)
  @ApiOkResponse({ type: DutySwapViewDto })
  acceptSwap(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutySwapViewDto> {
    return this.swaps.accept(scope, id);
  }

  @Post('swaps/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles(...READERS)
  @ApiOkResponse({ type: DutySwapViewDto })
  rejectSwap(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutySwapViewDto> {
    return this.swaps.reject(scope, id);
  }

  @Post('swaps/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @Roles(...READERS)
  @ApiOkResponse({ type: DutySwapViewDto })
  cancelSwap(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutySwapViewDto> {
    return this.swaps.cancel(scope, id);
  }

  // ---- handovers ------------------------------------------------------------------------------

  @Get('handovers')
  @Roles(...READERS)
  @ApiOkResponse({ type: [DutyHandoverViewDto] })
  listHandovers(@CurrentScope() scope: Scope, @Query() query: DutyHandoverQueryDto): Promise<DutyHandoverViewDto[]> {
    return this.handovers.list(scope, query);
  }

  @Post('handovers')
  @Roles(...READERS)
  @ApiCreatedResponse({ type: DutyHandoverViewDto })
  writeHandover(@CurrentScope() scope: Scope, @Body() body: CreateDutyHandoverDto): Promise<DutyHandoverViewDto> {
    return this.handovers.write(scope, body);
  }

  @Post('handovers/:id/ack')
  @HttpCode(HttpStatus.OK)
  @Roles(...READERS)
  @ApiOkResponse({ type: DutyHandoverViewDto })
  acknowledgeHandover(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<DutyHandoverViewDto> {
    return this.handovers.acknowledge(scope, id);
  }

  // ---- who is on duty, coverage, alerts -------------------------------------------------------

  @Get('now')
  @Roles(...GRID_SIDE_READERS)
  @ApiOkResponse({ type: DutyNowViewDto })
  now(@CurrentScope() scope: Scope, @Query() query: DutyNowQueryDto): Promise<DutyNowViewDto> {
    return this.duty.now(scope, query.gridId);
  }

  @Get('coverage')
  @Roles(...READERS)
  @ApiOkResponse({ type: DutyCoverageViewDto })
  coverageReport(@CurrentScope() scope: Scope, @Query() query: DutyCoverageQueryDto): Promise<DutyCoverageViewDto> {
    return this.coverage.report(scope, query.days ?? 7);
  }

  @Get('alerts')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: [DutyAlertViewDto] })
  alerts(@CurrentScope() scope: Scope, @Query() query: DutyAlertQueryDto): Promise<DutyAlertViewDto[]> {
    return this.coverage.alerts(scope, query.open ?? true);
  }
}
