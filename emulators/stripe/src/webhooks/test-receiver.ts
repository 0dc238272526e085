// A tiny HTTP server that stands in for a product's webhook handler in tests: it records each delivery (raw
// body and the Stripe-Signature header) and answers the status `respond` picks (200 unless told otherwise).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  body: string;
  signature: string;
  contentType: string | undefined;
}

export interface TestReceiver {
  url: string;
  received: ReceivedDelivery[];
  close(): Promise<void>;
}

export async function startTestReceiver(respond: (index: number) => number = () => 200): Promise<TestReceiver> {
  const received: ReceivedDelivery[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const index = received.length;
      received.push({
        body,
        signature: String(request.headers['stripe-signature']),
        contentType: request.headers['content-type'],
      });
      response.writeHead(respond(index)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
