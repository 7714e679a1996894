import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ErrorCode } from '@qihu/contracts';
import { AppConfig, CONFIG } from '../../config/config';
import { Clock } from '../clock';
import { AppError } from '../http/app-error';

/**
 * Who a login code belongs to. `sessionKey` is WeChat's key to this user's encrypted data: it
 * must never leave the server (no response body, log line, job payload or token claim). Store
 * it server-side if a feature needs it, otherwise drop it. It is non-enumerable, so spreading,
 * JSON.stringify and loggers skip it; read it by name.
 */
export interface WechatSession {
  openid: string;
  unionid?: string;
  readonly sessionKey: string;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page the notification opens, with its query: `pages/ticket/detail?id=42`. */
  page?: string;
  /**
   * Keyword values by the template's keys (`thing1`, `time2` …). WeChat refuses values over
   * its limits (thing 20 characters, phrase 5, character_string 32 …) with errcode 47003.
   */
  data: Record<string, string>;
  /** Which build the notification opens; WeChat's default is the released one. */
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

export type SubscribeSendResult =
  | { sent: true; msgid: string }
  | { sent: false; reason: 'not_subscribed' | 'rejected'; errcode: number; errmsg: string };

export interface WechatClientOptions {
  /** Limit on each HTTP call to WeChat, body included. */
  timeoutMs?: number;
}

/** Optional provider of WechatClientOptions; without one the defaults apply. */
export const WECHAT_CLIENT_OPTIONS = Symbol('WechatClientOptions');

const DEFAULT_TIMEOUT_MS = 5000;
/** Refresh the access token this long before WeChat says it expires. */
const TOKEN_REFRESH_MARGIN_S = 300;

const WECHAT_UNAVAILABLE = '微信服务暂时不可用，请稍后再试';

/** WeChat's errcodes (it answers business errors with HTTP 200). */
const Errcode = {
  SystemBusy: -1,
  InvalidCredential: 40001,
  InvalidAccessToken: 40014,
  AccessTokenExpired: 42001,
  InvalidAppId: 40013,
  InvalidAppSecret: 40125,
  InvalidCode: 40029,
  CodeUsed: 40163,
  RiskyUser: 40226,
  FrequencyLimit: 45011,
  NotSubscribed: 43101,
} as const;

const ACCESS_TOKEN_REJECTED = new Set<number>([Errcode.InvalidCredential, Errcode.InvalidAccessToken, Errcode.AccessTokenExpired]);

type WechatReply = { errcode: number; errmsg: string; [field: string]: unknown };

/**
 * The one way the API talks to WeChat's servers (config.wechat.apiBase: the real
 * api.weixin.qq.com, or test/fakes/wechat-server.js in tests and the demo).
 *
 * Failures reach callers as: WeChat unreachable, slow, 5xx or "system busy" → AppError
 * ServiceUnavailable (retry later); the user's own bad input (login or phone code) → a 4xx
 * AppError; our misconfiguration (appid/secret) or an answer we do not understand → a plain
 * Error, i.e. a logged 500. Neither the secret nor any session key is ever logged.
 */
@Injectable()
export class WechatClient {
  private readonly logger = new Logger(WechatClient.name);
  private readonly wechat: AppConfig['wechat'];
  private readonly timeoutMs: number;
  private cachedToken?: { token: string; refreshAt: number };
  /** The access-token fetch in flight, shared by every caller that needs a token meanwhile. */
  private tokenFetch?: Promise<string>;

  constructor(
    @Inject(CONFIG) config: AppConfig,
    private readonly clock: Clock,
    @Optional() @Inject(WECHAT_CLIENT_OPTIONS) options: WechatClientOptions = {},
  ) {
    this.wechat = config.wechat;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Exchanges a `wx.login` code (single-use, valid ~5 minutes) for the user's identity. */
  async code2Session(code: string): Promise<WechatSession> {
    if (!code || code.length > 256) throw new AppError(ErrorCode.Unauthenticated, '登录凭证无效或已过期，请重新登录');
    const reply = await this.request('GET', '/sns/jscode2session', {
      appid: this.wechat.appId,
      secret: this.wechat.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    switch (reply.errcode) {
      case 0:
        break;
      case Errcode.InvalidCode:
      case Errcode.CodeUsed:
        throw new AppError(ErrorCode.Unauthenticated, '登录凭证无效或已过期，请重新登录');
      case Errcode.FrequencyLimit:
        throw new AppError(ErrorCode.RateLimited, '登录过于频繁，请稍后再试');
      case Errcode.RiskyUser:
        throw new AppError(ErrorCode.Forbidden, '该微信账号存在安全风险，暂时无法登录');
      case Errcode.InvalidAppId:
      case Errcode.InvalidAppSecret:
        throw this.misconfigured('jscode2session', reply);
      default:
        throw new Error(`WeChat jscode2session failed: errcode ${reply.errcode} ${reply.errmsg}`);
    }
    const { openid, unionid, session_key: sessionKey } = reply;
    if (typeof openid !== 'string' || !openid || typeof sessionKey !== 'string' || !sessionKey) {
      throw new Error('WeChat jscode2session answered without openid or session_key');
    }
    const session = (typeof unionid === 'string' && unionid ? { openid, unionid } : { openid }) as WechatSession;
    return Object.defineProperty(session, 'sessionKey', { value: sessionKey, enumerable: false });
  }

  /** The mainland number (11 digits, no +86) behind a `getPhoneNumber` button code. */
  async getPhoneNumber(phoneCode: string): Promise<string> {
    if (!phoneCode || phoneCode.length > 256) throw new AppError(ErrorCode.ValidationFailed, '手机号授权无效，请重新授权');
    const reply = await this.callWithAccessToken('/wxa/business/getuserphonenumber', { code: phoneCode });
    switch (reply.errcode) {
      case 0:
        break;
      case Errcode.InvalidCode:
      case Errcode.CodeUsed:
        throw new AppError(ErrorCode.ValidationFailed, '手机号授权无效，请重新授权');
      case Errcode.FrequencyLimit:
        throw new AppError(ErrorCode.RateLimited, '操作过于频繁，请稍后再试');
      default:
        throw new Error(`WeChat getuserphonenumber failed: errcode ${reply.errcode} ${reply.errmsg}`);
    }
    const info = reply.phone_info as { purePhoneNumber?: unknown; countryCode?: unknown } | undefined;
    if (typeof info?.purePhoneNumber !== 'string') throw new Error('WeChat getuserphonenumber answered without phone_info');
    if (info.countryCode !== '86' || !/^1\d{10}$/.test(info.purePhoneNumber)) {
      throw new AppError(ErrorCode.ValidationFailed, '仅支持中国大陆手机号');
    }
    return info.purePhoneNumber;
  }

  /**
   * Sends one subscribe message. WeChat's refusals come back as `sent: false` (43101: the user
   * has no subscription left for this template, so do not retry); transport failures throw, so
   * a queue job retries them.
   */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<SubscribeSendResult> {
    const data = Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }]));
    const reply = await this.callWithAccessToken('/cgi-bin/message/subscribe/send', {
      touser: message.openid,
      template_id: message.templateId,
      page: message.page,
      data,
      miniprogram_state: message.miniprogramState,
      lang: 'zh_CN',
    });
    if (reply.errcode === 0) return { sent: true, msgid: typeof reply.msgid === 'string' ? reply.msgid : '' };
    const reason = reply.errcode === Errcode.NotSubscribed ? 'not_subscribed' : 'rejected';
    if (reason === 'rejected') {
      this.logger.warn(`WeChat refused subscribe message (template ${message.templateId}): errcode ${reply.errcode} ${reply.errmsg}`);
    }
    return { sent: false, reason, errcode: reply.errcode, errmsg: reply.errmsg };
  }

  /** Calls an access-token API; a token WeChat no longer accepts is dropped and the call tried once more. */
  private async callWithAccessToken(path: string, body: object): Promise<WechatReply> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const reply = await this.request('POST', path, { access_token: token }, body);
      if (!ACCESS_TOKEN_REJECTED.has(reply.errcode)) return reply;
      if (this.cachedToken?.token === token) this.cachedToken = undefined;
      if (attempt === 2) throw new Error(`WeChat ${path} refused a fresh access token: errcode ${reply.errcode} ${reply.errmsg}`);
      this.logger.warn(`WeChat ${path} refused the cached access token (errcode ${reply.errcode}); fetching a new one`);
    }
  }

  private accessToken(): Promise<string> {
    if (this.cachedToken && this.clock.now().getTime() < this.cachedToken.refreshAt) return Promise.resolve(this.cachedToken.token);
    this.tokenFetch ??= this.fetchAccessToken().finally(() => {
      this.tokenFetch = undefined;
    });
    return this.tokenFetch;
  }

  /** stable_token: unlike /cgi-bin/token it does not invalidate the token other instances hold. */
  private async fetchAccessToken(): Promise<string> {
    const reply = await this.request('POST', '/cgi-bin/stable_token', {}, {
      grant_type: 'client_credential',
      appid: this.wechat.appId,
      secret: this.wechat.secret,
    });
    if (reply.errcode !== 0) throw this.misconfigured('stable_token', reply);
    const { access_token: token, expires_in: expiresIn } = reply;
    if (typeof token !== 'string' || !token || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new Error('WeChat stable_token answered without access_token or expires_in');
    }
    const lifetimeS = expiresIn > 2 * TOKEN_REFRESH_MARGIN_S ? expiresIn - TOKEN_REFRESH_MARGIN_S : expiresIn / 2;
    this.cachedToken = { token, refreshAt: this.clock.now().getTime() + lifetimeS * 1000 };
    return token;
  }

  private misconfigured(api: string, reply: WechatReply): Error {
    return new Error(
      `WeChat ${api} refused our credentials (errcode ${reply.errcode} ${reply.errmsg}): check WECHAT_APPID and WECHAT_SECRET`,
    );
  }

  /**
   * One HTTP call. The URL is never logged: its query may hold the secret or the access token.
   * WeChat's msgid can exceed 2^53, so it is read from the raw text as a string.
   */
  private async request(method: 'GET' | 'POST', path: string, query: Record<string, string>, body?: object): Promise<WechatReply> {
    const url = `${this.wechat.apiBase}${path}?${new URLSearchParams(query)}`;
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw this.unavailable(path, describeFetchError(err));
    }
    if (status >= 500 || status === 429) throw this.unavailable(path, `HTTP ${status}`);
    if (status !== 200) throw new Error(`WeChat ${path} answered HTTP ${status}: check WECHAT_API_BASE`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.unavailable(path, 'an answer that is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw this.unavailable(path, 'an answer that is not a JSON object');
    const reply = parsed as Record<string, unknown>;
    const errcode = typeof reply.errcode === 'number' ? reply.errcode : 0;
    if (errcode === Errcode.SystemBusy) throw this.unavailable(path, `errcode -1 ${String(reply.errmsg)}`);
    const msgid = 'msgid' in reply ? /"msgid"\s*:\s*"?(\d+)/.exec(text) : null;
    return { ...reply, errcode, errmsg: typeof reply.errmsg === 'string' ? reply.errmsg : '', ...(msgid ? { msgid: msgid[1] } : {}) };
  }

  private unavailable(path: string, why: string): AppError {
    this.logger.warn(`WeChat ${path} unavailable: ${why}`);
    return new AppError(ErrorCode.ServiceUnavailable, WECHAT_UNAVAILABLE);
  }
}

/**
 * Names the failure without its message, which could quote the URL. Duck-typed: fetch's
 * errors may come from another realm (jest), where `instanceof Error` is false.
 */
function describeFetchError(err: unknown): string {
  const { name, cause } = (err ?? {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
  const label = typeof name === 'string' ? name : 'unknown error';
  return typeof cause?.code === 'string' ? `${label} ${cause.code}` : label;
}
