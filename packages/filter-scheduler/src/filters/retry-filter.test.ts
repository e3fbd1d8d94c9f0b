import { describe, expect, it } from 'vitest';
import { makeHost, makeRequest, pluginContext } from '@opie/testing';
import { createRetryFilter, retryFilterPlugin } from './retry-filter.js';

describe('RetryFilter', () => {
  const filter = createRetryFilter();

  it('test_retry_filter_disabled (nova)', () => {
    expect(filter.hostPasses(makeHost({ host: 'host1', nodename: 'node1' }), makeRequest())).toBe(
      true,
    );
  });

  it('test_retry_filter_pass (nova): same host on another node, other pairs', () => {
    const host = makeHost({ host: 'host1', nodename: 'nodeX' });
    const request = makeRequest({
      retry: {
        numAttempts: 2,
        hosts: [
          ['host1', 'node1'],
          ['host2', 'node2'],
        ],
      },
    });
    expect(filter.hostPasses(host, request)).toBe(true);
  });

  it('test_retry_filter_fail (nova)', () => {
    const host = makeHost({ host: 'host1', nodename: 'node1' });
    const request = makeRequest({ retry: { numAttempts: 1, hosts: [['host1', 'node1']] } });
    expect(filter.hostPasses(host, request)).toBe(false);
  });

  it('the same node name under another host passes (pair comparison)', () => {
    const host = makeHost({ host: 'host2', nodename: 'node1' });
    const request = makeRequest({ retry: { numAttempts: 1, hosts: [['host1', 'node1']] } });
    expect(filter.hostPasses(host, request)).toBe(true);
  });

  it('plugin definition', () => {
    expect(retryFilterPlugin.classPath).toBe('nova.scheduler.filters.retry_filter.RetryFilter');
    expect(retryFilterPlugin.options).toBeUndefined();
    const created = retryFilterPlugin.create(pluginContext(retryFilterPlugin));
    expect(created.name).toBe('RetryFilter');
    expect(created.runFilterOncePerRequest).toBe(false);
  });
});
