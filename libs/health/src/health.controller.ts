import { TemporalClientService } from '@app/temporal';
import { Controller, Get } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  HealthIndicatorService,
  type HealthIndicatorResult,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';

// Probes carry no credentials: both routes are public (and reveal only up/down and what is down).
// The api and ingest serve the same probes: both write to Postgres and start workflows through Temporal.
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @RouteConfig({ auth: 'public' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: PostgreSQL and the Temporal frontend answer. 503 otherwise, naming what is down. */
  @Get('ready')
  @RouteConfig({ auth: 'public' })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 2000 }), () => this.temporalCheck()]);
  }

  private async temporalCheck(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('temporal');
    try {
      await this.temporal.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({
        message: `Temporal is not reachable: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}
