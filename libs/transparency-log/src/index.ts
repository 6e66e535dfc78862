/**
 * @netral/transparency-log — RFC 9162 Merkle tree over the ledger's global event order, inclusion and
 * consistency proofs, C2SP signed-note checkpoints (Ed25519), and the offline verification an auditor runs.
 * It may read @netral/event-store's types; it must never import Nest or the domain.
 */
export * from './merkle';
export * from './leaf';
export * from './checkpoint';
export * from './tree-store';
export * from './verify-export';
