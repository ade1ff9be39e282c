// `npm start`: the demo on http://localhost:3000 (PORT to change), SQLite under data/, no other setup; on Express, or
// on Fastify or Hono with SESSIONWARDEN_FRAMEWORK=fastify|hono;
// SESSIONWARDEN_WORKERS=4 serves it from four node:cluster workers on one store, each request answered by any of them.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { readDemoConfig } from './config.js';
import { createDemoListener } from './app.js';

const config = readDemoConfig(process.env);

if (config.workers > 1 && cluster.isPrimary) {
  console.log(`sessionwarden demo: starting ${config.workers} workers (primary pid ${process.pid}) on one store, ${config.store.replace(/:[^:@/]*@/, ':***@')}`);
  let shuttingDown = false;
  for (let i = 0; i < config.workers; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (!shuttingDown) console.error(`worker pid ${worker.process.pid} exited (${signal ?? code})`);
  });
  const stop = () => {
    shuttingDown = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  const { listener, warden } = await createDemoListener(config.framework, { config });
  const worker = cluster.isWorker ? `worker pid ${process.pid}: ` : '';
  // Which process answered, for watching several workers behave as one (a demo header, not part of the library).
  const server = createServer(function demoWorkerHeader(req, res) {
    if (cluster.isWorker) res.setHeader('X-Demo-Worker', String(process.pid));
    listener(req, res);
  });
  server.listen(config.port, () => {
    console.log(`${worker}sessionwarden demo on http://localhost:${config.port} (${config.framework}, idle ${config.idleTimeoutSeconds} s, absolute ${config.absoluteTimeoutSeconds} s, store ${config.store.replace(/:[^:@/]*@/, ':***@')})`);
    if (!cluster.isWorker || cluster.worker?.id === 1) console.log('Sign in as alice, bob or admin with the password "demo".');
  });
  // Expired records are kept a while as tombstones; sweep them hourly (in one worker: the store is shared).
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    setInterval(() => {
      warden.clearExpired().catch((error: unknown) => console.error('clear-expired failed:', error));
    }, 3_600_000).unref();
  }
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
