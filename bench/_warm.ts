import { loadEngine } from '../src/server/server.js';
const t0 = performance.now();
const built = loadEngine({ DEFAULT_LANGUAGE: 'en' } as any);
const t1 = performance.now();
built.engine.warm();
const t2 = performance.now();
console.log('load+build', Math.round(t1 - t0), 'warm', Math.round(t2 - t1));
