import { Logger } from '@nestjs/common';
import { CHINESE_HOLIDAY_DATA_YEARS } from '@qihu/domain';
import { AppConfig } from '../../../config/config';
import { Clock } from '../../../infra/clock';
import { SlaService } from '../../sla/sla.service';
import { HOLIDAY_DATA_LOOKAHEAD_MS, TicketDeadlines } from '../ticket-deadlines';

class FixedClock extends Clock {
  constructor(private readonly at: Date) {
    super();
  }
  override now(): Date {
    return this.at;
  }
}

/** Only the bootstrap check is exercised: it reads neither the config nor the SLA service. */
function deadlinesAt(at: Date): TicketDeadlines {
  return new TicketDeadlines({} as AppConfig, {} as SlaService, new FixedClock(at));
}

describe('TicketDeadlines at start', () => {
  const lastYear = CHINESE_HOLIDAY_DATA_YEARS.last;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('warns in Chinese, naming the year, once the holiday table ends within the lookahead', () => {
    const startOfMissingYear = Date.parse(`${lastYear + 1}-01-01T00:00:00+08:00`);
    deadlinesAt(new Date(startOfMissingYear - HOLIDAY_DATA_LOOKAHEAD_MS)).onApplicationBootstrap();
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields, message] = warn.mock.calls[0];
    expect(fields).toEqual({ missingYear: lastYear + 1 });
    expect(message).toContain(`节假日数据不含 ${lastYear + 1} 年`);
    expect(message).toContain('chinese-days');
  });

  it('stays quiet while the table covers the whole lookahead', () => {
    const startOfMissingYear = Date.parse(`${lastYear + 1}-01-01T00:00:00+08:00`);
    deadlinesAt(new Date(startOfMissingYear - HOLIDAY_DATA_LOOKAHEAD_MS - 1)).onApplicationBootstrap();
    expect(warn).not.toHaveBeenCalled();
  });
});
