import { Body, Controller, Get, Headers, HttpStatus, Logger, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { UPLOAD_FILE_FIELD } from '@qihu/contracts';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { CurrentScope, Public, Roles } from '../identity/auth.decorators';
import { PERSON_ROLES, Scope } from '../identity/caller';
import { AttachmentViewDto, UploadFieldsDto } from './dto/upload.dto';
import { UploadFileInterceptor } from './upload-file.interceptor';
import { ReceivedFile, UploadsService } from './uploads.service';

/** 上传图片、语音: the file first, then its id goes with the ticket action. */
@ApiTags('uploads')
@ApiBearerAuth()
@Roles(...PERSON_ROLES)
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** 201 with the stored upload; the same bytes sent again soon after answer with the same upload. */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        [UPLOAD_FILE_FIELD]: { type: 'string', format: 'binary', description: '图片 JPEG/PNG/WebP，或语音 AAC/MP3/M4A' },
        durationMs: { type: 'integer', description: '语音时长（毫秒），仅语音' },
      },
      required: [UPLOAD_FILE_FIELD],
    },
  })
  @ApiCreatedResponse({ type: AttachmentViewDto })
  @UseInterceptors(UploadFileInterceptor)
  upload(@CurrentScope() scope: Scope, @UploadedFile() file: ReceivedFile | undefined, @Body() fields: UploadFieldsDto): Promise<AttachmentViewDto> {
    return this.uploads.upload(scope.personId, file, fields);
  }

  /** The caller's own upload (a preview before it is sent); anybody else's is 404. */
  @Get(':id')
  @ApiOkResponse({ type: AttachmentViewDto })
  preview(@CurrentScope() scope: Scope, @Param('id') id: string): Promise<AttachmentViewDto> {
    return this.uploads.preview(scope.personId, id);
  }
}

/** The files behind signed links (AttachmentView.url): no login header, the link is the permission. */
@ApiTags('uploads')
@Controller('files')
export class FilesController {
  private readonly logger = new Logger(FilesController.name);

  constructor(private readonly uploads: UploadsService) {}

  @Get(':id')
  @Public()
  @ApiQuery({ name: 'exp', description: '过期时间（Unix 秒）' })
  @ApiQuery({ name: 'sig', description: '签名' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'audio/aac', 'audio/mpeg', 'audio/mp4')
  async file(
    @Param('id') id: string,
    @Query('exp') exp: unknown,
    @Query('sig') sig: unknown,
    @Headers('range') range: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.uploads.openLinked(id, exp, sig, range);
    res.status(file.range ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK);
    res.set({
      'Content-Type': file.mime,
      'Content-Length': String(file.range ? file.range.end - file.range.start + 1 : file.size),
      'Accept-Ranges': 'bytes',
      'Cache-Control': `private, max-age=${file.maxAgeSeconds}`,
      // Served as what the bytes were checked to be, never sniffed into something else.
      'X-Content-Type-Options': 'nosniff',
      ...(file.range ? { 'Content-Range': `bytes ${file.range.start}-${file.range.end}/${file.size}` } : {}),
    });
    // The pipeline destroys both streams when either fails. Headers are sent by then, so
    // there is nothing to answer: a client that went away is normal, a storage failure is logged.
    await pipeline(file.body, res).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.warn({ err, uploadId: id }, 'file stream broke off');
    });
  }
}
