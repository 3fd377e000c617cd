import type { TableContract } from './contracts.ts';
import { EVERGREEN_CONTRACTS } from './evergreen-contracts.ts';

/** Every stream the lake accepts, by contract. */
export const LAKE_CONTRACTS: readonly TableContract[] = [...EVERGREEN_CONTRACTS];
