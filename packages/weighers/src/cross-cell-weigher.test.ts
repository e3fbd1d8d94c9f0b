import { describe, expect, it } from 'vitest';
import { makeAggregate, makeHost, makeRequest, pluginContext } from '@opie/testing';
import {
  createCrossCellWeigher,
  crossCellMoveWeightMultiplierOption,
  crossCellWeigherPlugin,
} from './cross-cell-weigher.js';
import { weighHosts } from './weigh-hosts.js';

// nova Zed's test_cross_cell.py, the case opie has: no requested destination
// cell (one cell), so every raw weight is 0 and every total 0.
describe('CrossCellWeigher', () => {
  const hosts = () => [makeHost({ host: 'host1' }), makeHost({ host: 'host2' })];

  it('no preferred cell: every host weighs 0 (test_get_weighed_hosts_no_requested_destination_or_cell)', () => {
    const weighed = weighHosts([createCrossCellWeigher()], hosts(), makeRequest());
    expect(weighed.map((w) => [w.host.host, w.weight])).toEqual([
      ['host1', 0],
      ['host2', 0],
    ]);
    expect(weighed.map((w) => w.terms[0]?.raw)).toEqual([0, 0]);
  });

  it('the multiplier: configured, or the aggregate value (test_multiplier)', () => {
    const w = createCrossCellWeigher({ multiplier: 2 });
    expect(w.multiplierFor?.(makeHost())).toBe(2);
    const agg = [makeAggregate({ metadata: { cross_cell_move_weight_multiplier: '-1' } })];
    expect(w.multiplierFor?.(makeHost({ aggregates: agg }))).toBe(-1);
  });

  it('plugin: [filter_scheduler] cross_cell_move_weight_multiplier, Zed default 1000000.0', () => {
    expect(crossCellMoveWeightMultiplierOption).toMatchObject({
      group: 'filter_scheduler',
      name: 'cross_cell_move_weight_multiplier',
      default: 1000000.0,
    });
    expect(crossCellWeigherPlugin.create(pluginContext(crossCellWeigherPlugin)).multiplier).toBe(
      1000000,
    );
  });
});
