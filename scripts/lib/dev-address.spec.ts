import { createServer, type Server } from 'node:net';
import { devAddress, INGEST_SERVICE, serviceAddress } from './dev-address';
import { freePort } from './free-port';

describe(devAddress.name, () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('reads <X>_HOST/<X>_PORT with their defaults', async () => {
    const port = await freePort();
    expect(await devAddress({ INGEST_PORT: String(port) }, INGEST_SERVICE)).toEqual({
      host: '127.0.0.1',
      port,
      url: `http://127.0.0.1:${port}`,
    });
    expect(serviceAddress('0.0.0.0', 3001).url).toBe('http://127.0.0.1:3001');
  });

  it('refuses a port already in use, naming the variable to change', async () => {
    const port = await freePort();
    server = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    await expect(devAddress({ INGEST_PORT: String(port) }, INGEST_SERVICE)).rejects.toThrow(
      `port ${port} for ingest is already in use (another npm run dev?): stop it or set INGEST_PORT to another port`,
    );
  });

  it('refuses a port that is not a number', async () => {
    await expect(devAddress({ INGEST_PORT: 'eighty' }, INGEST_SERVICE)).rejects.toThrow(
      'INGEST_PORT must be a TCP port number, not "eighty"',
    );
  });
});
