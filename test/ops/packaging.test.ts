/**
 * No Docker engine runs here, so the Dockerfile is checked by reading it against the project:
 * every path it copies exists, the build script it runs exists and produces what bin/lantern.js
 * runs, and the command it starts is the README's. .env.example lists every setting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../src/server/index.js';
import { root } from '../helpers/content.js';

const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
const stages = dockerfile.split(/^FROM /m).slice(1);

describe('Dockerfile', () => {
  it('is multi-stage and ends as a non-root user with a health check on /healthz', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const final = stages.at(-1)!;
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(final).not.toMatch(/COPY (\.\/)?src /);
  });

  it('copies only paths that exist', () => {
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/).slice(0, -1)).flat();
    expect(copies.length).toBeGreaterThan(5);
    for (const path of copies) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it("installs with npm ci, builds with the project's build script, and keeps production dependencies only", () => {
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The compiled entry point is where bin/lantern.js looks when src/ is absent.
    const bin = readFileSync(join(root, pkg.bin.lantern!), 'utf8');
    expect(bin).toContain('../dist/cli/main.js');
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
  });

  it('can run `npm ci` before src/ is copied: the prepare script it runs is there and skips the build without src/', () => {
    const build = stages[0]!;
    expect(pkg.scripts.prepare).toBe('node bin/prepare.js');
    expect(build.indexOf('COPY bin ./bin')).toBeGreaterThan(-1);
    expect(build.indexOf('COPY bin ./bin')).toBeLessThan(build.indexOf('RUN npm ci'));
    expect(build.indexOf('RUN npm ci')).toBeLessThan(build.indexOf('COPY src ./src'));
    expect(build.indexOf('COPY src ./src')).toBeLessThan(build.indexOf('npm run build'));
    expect(readFileSync(join(root, 'bin/prepare.js'), 'utf8')).toMatch(/existsSync\(new URL\('\.\.\/src'/);
  });

  it('keeps local builds, dependencies and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.env']));
  });

  it("runs the README's start command, which runs `lantern serve`", () => {
    const cmd = /^CMD \[(.+)\]$/m
      .exec(dockerfile)![1]!
      .split(',')
      .map((s) => JSON.parse(s.trim()) as string)
      .join(' ');
    expect(readme).toMatch(/^npm install && npm start$/m);
    expect(cmd).toBe('npm start');
    expect(pkg.scripts.start).toBe('node bin/lantern.js serve');
  });

  it('keeps content mountable: flows and locales are plain folders in /app', () => {
    expect(dockerfile).toMatch(/^COPY flows \.\/flows$/m);
    expect(dockerfile).toMatch(/^COPY locales \.\/locales$/m);
  });
});

describe('docker-compose.yml and .env.example', () => {
  it('compose runs Redis and two instances on it', () => {
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^ {2}redis:/m);
    expect(compose).toMatch(/^ {2}lantern-a:/m);
    expect(compose).toMatch(/^ {2}lantern-b:/m);
    expect(compose).toContain('STORE: redis');
  });

  it('.env.example lists every setting', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    for (const v of describeConfig()) expect(example, v.name).toMatch(new RegExp(`^#?${v.name}=`, 'm'));
  });
});
