import { ApiProperty } from '@nestjs/swagger';

export class ProjectTokenCountsView {
  @ApiProperty({ example: 3, description: 'Tokens that verify now (a rotated one until its grace ends)' }) active: number;
  @ApiProperty({ example: 1 }) revoked: number;
  @ApiProperty({ example: 0 }) expired: number;
  @ApiProperty({ example: 4 }) total: number;
}

export class ProjectView {
  @ApiProperty({ example: 'shop' }) projectId: string;
  @ApiProperty({ type: ProjectTokenCountsView }) tokens: ProjectTokenCountsView;
}

export class ProjectListView {
  @ApiProperty({ type: [ProjectView], description: 'Sorted by projectId' }) items: ProjectView[];
}
