import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../../identity/auth.decorators';
import { Scope } from '../../identity/caller';
import {
  ApprovedGridChangeDto,
  CreateGridChangeDto,
  GridChangeQueryDto,
  GridChangeRequestViewDto,
  MergeGridChangeDto,
  RejectGridChangeDto,
  SplitGridChangeDto,
  WithdrawGridChangeDto,
} from './dto/grid-change.dto';
import { GridChangeBodyPipe } from './grid-change-body.pipe';
import { GridChangesService } from './grid-changes.service';

/** 网格调整申请: requested by the admin or the grid's leader, decided by the admin. */
@ApiTags('org')
@ApiBearerAuth()
@ApiExtraModels(SplitGridChangeDto, MergeGridChangeDto, WithdrawGridChangeDto)
@Controller('grid-changes')
export class GridChangesController {
  constructor(private readonly changes: GridChangesService) {}

  @Post()
  @Roles(Role.CommunityAdmin, Role.GridLeader)
  @ApiBody({
    schema: {
      oneOf: [SplitGridChangeDto, MergeGridChangeDto, WithdrawGridChangeDto].map((dto) => ({ $ref: getSchemaPath(dto) })),
      discriminator: { propertyName: 'kind' },
    },
  })
  @ApiCreatedResponse({ type: GridChangeRequestViewDto })
  request(@CurrentScope() scope: Scope, @Body(GridChangeBodyPipe) body: CreateGridChangeDto): Promise<GridChangeRequestViewDto> {
    return this.changes.request(scope, body);
  }

  @Get()
  @Roles(Role.CommunityAdmin, Role.GridLeader)
  @ApiOkResponse({ type: [GridChangeRequestViewDto] })
  list(@CurrentScope() scope: Scope, @Query() query: GridChangeQueryDto): Promise<GridChangeRequestViewDto[]> {
    return this.changes.list(scope, query.status);
  }

  @Get(':id')
  @Roles(Role.CommunityAdmin, Role.GridLeader)
  @ApiOkResponse({ type: GridChangeRequestViewDto })
  get(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<GridChangeRequestViewDto> {
    return this.changes.get(scope, id);
  }

  /** Applies the change (firms, micro-grids, roles) in one transaction; lists the roles to re-invite. */
  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: ApprovedGridChangeDto })
  approve(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<ApprovedGridChangeDto> {
    return this.changes.approve(scope, id);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: GridChangeRequestViewDto })
  reject(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: RejectGridChangeDto): Promise<GridChangeRequestViewDto> {
    return this.changes.reject(scope, id, body.note);
  }
}
