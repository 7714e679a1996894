import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { PERSON_ROLES, Scope } from '../identity/caller';
import {
  CategoryViewDto,
  CommunityViewDto,
  CreateCategoryDto,
  CreateDepartmentDto,
  CreateFirmDto,
  CreateGridDto,
  CreateMicrogridDto,
  DepartmentViewDto,
  FirmQueryDto,
  FirmViewDto,
  GridViewDto,
  MicrogridQueryDto,
  MicrogridViewDto,
  MoveFirmDto,
  UpdateCategoryDto,
  UpdateCommunityDto,
  UpdateFirmDto,
} from './dto/org.dto';
import { OrgService } from './org.service';

const ADMIN = Role.CommunityAdmin;

/** The organisation, read in the caller's scope; written by the community admin. */
@ApiTags('org')
@ApiBearerAuth()
@Controller()
export class OrgController {
  constructor(private readonly org: OrgService) {}

  @Get('community')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: CommunityViewDto })
  community(@CurrentScope() scope: Scope): Promise<CommunityViewDto> {
    return this.org.community(scope);
  }

  @Patch('community')
  @Roles(ADMIN)
  @ApiOkResponse({ type: CommunityViewDto })
  updateCommunity(@CurrentScope() scope: Scope, @Body() body: UpdateCommunityDto): Promise<CommunityViewDto> {
    return this.org.updateCommunity(scope, body);
  }

  @Get('grids')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [GridViewDto] })
  grids(@CurrentScope() scope: Scope): Promise<GridViewDto[]> {
    return this.org.grids(scope);
  }

  @Get('grids/:id')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: GridViewDto })
  grid(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<GridViewDto> {
    return this.org.grid(scope, id);
  }

  @Post('grids')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: GridViewDto })
  createGrid(@CurrentScope() scope: Scope, @Body() body: CreateGridDto): Promise<GridViewDto> {
    return this.org.createGrid(scope, body);
  }

  @Get('microgrids')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [MicrogridViewDto] })
  microgrids(@CurrentScope() scope: Scope, @Query() query: MicrogridQueryDto): Promise<MicrogridViewDto[]> {
    return this.org.microgrids(scope, query.gridId);
  }

  @Post('microgrids')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: MicrogridViewDto })
  createMicrogrid(@CurrentScope() scope: Scope, @Body() body: CreateMicrogridDto): Promise<MicrogridViewDto> {
    return this.org.createMicrogrid(scope, body);
  }

  @Get('firms')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [FirmViewDto] })
  firms(@CurrentScope() scope: Scope, @Query() query: FirmQueryDto): Promise<FirmViewDto[]> {
    return this.org.firms(scope, query);
  }

  @Get('firms/:id')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: FirmViewDto })
  firm(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<FirmViewDto> {
    return this.org.firm(scope, id);
  }

  @Post('firms')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: FirmViewDto })
  createFirm(@CurrentScope() scope: Scope, @Body() body: CreateFirmDto): Promise<FirmViewDto> {
    return this.org.createFirm(scope, body);
  }

  @Patch('firms/:id')
  @Roles(ADMIN)
  @ApiOkResponse({ type: FirmViewDto })
  updateFirm(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateFirmDto): Promise<FirmViewDto> {
    return this.org.updateFirm(scope, id, body);
  }

  /** 企业调整网格: effective from a date; earlier tickets keep the old grid. */
  @Post('firms/:id/move')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: FirmViewDto })
  moveFirm(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: MoveFirmDto): Promise<FirmViewDto> {
    return this.org.moveFirm(scope, id, body);
  }

  @Get('departments')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [DepartmentViewDto] })
  departments(@CurrentScope() scope: Scope): Promise<DepartmentViewDto[]> {
    return this.org.departments(scope);
  }

  @Post('departments')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: DepartmentViewDto })
  createDepartment(@CurrentScope() scope: Scope, @Body() body: CreateDepartmentDto): Promise<DepartmentViewDto> {
    return this.org.createDepartment(scope, body);
  }

  @Get('categories')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [CategoryViewDto] })
  categories(@CurrentScope() scope: Scope): Promise<CategoryViewDto[]> {
    return this.org.categories(scope);
  }

  @Post('categories')
  @Roles(ADMIN)
  @ApiCreatedResponse({ type: CategoryViewDto })
  createCategory(@CurrentScope() scope: Scope, @Body() body: CreateCategoryDto): Promise<CategoryViewDto> {
    return this.org.createCategory(scope, body);
  }

  @Patch('categories/:id')
  @Roles(ADMIN)
  @ApiOkResponse({ type: CategoryViewDto })
  updateCategory(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateCategoryDto): Promise<CategoryViewDto> {
    return this.org.updateCategory(scope, id, body);
  }
}
