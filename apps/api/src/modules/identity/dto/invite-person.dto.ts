import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '@qihu/contracts';
import { IsEnum, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

export class InvitePersonDto {
  @ApiProperty({ example: '王网格' })
  @IsString()
  @Length(1, 50)
  name!: string;

  @ApiProperty({ example: '13800138000' })
  @IsString()
  @Length(11, 16)
  phone!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role!: Role;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) gridId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) microgridId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) firmId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) departmentId?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) crewId?: number;
}
