import { formatTicketNumber, shanghaiDay } from '../ticket-number';

describe('ticket numbers', () => {
  it('uses the calendar day in Asia/Shanghai, not in UTC', () => {
    expect(shanghaiDay(new Date('2026-11-23T15:59:59.999Z'))).toBe('20261123');
    expect(shanghaiDay(new Date('2026-11-23T16:00:00.000Z'))).toBe('20261124');
    expect(shanghaiDay(new Date('2026-12-31T16:30:00.000Z'))).toBe('20270101');
  });

  it('formats QH + day + a sequence padded to four digits, and grows past 9999', () => {
    expect(formatTicketNumber('20261123', 7)).toBe('QH20261123-0007');
    expect(formatTicketNumber('20261123', 12345)).toBe('QH20261123-12345');
  });
});
