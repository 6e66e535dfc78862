import { invalid } from '@netral/domain';

/** What multer's memory storage hands over (its global types are not loaded in this project). */
export interface UploadedFileBytes {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/**
 * The API's one-file uploads (a roster CSV, a certificate PDF): the `file` field, or a 400 naming what is
 * wrong. Any other form field is refused rather than ignored: an option sent as a field (a `dryRun`, say)
 * would otherwise be dropped silently, and a dry run taken for real writes. `hint` says where options go.
 */
export const uploadedFile = (
  file: UploadedFileBytes | undefined,
  fields: unknown,
  kind: 'CSV' | 'PDF',
  hint = '',
): UploadedFileBytes => {
  const extra = fields && typeof fields === 'object' ? Object.keys(fields) : [];
  if (extra.length > 0) {
    throw invalid(
      'FIELD_UNKNOWN',
      `Formulir unggahan hanya berisi kolom "file".${hint ? ` ${hint}` : ''}`,
      extra.map((field) => ({
        field,
        reason: hint
          ? 'kolom formulir tidak dikenal: hapus, atau pakai parameter URL'
          : 'kolom formulir tidak dikenal: hapus',
        code: 'FIELD_UNKNOWN',
      })),
    );
  }
  if (!file) {
    throw invalid('FILE_REQUIRED', `Unggah berkas ${kind} pada kolom "file".`, [
      { field: 'file', reason: `wajib: berkas ${kind}`, code: 'FILE_REQUIRED' },
    ]);
  }
  return file;
};
