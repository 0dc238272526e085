import pino from 'pino';
import { Writable } from 'node:stream';
import { lazyChildLogger } from './lazy-child-logger';

function capture(level: string): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level, base: undefined }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

describe('lazyChildLogger', () => {
  it('writes the lines a pino child would, bindings included', () => {
    const { logger, lines } = capture('info');
    const child = lazyChildLogger(logger, { requestId: 'r-1' }, {});
    child.info({ status: 200 }, 'request completed');
    child.warn('slow');
    expect(lines()).toMatchObject([
      { level: 30, requestId: 'r-1', status: 200, msg: 'request completed' },
      { level: 40, requestId: 'r-1', msg: 'slow' },
    ]);
  });

  it('makes no pino child while nothing is logged at an enabled level', () => {
    const { logger, lines } = capture('warn');
    const spy = jest.spyOn(logger, 'child');
    const child = lazyChildLogger(logger, { requestId: 'r-2' }, {});
    child.info('not written');
    child.debug('not written either');
    expect(spy).not.toHaveBeenCalled();
    child.error('written');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(lines()).toMatchObject([{ level: 50, requestId: 'r-2', msg: 'written' }]);
  });

  it('gives a route with its own level a real child at once', () => {
    const { logger, lines } = capture('warn');
    const child = lazyChildLogger(logger, { requestId: 'r-3' }, { level: 'debug' });
    child.debug('route debug');
    expect(child.level).toBe('debug');
    expect(lines()).toMatchObject([{ level: 20, requestId: 'r-3', msg: 'route debug' }]);
  });
});
