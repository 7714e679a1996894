import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreateTicketRequest } from '@qihu/contracts';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class CreateTicketDto implements CreateTicketRequest {
  @ApiPropertyOptional({ example: 1, description: '企业编号，默认为当前登录人的企业' })
  @IsOptional()
  @IsInt()
  @Min(1)
  firmId?: number;

  @ApiProperty({ example: 1, description: '诉求类别编号' })
  @IsInt()
  @Min(1)
  categoryId!: number;

  @ApiPropertyOptional({ example: '车间配电柜跳闸，请尽快派人', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
