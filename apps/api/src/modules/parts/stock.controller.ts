import { Body, Controller, Get, Headers, HttpStatus, Param, ParseIntPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import type { Response } from 'express';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { Scope } from '../identity/caller';
import {
  CreateStoreDto,
  StockAdjustmentDto,
  StockLineViewDto,
  StockMovementListViewDto,
  StockMovementQueryDto,
  StockMovementViewDto,
  StockReceiptDto,
  StockThresholdDto,
  StoreStockViewDto,
  StoreViewDto,
} from './dto/parts.dto';
import { idempotencyKeyOf, KEY_HEADER } from '../../infra/http/idempotency-key';
import { STOCK_READERS } from './parts-access';
import { StockService } from './stock.service';

/**
 * Parts stores and their stock (一个备件池). The admin keeps every store; a crew member reads his
 * crew's. Takes and returns come from dispatch (PartsService), not from here.
 */
@ApiTags('parts')
@ApiBearerAuth()
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get('stores')
  @Roles(...STOCK_READERS)
  @ApiOkResponse({ type: [StoreViewDto] })
  stores(@CurrentScope() scope: Scope): Promise<StoreViewDto[]> {
    return this.stock.stores(scope);
  }

  @Post('stores')
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: StoreViewDto })
  async createStore(@CurrentScope() scope: Scope, @Body() body: CreateStoreDto, @Res({ passthrough: true }) res: Response): Promise<StoreViewDto> {
    const { view, created } = await this.stock.createStore(scope, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Get('stores/:id/stock')
  @Roles(...STOCK_READERS)
  @ApiOkResponse({ type: StoreStockViewDto })
  storeStock(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<StoreStockViewDto> {
    return this.stock.stock(scope, id);
  }

  /** 入库. A retry with the same Idempotency-Key answers the same movement (200). */
  @Post('stores/:id/receipts')
  @Roles(Role.CommunityAdmin)
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: StockMovementViewDto })
  async receive(
    @CurrentScope() scope: Scope,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: StockReceiptDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StockMovementViewDto> {
    const { view, created } = await this.stock.receive(scope, id, body, idempotencyKeyOf(key));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  /** 盘点: the stock becomes the counted quantity, with the reason in the ledger. */
  @Post('stores/:id/adjustments')
  @Roles(Role.CommunityAdmin)
  @ApiHeader(KEY_HEADER)
  @ApiCreatedResponse({ type: StockMovementViewDto })
  async adjust(
    @CurrentScope() scope: Scope,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: StockAdjustmentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StockMovementViewDto> {
    const { view, created } = await this.stock.adjust(scope, id, body, idempotencyKeyOf(key));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return view;
  }

  @Patch('stores/:id/stock/:partId')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: StockLineViewDto })
  setThreshold(
    @CurrentScope() scope: Scope,
    @Param('id', ParseIntPipe) id: number,
    @Param('partId', ParseIntPipe) partId: number,
    @Body() body: StockThresholdDto,
  ): Promise<StockLineViewDto> {
    return this.stock.setThreshold(scope, id, partId, body.lowThreshold);
  }

  @Get('stores/:id/movements')
  @Roles(...STOCK_READERS)
  @ApiOkResponse({ type: StockMovementListViewDto })
  movements(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number, @Query() query: StockMovementQueryDto): Promise<StockMovementListViewDto> {
    return this.stock.movements(scope, id, query);
  }

  @Get('stock/low')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: [StockLineViewDto], description: '处于或低于预警值的库存，全社区' })
  low(@CurrentScope() scope: Scope): Promise<StockLineViewDto[]> {
    return this.stock.low(scope);
  }
}
