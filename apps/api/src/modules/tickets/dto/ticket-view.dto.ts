import { ApiProperty } from '@nestjs/swagger';
import { EscalationLevel, TicketEventView, TicketStatus, TicketView } from '@qihu/contracts';

export class TicketEventViewDto implements TicketEventView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'escalate' }) type!: string;
  @ApiProperty({ enum: TicketStatus, nullable: true }) fromStatus!: TicketStatus | null;
  @ApiProperty({ enum: TicketStatus }) toStatus!: TicketStatus;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty({ example: 'system' }) actor!: string;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' }) at!: string;
}

export class TicketViewDto implements TicketView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'QH20261123-0001' }) number!: string;
  @ApiProperty() firmId!: number;
  @ApiProperty() categoryId!: number;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: TicketStatus }) status!: TicketStatus;
  @ApiProperty({ example: '待受理' }) statusLabel!: string;
  @ApiProperty({ enum: EscalationLevel }) level!: EscalationLevel;
  @ApiProperty({ example: '网格员' }) levelLabel!: string;
  @ApiProperty({ nullable: true, example: '2026-11-23T08:30:00.000Z' }) nextDeadlineAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: [TicketEventViewDto] }) events!: TicketEventViewDto[];
}
