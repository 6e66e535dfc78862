/**
 * @netral/transparency-log — RFC 9162 Merkle tree over the ledger's global event order, inclusion and
 * consistency proofs, C2SP signed-note checkpoints (Ed25519), the tree store the ledger's builder appends to,
 * the server-side store check, and the offline verification an auditor runs.
 * It may read @netral/event-store's port and types; it must never import Nest or the domain (auditors'
 * tools and the CLI use it without the service).
 */
export * from './merkle';
export * from './leaf';
export * from './checkpoint';
export * from './keys';
export * from './tree-store';
export * from './store-check';
export * from './verify-export';
