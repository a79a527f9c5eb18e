import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';

/** Prometheus text: counts and gauges only, never a token, secret or URL. */
@ApiTags('health')
@Controller('metrics')
export class MetricsHttpController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics', security: [] })
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
