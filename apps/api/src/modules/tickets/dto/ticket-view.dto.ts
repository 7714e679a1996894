import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AttachmentView,
  DeadlineKind,
  EscalationLevel,
  GeoPoint,
  TicketAction,
  TicketDeadlineView,
  TicketEventView,
  TicketHolderView,
  TicketListView,
  TicketStatus,
  TicketSummaryView,
  TicketView,
  TransferTargetView,
  Urgency,
} from '@qihu/contracts';

export class TicketEventViewDto implements TicketEventView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'escalate' }) type!: string;
  @ApiProperty({ example: '超时升级' }) typeLabel!: string;
  @ApiProperty({ enum: TicketStatus, nullable: true }) fromStatus!: TicketStatus | null;
  @ApiProperty({ enum: TicketStatus }) toStatus!: TicketStatus;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty({ example: '网格长' }) levelLabel!: string;
  @ApiProperty({ example: 'system' }) actor!: string;
  @ApiProperty({ nullable: true }) actorPersonId!: number | null;
  @ApiProperty({ nullable: true, example: '王网格' }) actorName!: string | null;
  @ApiProperty({ nullable: true }) note!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) data!: Record<string, unknown> | null;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) at!: string;
}

export class TicketHolderViewDto implements TicketHolderView {
  @ApiProperty() personId!: number;
  @ApiProperty({ example: '王网格' }) name!: string;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty({ example: '网格员' }) levelLabel!: string;
}

export class TicketDeadlineViewDto implements TicketDeadlineView {
  @ApiProperty({ enum: DeadlineKind }) kind!: DeadlineKind;
  @ApiProperty({ example: '受理时限' }) label!: string;
  @ApiProperty({ example: '2026-11-23T08:30:00.000Z' }) dueAt!: string;
  @ApiProperty({ description: '剩余毫秒（超时为负）' }) remainingMs!: number;
}

export class TicketViewDto implements TicketView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'QH20261123-0001' }) number!: string;
  @ApiProperty() firmId!: number;
  @ApiProperty() firmName!: string;
  @ApiProperty() categoryId!: number;
  @ApiProperty() categoryName!: string;
  @ApiProperty({ enum: Urgency }) urgency!: Urgency;
  @ApiProperty({ example: '普通' }) urgencyLabel!: string;
  @ApiProperty() description!: string;
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true }) location!: GeoPoint | null;
  @ApiProperty({ nullable: true }) equipmentCode!: string | null;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty({ nullable: true }) requesterName!: string | null;
  @ApiProperty({ enum: TicketStatus }) status!: TicketStatus;
  @ApiProperty({ example: '待受理' }) statusLabel!: string;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty({ example: '网格员' }) levelLabel!: string;
  @ApiProperty({ type: TicketHolderViewDto, nullable: true }) holder!: TicketHolderViewDto | null;
  @ApiProperty({ type: TicketDeadlineViewDto, nullable: true }) deadline!: TicketDeadlineViewDto | null;
  @ApiProperty({ nullable: true, example: '2026-11-23T08:30:00.000Z' }) nextDeadlineAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() supervised!: boolean;
  @ApiProperty({ nullable: true }) rating!: number | null;
  @ApiProperty({ nullable: true }) ratingComment!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ nullable: true }) checkedInAt!: string | null;
  @ApiProperty({ nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) attachments!: AttachmentView[];
  @ApiProperty({ type: [TicketEventViewDto] }) events!: TicketEventViewDto[];
  @ApiProperty({ enum: TicketAction, isArray: true }) actions!: TicketAction[];
}

export class TicketSummaryViewDto implements TicketSummaryView {
  @ApiProperty() id!: number;
  @ApiProperty() number!: string;
  @ApiProperty() firmName!: string;
  @ApiProperty() categoryName!: string;
  @ApiProperty({ enum: Urgency }) urgency!: Urgency;
  @ApiProperty() urgencyLabel!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: TicketStatus }) status!: TicketStatus;
  @ApiProperty() statusLabel!: string;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty() levelLabel!: string;
  @ApiProperty({ nullable: true }) holderName!: string | null;
  @ApiProperty({ type: TicketDeadlineViewDto, nullable: true }) deadline!: TicketDeadlineViewDto | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() supervised!: boolean;
  @ApiProperty() createdAt!: string;
}

export class TicketListViewDto implements TicketListView {
  @ApiProperty({ type: [TicketSummaryViewDto] }) items!: TicketSummaryViewDto[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class TransferTargetDto implements TransferTargetView {
  @ApiProperty() personId!: number;
  @ApiProperty({ example: '李网格' }) name!: string;
  @ApiProperty({ example: '专职网格员' }) roleLabel!: string;
}
