import { describe, expect, it } from 'vitest';
import { didYouMean } from './suggest.js';

const COMMANDS = ['config', 'schedule', 'simulate', 'serve', 'help'];

describe('didYouMean', () => {
  it('names the nearest command for a typo', () => {
    // "shcedule": one swap from "schedule"; every other command is 4+ edits away.
    expect(didYouMean('shcedule', COMMANDS)).toBe(' Did you mean "schedule"?');
    expect(didYouMean('serv', COMMANDS)).toBe(' Did you mean "serve"?');
    expect(didYouMean('CONFIG', COMMANDS)).toBe(' Did you mean "config"?');
  });

  it('names every equally near word, in order', () => {
    // "--jsn" → "--json" is 1 insertion, "--jsonl" 2: only the nearest is named.
    expect(didYouMean('--jsn', ['--json', '--jsonl', '--seed'])).toBe(' Did you mean "--json"?');
    // "ab" → "ac" and "ab" → "ad" are 1 substitution each: both named.
    expect(didYouMean('ab', ['ac', 'ad'])).toBe(' Did you mean "ac" or "ad"?');
  });

  it('says nothing when no word is near', () => {
    expect(didYouMean('deploy-everything', COMMANDS)).toBe('');
    expect(didYouMean('x', [])).toBe('');
  });
});
