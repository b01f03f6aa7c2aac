import { fileURLToPath } from 'node:url';

/** The repository root (test/utils/src -> ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every process of the system, in start order. */
export const SERVICES = ['accounts', 'comms', 'media', 'commerce', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const SUBGRAPHS = ['accounts', 'comms', 'media', 'commerce'] as const satisfies readonly ServiceName[];

/** The documented default ports (DESIGN.md). */
export const DEFAULT_STACK_PORTS: Record<ServiceName, number> = { gateway: 4000, accounts: 4001, comms: 4002, media: 4003, commerce: 4004 };
