import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { callerFromKeystoneHeaders, callerFromNoauthToken, identify } from './identity.js';

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return ApiError.isInstance(error) ? error.status : -1;
  }
}

describe('callerFromNoauthToken (nova noauth2)', () => {
  it('splits USER:PROJECT, and takes the user as project without ":"', () => {
    expect(callerFromNoauthToken('alice:projA')).toEqual({
      userId: 'alice',
      projectId: 'projA',
      roles: ['member'],
    });
    expect(callerFromNoauthToken('bob')).toMatchObject({ userId: 'bob', projectId: 'bob' });
    expect(callerFromNoauthToken('bob:')).toMatchObject({ userId: 'bob', projectId: 'bob' });
  });
  it('gives the user admin the admin role, whatever the project', () => {
    expect(callerFromNoauthToken('admin:ops').roles).toEqual(['admin']);
    expect(callerFromNoauthToken('administrator').roles).toEqual(['member']);
  });
  it('answers 401 for no token, an empty user or project parts with spaces or controls', () => {
    for (const token of [undefined, '', '  ', ':projA', 'a b:c', 'a:b\u0000', 'a:b:c']) {
      expect(
        status(() => callerFromNoauthToken(token)),
        String(token),
      ).toBe(401);
    }
  });
});

describe('callerFromKeystoneHeaders', () => {
  const confirmed = { 'x-identity-status': 'Confirmed', 'x-user-id': 'u', 'x-project-id': 'p' };
  it('reads user, project and lower-cased roles', () => {
    expect(callerFromKeystoneHeaders({ ...confirmed, 'x-roles': 'Admin, member,' })).toEqual({
      userId: 'u',
      projectId: 'p',
      roles: ['admin', 'member'],
    });
    expect(
      callerFromKeystoneHeaders({ ...confirmed, 'x-project-id': undefined, 'x-tenant-id': 't' })
        .projectId,
    ).toBe('t');
  });
  it('answers 401 unless confirmed, and without user or project', () => {
    expect(status(() => callerFromKeystoneHeaders({}))).toBe(401);
    expect(
      status(() => callerFromKeystoneHeaders({ ...confirmed, 'x-identity-status': 'Invalid' })),
    ).toBe(401);
    expect(status(() => callerFromKeystoneHeaders({ ...confirmed, 'x-user-id': '' }))).toBe(401);
    expect(status(() => callerFromKeystoneHeaders({ ...confirmed, 'x-project-id': ' ' }))).toBe(
      401,
    );
  });
  it('is what identify uses in keystone-headers mode (X-Auth-Token is ignored)', () => {
    expect(identify('keystone-headers', confirmed).userId).toBe('u');
    expect(status(() => identify('keystone-headers', { 'x-auth-token': 'admin' }))).toBe(401);
    expect(identify('noauth2', { 'x-auth-token': 'admin', ...confirmed }).userId).toBe('admin');
  });
});
