import { ApiProperty } from '@nestjs/swagger';
import { IntakeDefaultsView } from '@qihu/contracts';

export class IntakeDefaultsDto implements IntakeDefaultsView {
  @ApiProperty({ example: 1 }) firmId!: number;
  @ApiProperty({ example: '宁波示范精密机械有限公司' }) firmName!: string;
  @ApiProperty({ example: 1 }) categoryId!: number;
  @ApiProperty({ example: '综合诉求' }) categoryName!: string;
}
