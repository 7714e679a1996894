import request from 'supertest';
import { startTestApp, TestApp } from './harness';

describe('platform endpoints (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /health reports the database and Redis up', async () => {
    const res = await request(t.app.getHttpServer()).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('echoes a request id, or makes one', async () => {
    const given = await request(t.app.getHttpServer()).get('/health').set('X-Request-Id', 'req-abc-123');
    expect(given.headers['x-request-id']).toBe('req-abc-123');
    const made = await request(t.app.getHttpServer()).get('/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document with the ticket endpoints', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.info.title).toBe('企呼我应 qihu API');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/acknowledge', '/health']),
    );
  });

  it('answers an unknown route with 404 NOT_FOUND in Chinese', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ code: 'NOT_FOUND', message: '请求的资源不存在' });
  });

  it('ran the migrations into its own database', async () => {
    const rows: Array<{ name: string }> = await t.db.query('SELECT name FROM migrations');
    expect(rows.map((r) => r.name)).toContain('Skeleton1763900000000');
    const [{ db }] = await t.db.query('SELECT DATABASE() AS db');
    expect(db).toBe(t.config.db.name);
  });
});
