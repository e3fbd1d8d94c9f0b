// The host source port is part of the contract in @opie/core; re-exported here,
// where it has always been importable from.
export type { HostSource, HostSourceChanges } from '@opie/core';
