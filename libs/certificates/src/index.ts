/**
 * @netral/certificates — signed PDF certificates: rendering (pdf-lib, embedded DejaVu fonts, vector QR),
 * `adbe.pkcs7.detached` signing through a pluggable KeyHandle, the development PKI, and verification of an
 * uploaded PDF. It must never import Nest or the event store.
 */
export * from './pki';
export * from './signer';
export * from './render';
export * from './verify';
