import { Body, Controller, Get, HttpStatus, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import type { Response } from 'express';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { Scope } from '../identity/caller';
import { CatalogueService } from './catalogue.service';
import {
  CatalogueQueryDto,
  CreatePartDto,
  CreateServiceItemDto,
  NewPriceDto,
  PartViewDto,
  PriceVersionViewDto,
  ServiceItemQueryDto,
  ServiceItemViewDto,
  UpdatePartDto,
  UpdateServiceItemDto,
} from './dto/parts.dto';
import { CATALOGUE_READERS } from './parts-access';

/**
 * The unified price list (统一价目表). The community admin writes; staff, crews and firm contacts
 * read. A price change is a new version (`POST :id/prices`); old versions are never rewritten.
 * Sending the same create or price again answers what is there (200 instead of 201).
 */
@ApiTags('parts')
@ApiBearerAuth()
@Controller('service-items')
export class ServiceItemsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: [ServiceItemViewDto] })
  list(@CurrentScope() scope: Scope, @Query() query: ServiceItemQueryDto): Promise<ServiceItemViewDto[]> {
    return this.catalogue.list(scope, 'service', query);
  }

  @Get(':id')
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: ServiceItemViewDto })
  get(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<ServiceItemViewDto> {
    return this.catalogue.get(scope, 'service', id);
  }

  @Post()
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: ServiceItemViewDto })
  async create(@CurrentScope() scope: Scope, @Body() body: CreateServiceItemDto, @Res({ passthrough: true }) res: Response): Promise<ServiceItemViewDto> {
    const { view, created } = await this.catalogue.create(scope, 'service', body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Patch(':id')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: ServiceItemViewDto })
  update(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateServiceItemDto): Promise<ServiceItemViewDto> {
    return this.catalogue.update(scope, 'service', id, body);
  }

  @Get(':id/prices')
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: [PriceVersionViewDto], description: '价格版本，新的在前' })
  prices(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<PriceVersionViewDto[]> {
    return this.catalogue.prices(scope, 'service', id);
  }

  @Post(':id/prices')
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: PriceVersionViewDto })
  async addPrice(
    @CurrentScope() scope: Scope,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: NewPriceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceVersionViewDto> {
    const { view, created } = await this.catalogue.addPrice(scope, 'service', id, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }
}

/** The parts catalogue (配件目录): as the price list, with a spec instead of a skill. */
@ApiTags('parts')
@ApiBearerAuth()
@Controller('parts')
export class PartsCatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: [PartViewDto] })
  list(@CurrentScope() scope: Scope, @Query() query: CatalogueQueryDto): Promise<PartViewDto[]> {
    return this.catalogue.list(scope, 'part', query);
  }

  @Get(':id')
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: PartViewDto })
  get(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<PartViewDto> {
    return this.catalogue.get(scope, 'part', id);
  }

  @Post()
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: PartViewDto })
  async create(@CurrentScope() scope: Scope, @Body() body: CreatePartDto, @Res({ passthrough: true }) res: Response): Promise<PartViewDto> {
    const { view, created } = await this.catalogue.create(scope, 'part', body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Patch(':id')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: PartViewDto })
  update(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdatePartDto): Promise<PartViewDto> {
    return this.catalogue.update(scope, 'part', id, body);
  }

  @Get(':id/prices')
  @Roles(...CATALOGUE_READERS)
  @ApiOkResponse({ type: [PriceVersionViewDto], description: '价格版本，新的在前' })
  prices(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<PriceVersionViewDto[]> {
    return this.catalogue.prices(scope, 'part', id);
  }

  @Post(':id/prices')
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: PriceVersionViewDto })
  async addPrice(
    @CurrentScope() scope: Scope,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: NewPriceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceVersionViewDto> {
    const { view, created } = await this.catalogue.addPrice(scope, 'part', id, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }
}
