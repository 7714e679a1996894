import { Controller, Get, HttpCode, HttpStatus, Param, PipeTransform, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ErrorCode, Role } from '@qihu/contracts';
import { IsEnum, IsOptional } from 'class-validator';
import { AppError } from '../../../infra/http/app-error';
import { CurrentScope, Roles } from '../../identity/auth.decorators';
import { Scope } from '../../identity/caller';
import { RowError } from './roster.rows';
import { ImportMode, RosterFile, RosterImportResult, RosterService, UploadedRoster } from './roster.service';
import { isRosterTarget, RosterSheet, RosterTarget, WHOLE_ROSTER } from './roster.sheets';
import { XLSX_CONTENT_TYPE } from './roster.workbook';

/** Bounds what multer buffers in memory; a 10,000-firm roster is about 0.5 MB. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const TARGETS = [...Object.values(RosterSheet), WHOLE_ROSTER];

/** grids | microgrids | firms | staff | all, else 404. */
class RosterTargetPipe implements PipeTransform<string, RosterTarget> {
  transform(value: string): RosterTarget {
    if (!isRosterTarget(value)) throw new AppError(ErrorCode.NotFound, `名单类型不存在，可选：${TARGETS.join('、')}`);
    return value;
  }
}

class ImportQueryDto {
  @ApiPropertyOptional({ enum: ImportMode, default: ImportMode.DryRun, description: 'dry-run 只检查不写入；commit 全部正确才写入' })
  @IsOptional()
  @IsEnum(ImportMode)
  mode: ImportMode = ImportMode.DryRun;
}

class RowErrorDto implements RowError {
  @ApiProperty({ example: '企业' }) sheet!: string;
  @ApiProperty({ description: 'Excel 行号（表头为第 1 行）', example: 7 }) row!: number;
  @ApiProperty({ example: '统一社会信用代码' }) column!: string;
  @ApiProperty({ example: '校验位不正确' }) reason!: string;
}

class RosterImportResultDto implements RosterImportResult {
  @ApiProperty({ enum: TARGETS }) sheet!: RosterTarget;
  @ApiProperty({ enum: ImportMode }) mode!: ImportMode;
  @ApiProperty() rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty({ type: [RowErrorDto] }) errors!: RowErrorDto[];
}

const sheetParam = { name: 'sheet', enum: TARGETS, description: 'all = 一个工作簿含 网格、微网格、企业、人员 四个工作表' };

/** 名单导入导出: Excel templates, upload (dry run / all-or-nothing commit) and export. */
@ApiTags('roster')
@ApiBearerAuth()
@Roles(Role.CommunityAdmin)
@Controller('roster')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  @Get('templates/:sheet')
  @ApiParam(sheetParam)
  @ApiProduces(XLSX_CONTENT_TYPE)
  async template(@CurrentScope() scope: Scope, @Param('sheet', RosterTargetPipe) sheet: RosterTarget): Promise<StreamableFile> {
    return download(await this.roster.template(scope, sheet));
  }

  @Get('export/:sheet')
  @ApiParam(sheetParam)
  @ApiProduces(XLSX_CONTENT_TYPE)
  async export(@CurrentScope() scope: Scope, @Param('sheet', RosterTargetPipe) sheet: RosterTarget): Promise<StreamableFile> {
    return download(await this.roster.export(scope, sheet));
  }

  /** 200 with every row's errors on a dry run; a commit with any error is 422 IMPORT_REJECTED. */
  @Post('import/:sheet')
  @HttpCode(HttpStatus.OK)
  @ApiParam(sheetParam)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOkResponse({ type: RosterImportResultDto })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  import(
    @CurrentScope() scope: Scope,
    @Param('sheet', RosterTargetPipe) sheet: RosterTarget,
    @Query() query: ImportQueryDto,
    @UploadedFile() file: UploadedRoster | undefined,
  ): Promise<RosterImportResultDto> {
    return this.roster.import(scope, sheet, query.mode, file);
  }
}

function download(file: RosterFile): StreamableFile {
  return new StreamableFile(file.content, {
    type: XLSX_CONTENT_TYPE,
    disposition: contentDisposition(file.fileName, file.asciiFileName),
    length: file.content.length,
  });
}

/** RFC 6266 + RFC 5987: an ASCII fallback name and the UTF-8 name (企业名单模板.xlsx). */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const fallback = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
