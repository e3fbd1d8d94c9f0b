import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '@opie/core';
import type { ConfigIssue, OptionSource } from '@opie/core';
import type { Registrable, PluginRegistry } from './registry.js';

/** A module named in `[opie] plugin_modules`, with the option's place. */
export interface PluginModuleRequest {
  specifier: string;
  /** Where `[opie] plugin_modules` names it. */
  source: OptionSource;
  /** Absolute directory that relative paths and bare names are resolved from. */
  baseDir: string;
}

function isPathLike(specifier: string): boolean {
  return (
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier === '.' ||
    specifier === '..' ||
    isAbsolute(specifier)
  );
}

/**
 * Where a plugin module is: `file:` URLs as they are, paths relative to the
 * config file's directory, bare names through node's resolution from that
 * directory (so a plugin installed next to nova.conf is found), falling back to
 * this package's own resolution for ESM-only packages.
 */
export function pluginModuleUrl(specifier: string, baseDir: string): string | undefined {
  if (specifier.startsWith('file:')) return specifier;
  if (isPathLike(specifier)) return pathToFileURL(resolvePath(baseDir, specifier)).href;
  try {
    const require = createRequire(join(baseDir, '__opie_config__.js'));
    return pathToFileURL(require.resolve(specifier)).href;
  } catch {
    return undefined;
  }
}

function place(request: PluginModuleRequest): Omit<ConfigIssue, 'message'> {
  const s = request.source;
  if (s.kind === 'default') return { section: 'opie', key: 'plugin_modules' };
  return { file: s.file, line: s.line, section: s.section, key: s.name };
}

/**
 * Imports each module and registers its exported `plugins` into `registry`.
 * Returns the problems (import failures, a missing `plugins` export,
 * duplicate names), each located at the `[opie] plugin_modules` line.
 */
export async function importPluginModules(
  requests: readonly PluginModuleRequest[],
  registry: PluginRegistry,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  for (const request of requests) {
    const { specifier } = request;
    const at = place(request);
    let mod: unknown;
    try {
      const url = pluginModuleUrl(specifier, request.baseDir);
      mod = (await (url === undefined ? import(specifier) : import(url))) as unknown;
    } catch (error) {
      issues.push({
        ...at,
        message: `cannot import plugin module ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'relative paths are resolved from the config file directory, bare names from its node_modules',
      });
      continue;
    }
    const plugins = (mod as { plugins?: unknown }).plugins;
    if (!Array.isArray(plugins)) {
      issues.push({
        ...at,
        message: `plugin module ${specifier} does not export \`plugins\` (an array of plugin definitions)`,
        hint: 'export const plugins = [definePlugin({ kind: ..., classPath: ..., create: ... })]',
      });
      continue;
    }
    for (const item of plugins as Registrable[]) {
      try {
        registry.register(item, `plugin module ${specifier}`);
      } catch (error) {
        if (!ConfigError.isInstance(error)) throw error;
        issues.push(...error.issues.map((i) => ({ ...at, ...i })));
      }
    }
  }
  return issues;
}

/** The directory a config file's relative plugin paths are resolved from. */
export function configDir(file: string, cwd: string): string {
  return dirname(resolvePath(cwd, file));
}
