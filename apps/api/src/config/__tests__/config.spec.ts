import { ConfigError, loadConfig } from '../config';

describe('loadConfig', () => {
  it('starts with no env at all on the local defaults', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(c.db).toMatchObject({ host: '127.0.0.1', port: 3306, user: 'root', password: '', name: 'qihu', createIfMissing: true });
    expect(c.redis).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(c.sla.timeScale).toBe(1);
    expect(c.runWorkers).toBe(true);
    expect(c.seedDemo).toBe(true);
    expect(c.h5Dir).toMatch(/apps\/miniprogram\/dist\/h5$/);
  });

  it('compresses SLA windows for demos and tests, never stretches them', () => {
    expect(loadConfig({ SLA_TIME_SCALE: '0.001' }).sla.timeScale).toBe(0.001);
    expect(() => loadConfig({ SLA_TIME_SCALE: '2' })).toThrow(/SLA_TIME_SCALE/);
  });

  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-ours' };

  it('never creates databases or seeds demo data in production unless told to', () => {
    const prod = loadConfig(production);
    expect(prod.db.createIfMissing).toBe(false);
    expect(prod.seedDemo).toBe(false);
    expect(loadConfig({ ...production, DB_CREATE: 'true' }).db.createIfMissing).toBe(true);
  });

  it('refuses the development JWT secret and compressed SLA windows in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ ...production, SLA_TIME_SCALE: '0.5' })).toThrow(/SLA_TIME_SCALE/);
  });

  it('reads booleans written as true/false/1/0', () => {
    expect(loadConfig({ RUN_WORKERS: 'false' }).runWorkers).toBe(false);
    expect(loadConfig({ RUN_WORKERS: '1' }).runWorkers).toBe(true);
  });

  it('names every bad variable at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DB_NAME: 'qihu; drop', RUN_WORKERS: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT.*DB_NAME.*RUN_WORKERS/);
  });
});

describe('loadConfig: WeChat', () => {
  it('defaults to the real WeChat API with the fake off', () => {
    expect(loadConfig({}).wechat).toEqual({
      appId: 'wx-demo-appid',
      secret: 'wx-demo-secret',
      apiBase: 'https://api.weixin.qq.com',
      fake: false,
    });
  });

  it('refuses the fake WeChat server (and so the demo login) in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-ours', WECHAT_FAKE: 'true' }),
    ).toThrow(/WECHAT_FAKE/);
    expect(loadConfig({ NODE_ENV: 'development', WECHAT_FAKE: 'true', WECHAT_API_BASE: 'http://127.0.0.1:4010/' }).wechat).toMatchObject({
      fake: true,
      apiBase: 'http://127.0.0.1:4010',
    });
  });
});
