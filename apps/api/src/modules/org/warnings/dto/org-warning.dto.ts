import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrgWarning, OrgWarningCode } from '@qihu/contracts';

export class OrgWarningDto implements OrgWarning {
  @ApiProperty({ enum: OrgWarningCode }) code!: OrgWarningCode;
  @ApiProperty({ example: '网格「第一网格」现有 51 家企业，多于社区设定的 20–50 家' }) message!: string;
  @ApiPropertyOptional({ example: '330206101001001' }) gridCode?: string;
  @ApiPropertyOptional({ example: '33020610100100101' }) microgridCode?: string;
  @ApiPropertyOptional() firmId?: number;
}
