"""Runs nova Zed's own scheduler filters on the cases opie's differential test sends.

Reads one JSON document on stdin:
  {"conf": {"image_properties_default_architecture": str|null,
            "aggregate_image_properties_isolation_namespace": str|null,
            "aggregate_image_properties_isolation_separator": str},
   "cases": [{"filter": "<class name>", "host": {...}, "spec": {...}}, ...]}
and writes one JSON list: "pass", "fail" or "error:<exception class>" per case.
Host and spec fields are described in nova-filters.differential.test.ts.
Needs Debian's python3-nova (nova 26.x, Zed) on /usr/bin/python3.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import nova.conf  # noqa: E402
from nova import objects  # noqa: E402

objects.register_all()

from nova.scheduler import host_manager  # noqa: E402
from nova.scheduler.filters import affinity_filter  # noqa: E402
from nova.scheduler.filters import aggregate_image_properties_isolation  # noqa: E402
from nova.scheduler.filters import compute_capabilities_filter  # noqa: E402
from nova.scheduler.filters import image_props_filter  # noqa: E402
from nova.scheduler.filters import json_filter  # noqa: E402

CONF = nova.conf.CONF
CONF([], project="nova", default_config_files=[])

FILTERS = {
    "SameHostFilter": affinity_filter.SameHostFilter,
    "DifferentHostFilter": affinity_filter.DifferentHostFilter,
    "ServerGroupAntiAffinityFilter": affinity_filter.ServerGroupAntiAffinityFilter,
    "ServerGroupAffinityFilter": affinity_filter.ServerGroupAffinityFilter,
    "ComputeCapabilitiesFilter": compute_capabilities_filter.ComputeCapabilitiesFilter,
    "ImagePropertiesFilter": image_props_filter.ImagePropertiesFilter,
    "AggregateImagePropertiesIsolation":
        aggregate_image_properties_isolation.AggregateImagePropertiesIsolation,
    "JsonFilter": json_filter.JsonFilter,
}


def host_state(h):
    hs = host_manager.HostState(h["host"], h["node"], None)
    hs.free_ram_mb = h.get("free_ram_mb", 0)
    hs.free_disk_mb = h.get("free_disk_mb", 0)
    hs.total_usable_ram_mb = h.get("total_usable_ram_mb", 0)
    hs.vcpus_total = h.get("vcpus_total", 0)
    hs.vcpus_used = h.get("vcpus_used", 0)
    hs.num_instances = h.get("num_instances", 0)
    hs.hypervisor_type = h.get("hypervisor_type")
    hs.hypervisor_version = h.get("hypervisor_version")
    hs.cpu_info = h.get("cpu_info")
    hs.supported_instances = [tuple(t) for t in h.get("supported_instances", [])]
    hs.stats = dict(h.get("stats", {}))
    hs.failed_builds = int(hs.stats.get("failed_builds", 0))
    # Ratios are floats in nova (str() prints 16.0); JSON cannot tell 16 from 16.0.
    for name in ("cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio"):
        value = h.get(name)
        setattr(hs, name, None if value is None else float(value))
    hs.instances = {u: objects.Instance(uuid=u) for u in h.get("instances", [])}
    hs.aggregates = [
        objects.Aggregate(id=i + 1, name="agg%d" % i, hosts=[h["host"]], metadata=md)
        for i, md in enumerate(h.get("aggregates", []))
    ]
    return hs


def request_spec(s):
    image = objects.ImageMeta.from_dict({"properties": s.get("image_properties", {})})
    group = None
    g = s.get("group")
    if g is not None:
        group = objects.InstanceGroup(
            policy=g["policy"], policies=[g["policy"]], hosts=list(g.get("hosts", [])),
            members=list(g.get("members", [])), rules=dict(g.get("rules", {})))
    kwargs = dict(
        flavor=objects.Flavor(memory_mb=512, vcpus=1, root_gb=1, ephemeral_gb=0, swap=0,
                              extra_specs=dict(s.get("extra_specs", {}))),
        image=image,
        scheduler_hints=dict(s.get("hints", {})),
        instance_group=group,
    )
    if s.get("instance_uuid") is not None:
        kwargs["instance_uuid"] = s["instance_uuid"]
    return objects.RequestSpec(**kwargs)


def place(case):
    """The request's instances already placed (a multi-create): nova's API made each a
    group member before scheduling, and _consume_selected_host added each to its node's
    instances."""
    placed = case["spec"].get("placed", [])
    group = case["spec"].get("group")
    if group is not None:
        group["members"] = list(group.get("members", [])) + [p["uuid"] for p in placed]
    h = case["host"]
    for p in placed:
        if p["host"] == h["host"] and p["node"] == h["node"]:
            h["instances"] = list(h.get("instances", [])) + [p["uuid"]]


def run(case):
    try:
        place(case)
        spec = request_spec(case["spec"])
        host = host_state(case["host"])
        return "pass" if FILTERS[case["filter"]]().host_passes(host, spec) else "fail"
    except Exception as e:  # nova raises: the request fails
        return "error:" + type(e).__name__


def main():
    doc = json.load(sys.stdin)
    conf = doc.get("conf", {})
    CONF.set_override("image_properties_default_architecture",
                      conf.get("image_properties_default_architecture"),
                      group="filter_scheduler")
    CONF.set_override("aggregate_image_properties_isolation_namespace",
                      conf.get("aggregate_image_properties_isolation_namespace"),
                      group="filter_scheduler")
    CONF.set_override("aggregate_image_properties_isolation_separator",
                      conf.get("aggregate_image_properties_isolation_separator", "."),
                      group="filter_scheduler")
    json.dump([run(c) for c in doc["cases"]], sys.stdout)


if __name__ == "__main__":
    main()
