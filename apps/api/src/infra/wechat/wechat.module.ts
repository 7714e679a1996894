import { Global, Module } from '@nestjs/common';
import { WechatClient } from './wechat.client';

/** WeChat's server API for every feature (login, phone binding, notifications); needs CONFIG and Clock. */
@Global()
@Module({ providers: [WechatClient], exports: [WechatClient] })
export class WechatModule {}
