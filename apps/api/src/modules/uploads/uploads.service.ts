import { Injectable } from '@nestjs/common';
import { AttachmentView } from '@qihu/contracts';
import { Tx } from '../../infra/database/transaction';

@Injectable()
export class UploadsService {
  /**
   * Attaches the person's own, not yet attached uploads to a ticket (and the event that added them)
   * in the caller's transaction. Unknown, foreign or already attached ids: AppError UploadNotFound.
   */
  async attach(_tx: Tx, _personId: number, _uploadIds: string[], _target: { ticketId: number; eventId: number }): Promise<AttachmentView[]> {
    throw new Error('UploadsService.attach: being built');
  }

  /** Every attachment of a ticket with fresh signed URLs, oldest first. */
  async listForTicket(_ticketId: number): Promise<AttachmentView[]> {
    throw new Error('UploadsService.listForTicket: being built');
  }
}
