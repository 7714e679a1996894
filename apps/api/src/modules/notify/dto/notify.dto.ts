import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DeliveryAttemptResult,
  DeliveryAttemptView,
  NotificationDeliveryState,
  NotificationDeliveryView,
  NotificationKind,
  NotificationListQuery,
  NotificationListView,
  NotificationTemplateView,
  NotificationView,
  ReadAllNotificationsView,
  SubscriptionAnswerRequest,
} from '@qihu/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TEMPLATED_KINDS } from '../templates';

export class NotificationViewDto implements NotificationView {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: NotificationKind }) kind!: NotificationKind;
  @ApiProperty({ type: Number, nullable: true }) ticketId!: number | null;
  @ApiProperty({ example: '新工单待受理' }) title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ example: 'pages/ticket/index?id=12' }) page!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) data!: Record<string, string>;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) readAt!: string | null;
}

export class NotificationListViewDto implements NotificationListView {
  @ApiProperty({ type: [NotificationViewDto] }) items!: NotificationViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty() unreadCount!: number;
}

export class NotificationListQueryDto implements NotificationListQuery {
  @ApiPropertyOptional({ description: '只看未读' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: '上一页的 nextCursor' }) @IsOptional() @Matches(/^[1-9]\d{0,15}$/) cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class ReadAllNotificationsViewDto implements ReadAllNotificationsView {
  @ApiProperty() marked!: number;
  @ApiProperty() unreadCount!: number;
}

export class NotificationTemplateViewDto implements NotificationTemplateView {
  @ApiProperty({ enum: NotificationKind }) kind!: NotificationKind;
  @ApiProperty({ example: 'tpl-ticket-assigned' }) templateId!: string;
  @ApiProperty({ type: Boolean, nullable: true }) accepted!: boolean | null;
  @ApiProperty({ type: String, nullable: true }) answeredAt!: string | null;
}

export class SubscriptionAnswerDto implements SubscriptionAnswerRequest {
  @ApiProperty({ enum: TEMPLATED_KINDS, isArray: true, description: '本次 wx.requestSubscribeMessage 询问的消息类型' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(TEMPLATED_KINDS.length)
  @ArrayUnique()
  @IsIn(TEMPLATED_KINDS, { each: true })
  kinds!: NotificationKind[];

  @ApiProperty({ description: '用户是否同意接收' }) @IsBoolean() accepted!: boolean;
}

export class DeliveriesQueryDto {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) ticketId!: number;
}

export class DeliveryAttemptViewDto implements DeliveryAttemptView {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ enum: DeliveryAttemptResult }) result!: DeliveryAttemptResult;
  @ApiProperty({ type: Number, nullable: true }) errcode!: number | null;
  @ApiProperty({ type: String, nullable: true }) errmsg!: string | null;
  @ApiProperty() ms!: number;
}

export class NotificationDeliveryViewDto implements NotificationDeliveryView {
  @ApiProperty() notificationId!: number;
  @ApiProperty() personId!: number;
  @ApiProperty() personName!: string;
  @ApiProperty({ enum: NotificationKind }) kind!: NotificationKind;
  @ApiProperty() title!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ enum: NotificationDeliveryState }) state!: NotificationDeliveryState;
  @ApiProperty({ type: Boolean, nullable: true }) subscribed!: boolean | null;
  @ApiProperty({ type: [DeliveryAttemptViewDto] }) attempts!: DeliveryAttemptViewDto[];
}
