/**
 * The store's SQL schema, one text for PGlite and PostgreSQL. Times are
 * epoch milliseconds (`double precision`: exact for integers), documents
 * are `jsonb`. Each compute node row carries a `generation` that every
 * change to the node's usage bumps, under the row's lock. `opie_requests`
 * holds the creates accepted (202) and not finished: scheduling, or waiting
 * for the deadline of their victims' preemption notices (`opie_preemptions`
 * rows with `due_at` and no `finished_at`). Version 3 added both.
 */
export const SCHEMA_VERSION = 3;

/** Key of the advisory lock that serialises schema creation and seeding across replicas. */
export const SETUP_LOCK_KEY = 7_001_001;

/** First key of the advisory locks that serialise each project's quota checks (the second is the project's hash). */
export const QUOTA_LOCK_CLASS = 7_001_002;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS opie_server_groups (
  uuid text PRIMARY KEY,
  name text NOT NULL,
  project_id text NOT NULL,
  user_id text NOT NULL,
  policies jsonb NOT NULL,
  created_at double precision NOT NULL,
  deleted_at double precision
);
CREATE TABLE IF NOT EXISTS opie_quotas (
  project_id text NOT NULL,
  resource text NOT NULL,
  hard_limit bigint NOT NULL,
  PRIMARY KEY (project_id, resource)
);
CREATE TABLE IF NOT EXISTS opie_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS opie_flavors (
  id text PRIMARY KEY,
  position integer NOT NULL,
  record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS opie_images (
  id text PRIMARY KEY,
  position integer NOT NULL,
  record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS opie_compute_nodes (
  host text NOT NULL,
  node text NOT NULL,
  position integer NOT NULL,
  record jsonb NOT NULL,
  base_memory_mb_used double precision NOT NULL,
  base_local_gb_used double precision NOT NULL,
  base_vcpus_used double precision NOT NULL,
  generation bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (host, node)
);
CREATE TABLE IF NOT EXISTS opie_services (
  host text NOT NULL,
  binary_name text NOT NULL,
  record jsonb NOT NULL,
  PRIMARY KEY (host, binary_name)
);
CREATE TABLE IF NOT EXISTS opie_aggregates (
  id text PRIMARY KEY,
  position integer NOT NULL,
  record jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS opie_servers (
  uuid text PRIMARY KEY,
  id bigserial NOT NULL,
  name text NOT NULL,
  project_id text NOT NULL,
  user_id text NOT NULL,
  flavor_id text,
  image_id text,
  host text,
  node text,
  last_host text,
  last_node text,
  vm_state text NOT NULL,
  task_state text,
  power_state integer NOT NULL,
  memory_mb double precision NOT NULL,
  vcpus double precision NOT NULL,
  root_gb double precision NOT NULL,
  ephemeral_gb double precision NOT NULL,
  swap double precision NOT NULL,
  preemptible boolean NOT NULL,
  priority double precision,
  system_metadata jsonb NOT NULL,
  metadata jsonb NOT NULL,
  availability_zone text,
  scheduler_hints jsonb NOT NULL,
  request_id text,
  reservation_id text,
  launch_index integer NOT NULL,
  key_name text,
  fault jsonb,
  origin text NOT NULL,
  created_at double precision NOT NULL,
  updated_at double precision NOT NULL,
  launched_at double precision,
  terminated_at double precision,
  deleted_at double precision
);
CREATE INDEX IF NOT EXISTS opie_servers_on_node ON opie_servers (host, node)
  WHERE deleted_at IS NULL AND host IS NOT NULL;
CREATE INDEX IF NOT EXISTS opie_servers_by_creation ON opie_servers (created_at, uuid)
  WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS opie_preemptions (
  id bigserial PRIMARY KEY,
  victim_uuid text NOT NULL,
  host text NOT NULL,
  node text NOT NULL,
  request_id text,
  by_server_uuid text,
  action text NOT NULL,
  reason text NOT NULL,
  created_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS opie_preemptions_by_victim ON opie_preemptions (victim_uuid);
ALTER TABLE opie_preemptions ADD COLUMN IF NOT EXISTS due_at double precision;
ALTER TABLE opie_preemptions ADD COLUMN IF NOT EXISTS finished_at double precision;
ALTER TABLE opie_preemptions ADD COLUMN IF NOT EXISTS outcome text;
CREATE INDEX IF NOT EXISTS opie_preemptions_by_request ON opie_preemptions (request_id);
CREATE INDEX IF NOT EXISTS opie_servers_by_request ON opie_servers (request_id);
CREATE TABLE IF NOT EXISTS opie_requests (
  request_id text PRIMARY KEY,
  project_id text NOT NULL,
  spec jsonb NOT NULL,
  phase text NOT NULL,
  due_at double precision,
  owner text NOT NULL,
  lease_until double precision NOT NULL,
  created_at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS opie_servers_by_group ON opie_servers ((scheduler_hints->>'group'))
  WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS opie_servers_by_project ON opie_servers (project_id) WHERE deleted_at IS NULL;
`;
