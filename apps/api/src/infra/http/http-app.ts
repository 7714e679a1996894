import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../app.module';
import { AppConfig } from '../../config/config';
import { ErrorFilter } from './error.filter';
import { createValidationPipe } from './validation';

/**
 * Builds the HTTP application exactly as production runs it: main.ts and the e2e tests both
 * call this, so tests exercise the real pipes, filter, prefix and static files.
 */
export async function createHttpApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, { workers: config.runWorkers }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.setGlobalPrefix('api/v1', { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  app.useBodyParser('json', { limit: '1mb' });

  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('企呼我应 qihu API')
      .setDescription('一键响应：企业诉求受理、SLA 计时与逐级升级')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, openApi, { jsonDocumentUrl: 'api/docs-json' });

  if (config.h5Dir && existsSync(config.h5Dir)) app.useStaticAssets(config.h5Dir, { index: 'index.html' });
  return app;
}
