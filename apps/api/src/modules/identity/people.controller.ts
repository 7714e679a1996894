import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PersonView, Role } from '@qihu/contracts';
import type { Response } from 'express';
import { CurrentCaller, CurrentScope, Roles } from './auth.decorators';
import { Caller, GRID_ROLES, Scope } from './caller';
import { MeViewDto, RoleAssignmentViewDto } from './dto/auth.dto';
import { InvitePersonDto } from './dto/invite-person.dto';
import { IdentityService } from './identity.service';

class PersonViewDto implements PersonView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ description: '管理员可见完整号码，其他角色为脱敏号码' }) phone!: string;
  @ApiProperty() linked!: boolean;
  @ApiProperty({ type: [RoleAssignmentViewDto] }) roles!: RoleAssignmentViewDto[];
}

@ApiTags('people')
@ApiBearerAuth()
@Controller()
export class PeopleController {
  constructor(private readonly identity: IdentityService) {}

  /** 我的: who I am, my roles and the one I act in now. */
  @Get('me')
  @ApiOkResponse({ type: MeViewDto })
  me(@CurrentCaller() caller: Caller): Promise<MeViewDto> {
    return this.identity.me(caller.personId, caller.roleAssignmentId);
  }

  /** 人员名单: the community's people for an admin; the grid's staff and contacts for grid staff. */
  @Get('people')
  @Roles(Role.CommunityAdmin, ...GRID_ROLES)
  @ApiOkResponse({ type: [PersonViewDto] })
  list(@CurrentScope() scope: Scope): Promise<PersonViewDto[]> {
    return this.identity.listPeople(scope);
  }

  /** 邀请人员: by phone, into a role and scope. Repeating it answers 200 with the same person. */
  @Post('people/invitations')
  @Roles(Role.CommunityAdmin)
  @ApiCreatedResponse({ type: PersonViewDto })
  async invite(
    @CurrentScope() scope: Scope,
    @Body() body: InvitePersonDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PersonViewDto> {
    const { person, created } = await this.identity.invite(scope, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return person;
  }

  @Delete('role-assignments/:id')
  @Roles(Role.CommunityAdmin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  revoke(@CurrentScope() scope: Scope, @Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.identity.revoke(scope, id);
  }
}
