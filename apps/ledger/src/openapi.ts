import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * One line per operation, keyed `METHOD /path` as the document spells it. Kept here rather than as
 * `@ApiOperation` on each controller so the document is complete in one place; a controller's own
 * `@ApiOperation({ summary })` still wins. A route without either fails the OpenAPI e2e test.
 */
export const OPERATION_SUMMARIES: Readonly<Record<string, string>> = {
  'POST /api/v1/auth/login': 'Masuk: token akses untuk nama pengguna dan kata sandi',
  'GET /api/v1/auth/me': 'Pengguna yang sedang masuk',
  'POST /api/v1/auth/password':
    'Ganti kata sandi sendiri (juga kata sandi sementara dari administrator)',
  'POST /api/v1/users': 'Buat pengguna (peran, OPD untuk Kepala OPD; kata sandi awal sementara)',
  'GET /api/v1/users': 'Daftar pengguna',
  'POST /api/v1/users/{userId}/role': 'Ubah peran (dan OPD) pengguna',
  'POST /api/v1/users/{userId}/deactivation': 'Nonaktifkan pengguna',
  'POST /api/v1/users/{userId}/password':
    'Atur ulang kata sandi pengguna (kata sandi terlupa; sementara sampai pengguna menggantinya)',
  'POST /api/v1/elections': 'Jadwalkan pemilu atau pilkada',
  'POST /api/v1/opds/import': 'Impor OPD dari CSV (dryRun: periksa saja)',
  'POST /api/v1/opds': 'Daftarkan OPD',
  'POST /api/v1/opds/{opdId}/head': 'Tetapkan kepala OPD',
  'POST /api/v1/opds/{opdId}/renaming': 'Ganti nama OPD',
  'POST /api/v1/opds/{opdId}/dissolution': 'Bubarkan OPD',
  'POST /api/v1/asn/import': 'Impor ASN dari CSV (dryRun: periksa saja)',
  'POST /api/v1/asn': 'Daftarkan ASN',
  'POST /api/v1/asn/{nip}/transfer': 'Pindahkan ASN ke OPD lain',
  'POST /api/v1/asn/{nip}/details': 'Perbaiki nama atau ubah jabatan ASN (dengan alasan)',
  'POST /api/v1/asn/{nip}/departure': 'Catat ASN keluar dari registri (dengan alasan)',
  'POST /api/v1/pledges': 'Tanda tangani pakta integritas netralitas',
  'GET /api/v1/pledges': 'Daftar ASN satu OPD dan status pakta mereka',
  'POST /api/v1/pledges/{electionId}/{nip}/voiding': 'Batalkan pakta integritas',
  'GET /api/v1/pledges/missing': 'Unduh CSV ASN yang belum menandatangani pakta',
  'POST /api/v1/cases': 'Laporkan dugaan pelanggaran netralitas',
  'GET /api/v1/cases': 'Registri kasus dengan jam SLA',
  'GET /api/v1/cases/{caseId}': 'Rincian satu kasus',
  'POST /api/v1/cases/{caseId}/verification': 'Catat verifikasi kasus',
  'POST /api/v1/cases/{caseId}/confirmation': 'Konfirmasi pelanggaran dan rekomendasi sanksi',
  'POST /api/v1/cases/{caseId}/dismissal': 'Hentikan kasus',
  'POST /api/v1/cases/{caseId}/sanctions': 'Catat keputusan sanksi PPK',
  'GET /api/v1/audit/events': 'Riwayat peristiwa dengan filter',
  'GET /api/v1/audit/export': 'Ekspor seluruh log (NDJSON, satu daun per baris)',
  'GET /api/v1/audit/checkpoint': 'Checkpoint bertanda tangan terbaru',
  'GET /api/v1/audit/checkpoints': 'Semua checkpoint yang pernah ditandatangani',
  'POST /api/v1/audit/checkpoints': 'Tanda tangani checkpoint atas semua yang sudah tercatat',
  'GET /api/v1/audit/proofs/inclusion': 'Bukti inklusi satu peristiwa',
  'GET /api/v1/audit/proofs/consistency': 'Bukti konsistensi antara dua ukuran log',
  'GET /api/v1/audit/public-key': 'Kunci publik checkpoint',
  'GET /api/v1/compliance': 'Kepatuhan setiap OPD pada satu pemilu',
  'GET /api/v1/compliance/summary': 'Ringkasan kepatuhan satu pemilu',
  'GET /api/v1/compliance/export': 'Unduh CSV kepatuhan OPD',
  'GET /api/v1/opds/{opdId}/compliance': 'Kepatuhan satu OPD',
  'GET /api/v1/projections/status': 'Posisi dan ketertinggalan read model',
  'POST /api/v1/certificates': 'Terbitkan sertifikat kepatuhan (PDF bertanda tangan)',
  'GET /api/v1/certificates': 'Daftar sertifikat',
  'GET /api/v1/certificates/root-ca.pem': 'Sertifikat root CA penanda tangan (PEM)',
  'POST /api/v1/certificates/verify': 'Verifikasi berkas PDF sertifikat',
  'GET /api/v1/certificates/{certificateId}/verification': 'Status verifikasi satu sertifikat',
  'GET /api/v1/certificates/{certificateId}/pdf': 'Unduh PDF sertifikat',
  'POST /api/v1/certificates/{certificateId}/revocation': 'Cabut sertifikat',
  'GET /health': 'Kesehatan layanan dan penyimpanan peristiwa',
};

/** Every POST takes it (the idempotency interceptor is global), so it is declared once here rather than on
 * each controller. */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Opsional. Kunci yang sama dengan permintaan yang sama (metode, path, isi dan berkas) dari pengguna ' +
    'yang sama mengembalikan jawaban pertama dengan `Idempotent-Replayed: true` dan tidak menulis apa pun; ' +
    'kunci yang sama dengan permintaan lain: 409 IDEMPOTENCY_KEY_REUSED. Per pengguna yang masuk ' +
    '(tanpa pengguna yang masuk, kunci diabaikan).',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]{1,200}$' },
} as const;

type Operation = OpenAPIObject['paths'][string]['post'];

/** Adds what every operation of its kind shares: the summary from the table, the Idempotency-Key header
 * on every POST. */
export const completeDocument = (document: OpenAPIObject): OpenAPIObject => {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation: Operation = item[method];
      if (!operation) {
        continue;
      }
      operation.summary ??= OPERATION_SUMMARIES[`${method.toUpperCase()} ${path}`];
      const hasHeader = (operation.parameters ?? []).some(
        (p) => 'in' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
      );
      if (method === 'post' && !hasHeader) {
        operation.parameters = [...(operation.parameters ?? []), { ...IDEMPOTENCY_KEY_PARAMETER }];
      }
    }
  }
  return document;
};

/** The OpenAPI document of every route the app registers, completed. */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject =>
  completeDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Netral API')
        .setDescription(
          'Ledger kepatuhan netralitas ASN: pakta integritas, pelanggaran, sanksi, audit dan sertifikat. ' +
            'Errors: {statusCode, error, message, code?, details?[{field, reason, code}]}. ' +
            'Writes accept an Idempotency-Key header; positions are strings. ' +
            'Any route may answer 503 with Retry-After: STARTING (the service is catching up at start), ' +
            'EVENT_STORE_UNAVAILABLE (the event store is out of reach: nothing recorded) or ' +
            'EVENT_STORE_OUTCOME_UNKNOWN (a write whose answer was lost: retry with the same Idempotency-Key).',
        )
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
