import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { CurrentScope, Roles } from '../identity/auth.decorators';
import { PERSON_ROLES, Scope } from '../identity/caller';
import {
  DeliveriesQueryDto,
  NotificationDeliveryViewDto,
  NotificationListQueryDto,
  NotificationListViewDto,
  NotificationTemplateViewDto,
  NotificationViewDto,
  ReadAllNotificationsViewDto,
  SubscriptionAnswerDto,
} from './dto/notify.dto';
import { InboxService } from './inbox.service';

/** The caller's own inbox and subscription answers; the admin's delivery log of a ticket. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotifyController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: NotificationListViewDto })
  list(@CurrentScope() scope: Scope, @Query() query: NotificationListQueryDto): Promise<NotificationListViewDto> {
    return this.inbox.list(scope, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: ReadAllNotificationsViewDto })
  readAll(@CurrentScope() scope: Scope): Promise<ReadAllNotificationsViewDto> {
    return this.inbox.markAllRead(scope);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: NotificationViewDto })
  read(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<NotificationViewDto> {
    return this.inbox.markRead(scope, id);
  }

  @Get('templates')
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [NotificationTemplateViewDto] })
  templates(@CurrentScope() scope: Scope): Promise<NotificationTemplateViewDto[]> {
    return this.inbox.templates(scope);
  }

  @Post('subscriptions')
  @HttpCode(200)
  @Roles(...PERSON_ROLES)
  @ApiOkResponse({ type: [NotificationTemplateViewDto] })
  answerSubscriptions(@CurrentScope() scope: Scope, @Body() body: SubscriptionAnswerDto): Promise<NotificationTemplateViewDto[]> {
    return this.inbox.answerSubscriptions(scope, body);
  }

  @Get('deliveries')
  @Roles(Role.CommunityAdmin)
  @ApiOkResponse({ type: [NotificationDeliveryViewDto] })
  deliveries(@CurrentScope() scope: Scope, @Query() query: DeliveriesQueryDto): Promise<NotificationDeliveryViewDto[]> {
    return this.inbox.deliveries(scope, query.ticketId);
  }
}
