import { Injectable } from '@nestjs/common';

/** The only source of "now" in the API; tests replace it instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
