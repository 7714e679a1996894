import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { TicketDeadlines } from './ticket-deadlines';
import { TicketNumberAllocator } from './ticket-number';
import { TicketQueries } from './ticket-queries.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [OrgModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketQueries, TicketDeadlines, TicketNumberAllocator],
  exports: [TicketsService, TicketQueries, TicketDeadlines],
})
export class TicketsModule {}
