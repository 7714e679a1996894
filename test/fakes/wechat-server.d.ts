/** Types of wechat-server.js (a CommonJS fake of api.weixin.qq.com); see the comment at its top. */

/** A subscribe message the fake accepted, as the API sent it. */
export interface SentMessage {
  /** WeChat's msgid, as a decimal string (the wire value is an integer above 2^53). */
  msgid: string;
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
  /** ISO time the fake received it. */
  at: string;
}

export type FakeFault = 'none' | 'stall' | 'http-500' | 'busy';

export interface FakeWechat {
  url: string;
  port: number;
  close(): Promise<void>;
  messages(): SentMessage[];
  /** Method and path of every WeChat API request (control endpoints excluded), oldest first. */
  requests(): Array<{ method: string; path: string }>;
  /** Forgets used codes, tokens, messages and requests, and heals any fault. */
  reset(): void;
  /** Makes every access token issued so far unknown (answers 40001), as if WeChat had rotated them. */
  expireTokens(): void;
  setFault(mode: FakeFault): void;
}

export function startFakeWechat(options?: { port?: number; host?: string; appId?: string; secret?: string }): Promise<FakeWechat>;
