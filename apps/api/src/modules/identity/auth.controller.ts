import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentCaller, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { Caller } from './caller';
import {
  BindPhoneDto,
  DemoLoginDto,
  DemoPersonDto,
  RefreshDto,
  SessionDto,
  SwitchRoleDto,
  WechatLoginDto,
} from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** 微信登录: exchange the wx.login code for a session. Rate-limited per client address. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('wechat-login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  wechatLogin(@Body() body: WechatLoginDto): Promise<SessionDto> {
    return this.auth.wechatLogin(body.code);
  }

  /** 绑定手机号: staff invited by phone get their roles here. */
  @ApiBearerAuth()
  @Post('bind-phone')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  bindPhone(@CurrentCaller() caller: Caller, @Body() body: BindPhoneDto): Promise<SessionDto> {
    return this.auth.bindPhone(caller, body.phoneCode);
  }

  /** 切换角色: a new session acting in another of the caller's roles. */
  @ApiBearerAuth()
  @Post('switch-role')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  switchRole(@CurrentCaller() caller: Caller, @Body() body: SwitchRoleDto): Promise<SessionDto> {
    return this.auth.switchRole(caller, body.roleAssignmentId);
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  refresh(@Body() body: RefreshDto): Promise<SessionDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  /** 演示登录: only with the fake WeChat server (never in production). */
  @Public()
  @Get('demo-people')
  @ApiOkResponse({ type: [DemoPersonDto] })
  demoPeople(): Promise<DemoPersonDto[]> {
    return this.auth.demoPeople();
  }

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('demo-login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SessionDto })
  demoLogin(@Body() body: DemoLoginDto): Promise<SessionDto> {
    return this.auth.demoLogin(body.personId);
  }
}
