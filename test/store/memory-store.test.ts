import { createMemoryStore } from '../../src/store/memory-store.js';
import { describeSessionStore } from './session-store.contract.js';

describeSessionStore('memory', (now) => createMemoryStore({ now }));
