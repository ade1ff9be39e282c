// The demo app on the framework SESSIONWARDEN_FRAMEWORK names (Express by default): sign in as alice, bob or admin.
import type { RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Warden } from '../src/index.js';
import { createExpressDemo } from './express.js';
import type { DemoOptions } from './site.js';

export type { DemoOptions } from './site.js';

/** The frameworks the demo runs on. */
export const DEMO_FRAMEWORKS = ['express', 'fastify', 'hono'] as const;
/** One of them. */
export type DemoFramework = (typeof DEMO_FRAMEWORKS)[number];

/**
 * Build the demo on Express and its warden.
 * @example
 * const { app } = createDemo({ config: readDemoConfig(process.env) }); app.listen(3000);
 */
export const createDemo = createExpressDemo;

/**
 * The demo on any framework as a Node request listener (for `http.createServer`), its warden, and how to stop it.
 * @example
 * const { listener } = await createDemoListener('hono', { config }); createServer(listener).listen(3000);
 */
export async function createDemoListener(framework: DemoFramework, options: DemoOptions): Promise<{ listener: RequestListener; warden: Warden; close(): Promise<void> }> {
  if (framework === 'fastify') {
    const { createFastifyDemo } = await import('./fastify.js');
    const { app, warden } = await createFastifyDemo(options);
    await app.ready();
    return { listener: (req, res) => app.routing(req, res), warden, close: () => app.close() };
  }
  if (framework === 'hono') {
    const { createHonoDemo } = await import('./hono.js');
    const { app, warden } = createHonoDemo(options);
    return { listener: getRequestListener(app.fetch), warden, close: async () => undefined };
  }
  const { app, warden } = createExpressDemo(options);
  return { listener: app, warden, close: async () => undefined };
}
