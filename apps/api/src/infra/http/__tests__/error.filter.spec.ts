import { ArgumentsHost, BadRequestException, NotFoundException } from '@nestjs/common';
import { ERROR_MESSAGE, ErrorCode } from '@qihu/contracts';
import { AppError, httpStatusOf } from '../app-error';
import { ErrorFilter } from '../error.filter';

function respond(exception: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      out.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', url: '/x' }) }),
  } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return out;
}

describe('error mapping', () => {
  it('gives every error code an HTTP status and a Chinese message', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
      expect(ERROR_MESSAGE[code]).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('sends an AppError as { code, message, details } with its status', () => {
    const r = respond(new AppError(ErrorCode.TransitionNotAllowed, undefined, { status: 'closed' }));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      code: ErrorCode.TransitionNotAllowed,
      message: '工单当前状态不允许此操作',
      details: { status: 'closed' },
    });
  });

  it("maps Nest's own 4xx exceptions onto our codes without leaking their English text", () => {
    expect(respond(new NotFoundException('Cannot GET /x'))).toEqual({
      status: 404,
      body: { code: ErrorCode.NotFound, message: '请求的资源不存在' },
    });
    expect(respond(new BadRequestException('Unexpected token')).body).toEqual({
      code: ErrorCode.ValidationFailed,
      message: '提交的内容有误，请检查后重试',
    });
  });

  it('turns anything unexpected into a 500 with an errorId and no internals', () => {
    const r = respond(new Error('connection refused at 10.0.0.5'));
    expect(r.status).toBe(500);
    expect(r.body.code).toBe(ErrorCode.Internal);
    expect(r.body.message).toBe('服务器开小差了，请稍后再试');
    expect(r.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(r.body)).not.toContain('10.0.0.5');
  });
});
