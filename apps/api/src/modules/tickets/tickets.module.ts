import { Module } from '@nestjs/common';
import { OrgModule } from '../org/org.module';
import { TicketNumberAllocator } from './ticket-number';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [OrgModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketNumberAllocator],
})
export class TicketsModule {}
