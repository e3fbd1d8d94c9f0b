import { describe, expect, it } from 'vitest';
import {
  isConnectionError,
  isRetryableSqlError,
  isStoreUnavailable,
  StoreUnavailableError,
} from './sql-client.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionError', () => {
  it('knows lost and refused connections by SQLSTATE, errno and pg message', () => {
    for (const e of [
      withCode('57P01'), // admin_shutdown: the server restarts
      withCode('57P03'), // cannot_connect_now: still starting
      withCode('08006'), // connection_failure
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new StoreUnavailableError('gone', false),
    ]) {
      expect(isConnectionError(e), String((e as { code?: string }).code ?? e.message)).toBe(true);
      expect(isStoreUnavailable(e)).toBe(true);
    }
  });
  it('leaves SQL errors alone', () => {
    for (const e of [withCode('23505'), withCode('40001'), new Error('syntax error'), null, 'x']) {
      expect(isConnectionError(e)).toBe(false);
    }
    expect(isRetryableSqlError(withCode('40001'))).toBe(true);
    expect(isRetryableSqlError(withCode('57P01'))).toBe(false);
  });
  it('StoreUnavailableError says whether anything may have been committed', () => {
    const e = new StoreUnavailableError('lost while committing', 'unknown', { cause: 1 });
    expect(e.committed).toBe('unknown');
    expect(e.cause).toBe(1);
  });
});
