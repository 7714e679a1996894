import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseIntPipe, Patch, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import type { Response } from 'express';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { Scope } from '../identity/caller';
import {
  CreateEquipmentDto,
  EquipmentFileViewDto,
  EquipmentListQueryDto,
  EquipmentScanViewDto,
  EquipmentViewDto,
  LabelSheetQueryDto,
  RecurringFaultsQueryDto,
  RecurringFaultsViewDto,
  UpdateEquipmentDto,
} from './dto/equipment.dto';
import { EQUIPMENT_MANAGERS, EQUIPMENT_READERS, EQUIPMENT_SCANNERS, LABEL_READERS } from './equipment-access';
import { idempotencyKeyOf, KEY_HEADER } from '../../infra/http/idempotency-key';
import { EquipmentService, LabelFile } from './equipment.service';
import { RecurringFaultsService } from './recurring-faults.service';

/** Shown in place (the mini-program, a browser tab to print from); never cached, the QR holds the label token. */
function inline(file: LabelFile): StreamableFile {
  return new StreamableFile(file.content, { type: file.contentType, disposition: `inline; filename="${file.fileName}"`, length: file.content.length });
}
const NO_STORE = { 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' };

/** 一设备一档: machines, their files and labels, the scan lookup and 一类事. */
@ApiTags('equipment')
@ApiBearerAuth()
@Controller('equipment')
export class EquipmentController {
  constructor(
    private readonly equipment: EquipmentService,
    private readonly recurring: RecurringFaultsService,
  ) {}

  @Get()
  @Roles(...EQUIPMENT_READERS)
  @ApiOkResponse({ type: [EquipmentViewDto] })
  list(@CurrentScope() scope: Scope, @Query() query: EquipmentListQueryDto): Promise<EquipmentViewDto[]> {
    return this.equipment.list(scope, query);
  }

  /** 201 with the new machine; a retry with the same Idempotency-Key answers 200 with the same one. */
  @Post()
  @Roles(...EQUIPMENT_MANAGERS)
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: EquipmentViewDto })
  @ApiOkResponse({ type: EquipmentViewDto, description: '同一请求编号的重试' })
  async create(
    @CurrentScope() scope: Scope,
    @Body() body: CreateEquipmentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EquipmentViewDto> {
    const { equipment, created } = await this.equipment.create(scope, body, idempotencyKeyOf(key));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return equipment;
  }

  /** 一类事: faults of one model, or of one category in one grid, recurring across firms. */
  @Get('recurring')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: RecurringFaultsViewDto })
  recurringFaults(@CurrentScope() scope: Scope, @Query() query: RecurringFaultsQueryDto): Promise<RecurringFaultsViewDto> {
    return this.recurring.find(scope, query);
  }

  /** One printable A4 page (24 labels) of a firm's machines in use; `X-Total-Pages` says how many pages there are. */
  @Get('labels.svg')
  @Roles(...LABEL_READERS)
  @ApiProduces('image/svg+xml')
  @ApiResponse({ status: 200, description: 'A4 标签页', headers: { 'X-Total-Pages': { description: '总页数', schema: { type: 'integer' } } } })
  async labelSheet(@CurrentScope() scope: Scope, @Query() query: LabelSheetQueryDto, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const sheet = await this.equipment.labelSheet(scope, query);
    res.set({ ...NO_STORE, 'X-Total-Pages': String(sheet.totalPages), 'Access-Control-Expose-Headers': 'X-Total-Pages' });
    return inline(sheet);
  }

  /** 扫码报修: the machine behind a scanned label, and the category to raise its fault in. */
  @Get('by-code/:code')
  @Roles(...EQUIPMENT_SCANNERS)
  @ApiOkResponse({ type: EquipmentScanViewDto })
  byCode(@CurrentScope() scope: Scope, @Param('code') code: string): Promise<EquipmentScanViewDto> {
    return this.equipment.byCode(scope, code);
  }

  /** 一设备一档: the machine with its faults, MTBF/MTTR, visits and costs. */
  @Get(':id')
  @Roles(...EQUIPMENT_READERS)
  @ApiOkResponse({ type: EquipmentFileViewDto })
  file(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<EquipmentFileViewDto> {
    return this.equipment.file(scope, id);
  }

  @Patch(':id')
  @Roles(...EQUIPMENT_MANAGERS)
  @ApiOkResponse({ type: EquipmentViewDto })
  update(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Body() body: UpdateEquipmentDto): Promise<EquipmentViewDto> {
    return this.equipment.update(scope, id, body);
  }

  /** 停用 (scrapped, sold): keeps its file; no new requests. Retiring again answers the same. */
  @Post(':id/retire')
  @HttpCode(HttpStatus.OK)
  @Roles(...EQUIPMENT_MANAGERS)
  @ApiOkResponse({ type: EquipmentViewDto })
  retire(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<EquipmentViewDto> {
    return this.equipment.retire(scope, id);
  }

  /** The QR alone, 10 px per module. */
  @Get(':id/label.png')
  @Roles(...LABEL_READERS)
  @ApiProduces('image/png')
  async labelPng(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.equipment.labelPng(scope, id);
    res.set(NO_STORE);
    return inline(file);
  }

  /** The label at print size (50 × 47.5 mm): QR, code and name. */
  @Get(':id/label.svg')
  @Roles(...LABEL_READERS)
  @ApiProduces('image/svg+xml')
  async labelSvg(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.equipment.labelSvg(scope, id);
    res.set(NO_STORE);
    return inline(file);
  }
}
