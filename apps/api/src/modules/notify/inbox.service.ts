import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCode,
  NotificationDeliveryState,
  NotificationDeliveryView,
  NotificationKind,
  NotificationListView,
  NotificationTemplateView,
  NotificationView,
  ReadAllNotificationsView,
} from '@qihu/contracts';
import { EntityManager, In, IsNull } from 'typeorm';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../../infra/clock';
import { TransactionRunner } from '../../infra/database/transaction';
import { AppError } from '../../infra/http/app-error';
import { Scope } from '../identity/caller';
import { Person } from '../identity/person.entity';
import { NotificationListQueryDto, SubscriptionAnswerDto } from './dto/notify.dto';
import { Notification, NotificationDelivery, NotificationOutbox, NotificationSubscription } from './entities';
import { TEMPLATED_KINDS, templateIdOf } from './templates';

const PAGE_DEFAULT = 20;

/**
 * A person's own inbox and subscription answers (whatever role they act in: notifications are
 * addressed to people), and the community admin's view of a ticket's deliveries.
 */
@Injectable()
export class InboxService {
  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  private get manager(): EntityManager {
    return this.transactions.manager;
  }

  /** Newest first; the cursor is the last id seen. */
  async list(scope: Scope, query: NotificationListQueryDto): Promise<NotificationListView> {
    const limit = query.limit ?? PAGE_DEFAULT;
    const qb = this.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.person_id = :person', { person: scope.personId })
      .orderBy('n.id', 'DESC')
      .limit(limit + 1);
    if (query.unread) qb.andWhere('n.read_at IS NULL');
    if (query.cursor) qb.andWhere('n.id < :cursor', { cursor: query.cursor });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return {
      items: page.map(viewOf),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
      unreadCount: await this.unreadCount(scope),
    };
  }

  /** Idempotent: a notification read before keeps its first read time. */
  async markRead(scope: Scope, id: number): Promise<NotificationView> {
    const own = { id, personId: scope.personId };
    await this.manager.update(Notification, { ...own, readAt: IsNull() }, { readAt: this.clock.now() });
    const notification = await this.manager.findOneBy(Notification, own);
    if (!notification) throw new AppError(ErrorCode.NotificationNotFound);
    return viewOf(notification);
  }

  async markAllRead(scope: Scope): Promise<ReadAllNotificationsView> {
    const result = await this.manager.update(Notification, { personId: scope.personId, readAt: IsNull() }, { readAt: this.clock.now() });
    return { marked: result.affected ?? 0, unreadCount: await this.unreadCount(scope) };
  }

  /** The templates the mini-program asks the person to accept, with their latest answers. */
  async templates(scope: Scope): Promise<NotificationTemplateView[]> {
    const answers = await this.manager.findBy(NotificationSubscription, { personId: scope.personId });
    const byKind = new Map(answers.map((a) => [a.kind, a]));
    return TEMPLATED_KINDS.map((kind) => {
      const answer = byKind.get(kind);
      return {
        kind,
        templateId: templateIdOf(kind, this.config.notify.templates) as string,
        accepted: answer ? answer.accepted : null,
        answeredAt: answer ? answer.answeredAt.toISOString() : null,
      };
    });
  }

  /** Keeps the latest answer per kind; sending goes ahead regardless (WeChat decides, 43101). */
  async answerSubscriptions(scope: Scope, input: SubscriptionAnswerDto): Promise<NotificationTemplateView[]> {
    const answeredAt = this.clock.now();
    await this.manager.upsert(
      NotificationSubscription,
      input.kinds.map((kind) => ({ personId: scope.personId, kind, accepted: input.accepted, answeredAt })),
      ['personId', 'kind'],
    );
    return this.templates(scope);
  }

  /** Every notification about a ticket of the admin's community, with its delivery log. */
  async deliveries(scope: Scope, ticketId: number): Promise<NotificationDeliveryView[]> {
    // Tickets belong to the tickets module; only the community column is read here.
    const [ticket] = await this.manager.query('SELECT id FROM ticket WHERE id = ? AND community_id = ?', [ticketId, scope.communityId]);
    if (!ticket) throw new AppError(ErrorCode.TicketNotFound);
    const rows = await this.manager
      .createQueryBuilder(Notification, 'n')
      .innerJoin(NotificationOutbox, 'o', 'o.notification_id = n.id')
      .innerJoin(Person, 'p', 'p.id = n.person_id')
      .leftJoin(NotificationSubscription, 's', 's.person_id = n.person_id AND s.kind = n.kind')
      .select([
        'n.id AS id',
        'n.person_id AS personId',
        'p.name AS personName',
        'n.kind AS kind',
        'n.title AS title',
        'n.created_at AS createdAt',
        'o.state AS state',
        's.accepted AS accepted',
      ])
      .where('n.ticket_id = :ticketId', { ticketId })
      .orderBy('n.id', 'ASC')
      .getRawMany<{ id: number; personId: number; personName: string; kind: NotificationKind; title: string; createdAt: Date; state: NotificationDeliveryState; accepted: number | null }>();
    const log = rows.length
      ? await this.manager.find(NotificationDelivery, {
          where: { notificationId: In(rows.map((r) => Number(r.id))) },
          order: { notificationId: 'ASC', attempt: 'ASC', id: 'ASC' },
        })
      : [];
    return rows.map((r) => ({
      notificationId: Number(r.id),
      personId: Number(r.personId),
      personName: r.personName,
      kind: r.kind,
      title: r.title,
      createdAt: r.createdAt.toISOString(),
      state: r.state,
      subscribed: r.accepted === null ? null : Boolean(Number(r.accepted)),
      attempts: log
        .filter((d) => d.notificationId === Number(r.id))
        .map((d) => ({ attempt: d.attempt, at: d.at.toISOString(), result: d.result, errcode: d.errcode, errmsg: d.errmsg, ms: d.ms })),
    }));
  }

  private unreadCount(scope: Scope): Promise<number> {
    return this.manager.countBy(Notification, { personId: scope.personId, readAt: IsNull() });
  }
}

function viewOf(n: Notification): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    ticketId: n.ticketId,
    title: n.title,
    body: n.body,
    page: n.page,
    data: n.data,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}
