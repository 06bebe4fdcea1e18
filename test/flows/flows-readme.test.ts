import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistryFor } from '../../src/engine/index.js';
import { stateKinds } from '../../src/flows/flow-schema.js';
import { loadShipped, root } from '../helpers/content.js';

describe('flows/README.md', () => {
  const readme = readFileSync(join(root, 'flows/README.md'), 'utf8');
  const registry = checkRegistryFor(loadShipped().content);

  it('documents every action and condition the code offers', () => {
    for (const name of [...Object.keys(registry.actions), ...Object.keys(registry.guards)]) expect(readme, name).toContain(`\`${name}\``);
  });

  it('shows an example of every kind of step', () => {
    for (const kind of [...Object.keys(stateKinds), 'say']) expect(readme).toMatch(new RegExp(`^### ${kind} `, 'm'));
  });
});
