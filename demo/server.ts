// `npm start`: the demo on http://localhost:3000 (PORT to change), SQLite under data/, no other setup.
import { readDemoConfig } from './config.js';
import { createDemo } from './app.js';

const config = readDemoConfig(process.env);
const { app, warden } = createDemo({ config });
const server = app.listen(config.port, () => {
  console.log(`sessionwarden demo on http://localhost:${config.port} (idle ${config.idleTimeoutSeconds} s, absolute ${config.absoluteTimeoutSeconds} s, store ${config.storePath})`);
  console.log('Sign in as alice, bob or admin with the password "demo".');
});
// Expired records are kept a while as tombstones; sweep them hourly.
setInterval(() => {
  warden.clearExpired().catch((error: unknown) => console.error('clear-expired failed:', error));
}, 3_600_000).unref();
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
