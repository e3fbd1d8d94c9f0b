#!/usr/bin/python3
"""nova Zed (Debian python3-nova) as an oracle for opie's zed mode.

Reads one JSON document on stdin:

    {"batches": [{"now": <epoch ms>,
                  "options": {"<group>": {"<name>": <value>}},
                  "filters": ["ComputeFilter", ...],
                  "weighers": ["nova.scheduler.weights.ram.RAMWeigher", ...],
                  "cases": [{"hosts": [<host>], "request": <request>}]}]}

and builds nova's own objects in memory (no database, no RPC): a
HostState per host with its attributes set directly, a RequestSpec per
request. For every case it prints, as JSON on stdout, each filter's verdict
on every host (Filter().host_passes), and for the hosts that pass every
filter nova's HostWeightHandler().get_weighed_objects with fresh weigher
instances: each weigher's normalised weights, the totals and the order.
"""

import datetime
import json
import sys
import types
import warnings

warnings.simplefilter('ignore')

try:
    import nova.conf
    from nova import objects
    from nova.scheduler import filters as nova_filters
    from nova.scheduler import host_manager
    from nova.scheduler import weights as nova_weights
    import nova.weights
    from oslo_utils import importutils
    from oslo_utils import timeutils
except ImportError as error:  # pragma: no cover - reported by the test
    sys.stderr.write('python3-nova is not importable: %s\n' % error)
    sys.exit(3)

CONF = nova.conf.CONF


def utc(ms):
    return datetime.datetime.utcfromtimestamp(ms / 1000.0)


def host_state(h):
    state = host_manager.HostState(h['host'], h['nodename'], None)
    state.free_ram_mb = h['free_ram_mb']
    state.total_usable_ram_mb = h['total_usable_ram_mb']
    state.free_disk_mb = h['free_disk_mb']
    state.total_usable_disk_gb = h['total_usable_disk_gb']
    state.disk_mb_used = h['disk_mb_used']
    state.vcpus_total = h['vcpus_total']
    state.vcpus_used = h['vcpus_used']
    state.num_instances = h['num_instances']
    state.num_io_ops = h['num_io_ops']
    state.cpu_allocation_ratio = h['cpu_allocation_ratio']
    state.ram_allocation_ratio = h['ram_allocation_ratio']
    state.disk_allocation_ratio = h['disk_allocation_ratio']
    state.stats = dict(h['stats'])
    state.failed_builds = int(state.stats.get('failed_builds', 0))
    # MetricsWeigher reads only .name and .value of each metric.
    state.metrics = [types.SimpleNamespace(name=m['name'], value=m['value'])
                     for m in h['metrics']]
    state.aggregates = [objects.Aggregate(id=a['id'], name=a['name'],
                                          hosts=a['hosts'],
                                          metadata=a['metadata'])
                        for a in h['aggregates']]
    s = h['service']
    state.service = {
        'host': h['host'],
        'binary': 'nova-compute',
        'disabled': s['disabled'],
        'disabled_reason': None,
        'forced_down': s['forced_down'],
        'last_seen_up': utc(s['last_seen_up']) if s.get('last_seen_up') is not None else None,
        'created_at': utc(s['created_at']),
        'updated_at': None,
    }
    state.instances = {uuid: types.SimpleNamespace(uuid=uuid) for uuid in h['instances']}
    state.limits = {}
    return state


def request_spec(r):
    f = r['flavor']
    flavor = objects.Flavor(memory_mb=f['memory_mb'], vcpus=f['vcpus'],
                            root_gb=f['root_gb'], ephemeral_gb=f['ephemeral_gb'],
                            swap=f['swap'], name=f['name'], flavorid=f['flavorid'],
                            extra_specs=dict(f['extra_specs']))
    fields = {
        'flavor': flavor,
        'image': objects.ImageMeta.from_dict({'id': r['image_id'], 'properties': {}}),
        'project_id': r['project_id'],
        'scheduler_hints': {k: list(v) for k, v in r['scheduler_hints'].items()},
        'num_instances': 1,
        'availability_zone': r.get('availability_zone'),
        'instance_group': None,
    }
    g = r.get('instance_group')
    if g is not None:
        # As nova's InstanceGroup._from_db_object: `policies` is [policy].
        fields['instance_group'] = objects.InstanceGroup(
            policy=g['policy'], policies=[g['policy']],
            members=list(g['members']), hosts=list(g['hosts']))
    return objects.RequestSpec(**fields)


def run_case(case, filter_classes, weigher_classes):
    hosts = [host_state(h) for h in case['hosts']]
    spec = request_spec(case['request'])
    verdicts = {}
    for name, cls in filter_classes:
        flt = cls()
        verdicts[name] = [bool(flt.host_passes(h, spec)) for h in hosts]
    passing = [i for i in range(len(hosts))
               if all(verdicts[name][i] for name, _ in filter_classes)]
    candidates = [hosts[i] for i in passing]
    recorded = []
    original = nova.weights.normalize

    def recording(weight_list, minval=None, maxval=None):
        out = list(original(weight_list, minval=minval, maxval=maxval))
        recorded.append(out)
        return out

    nova.weights.normalize = recording
    try:
        weighers = [cls() for cls in weigher_classes]  # fresh instances per call
        weighed = nova_weights.HostWeightHandler().get_weighed_objects(
            weighers, candidates, spec)
    finally:
        nova.weights.normalize = original
    position = {id(h): k for k, h in enumerate(candidates)}
    totals = [0.0] * len(candidates)
    for w in weighed:
        totals[position[id(w.obj)]] = w.weight
    order = [passing[position[id(w.obj)]] for w in weighed]
    return {
        'filters': verdicts,
        'passing': passing,
        # With fewer than two hosts nova weighs nothing (no weigher runs).
        'normalized': [[float(x) for x in ws] for ws in recorded],
        'totals': totals,
        'order': order,
    }


def main():
    doc = json.load(sys.stdin)
    objects.register_all()
    CONF([], project='nova', default_config_files=[])
    by_name = {cls.__name__: cls for cls in nova_filters.all_filters()}
    out = []
    for batch in doc['batches']:
        CONF.reset()
        for group, values in batch['options'].items():
            for name, value in values.items():
                CONF.set_override(name, value, group=None if group == 'DEFAULT' else group)
        timeutils.set_time_override(utc(batch['now']))
        filter_classes = [(name, by_name[name]) for name in batch['filters']]
        weigher_classes = [importutils.import_class(p) for p in batch['weighers']]
        out.append([run_case(c, filter_classes, weigher_classes) for c in batch['cases']])
        timeutils.clear_time_override()
        for group, values in batch['options'].items():
            for name in values:
                CONF.clear_override(name, group=None if group == 'DEFAULT' else group)
    json.dump({'nova_version': nova_version(), 'batches': out}, sys.stdout)


def nova_version():
    from nova import version
    return version.version_string()


if __name__ == '__main__':
    main()
