import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeRegistry } from './__fixtures__/fake-plugins.js';
import { importPluginModules, pluginModuleUrl } from './plugin-modules.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const source = {
  kind: 'file',
  file: 'nova.conf',
  line: 7,
  section: 'opie',
  name: 'plugin_modules',
  deprecated: false,
} as const;

describe('pluginModuleUrl', () => {
  it('keeps file: URLs and resolves paths against the base directory', () => {
    expect(pluginModuleUrl('file:///x/y.js', fixtures)).toBe('file:///x/y.js');
    expect(pluginModuleUrl('./third-party-plugin.ts', fixtures)).toBe(
      pathToFileURL(`${fixtures}third-party-plugin.ts`).href,
    );
    expect(pluginModuleUrl('/abs/p.js', fixtures)).toBe(pathToFileURL('/abs/p.js').href);
  });

  it("resolves bare names from the base directory's node_modules, or gives up", () => {
    expect(pluginModuleUrl('zod', fixtures)).toMatch(/^file:.*\/zod\//);
    expect(pluginModuleUrl('no-such-opie-plugin-package', fixtures)).toBeUndefined();
  });
});

describe('importPluginModules', () => {
  it('registers the exported plugins and reports nothing', async () => {
    const registry = fakeRegistry();
    const issues = await importPluginModules(
      [{ specifier: './third-party-plugin.ts', source, baseDir: fixtures }],
      registry,
    );
    expect(issues).toEqual([]);
    expect(registry.has('acme.scheduler.filters.EvenHostFilter')).toBe(true);
  });

  it('reports a bare name that cannot be imported at the option line', async () => {
    const issues = await importPluginModules(
      [{ specifier: 'no-such-opie-plugin-package', source, baseDir: fixtures }],
      fakeRegistry(),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'nova.conf',
      line: 7,
      section: 'opie',
      key: 'plugin_modules',
    });
    expect(issues[0]?.message).toMatch(
      /^cannot import plugin module no-such-opie-plugin-package: /,
    );
  });

  it('places problems of a default-valued option at [opie] plugin_modules', async () => {
    const issues = await importPluginModules(
      [{ specifier: './not-a-plugin-module.ts', source: { kind: 'default' }, baseDir: fixtures }],
      fakeRegistry(),
    );
    expect(issues[0]).toMatchObject({ section: 'opie', key: 'plugin_modules' });
    expect(issues[0]?.file).toBeUndefined();
  });
});
