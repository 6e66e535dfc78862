import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AppConfig } from '@netral/config';
import {
  certificateFingerprint,
  CmsSigner,
  ensureDevelopmentPki,
  loadSignerMaterial,
  nodeKeyHandle,
  renderAsnCertificate,
  renderOpdCertificate,
  type SignerMaterial,
  signDocument,
  verifyPdf,
} from '@netral/certificates';
import {
  certificateDecider,
  type CertificateCommand,
  conflict,
  invalid,
  streams,
} from '@netral/domain';
import { EventStore } from '@netral/event-store';
import { type CertificateRow, certificateSubjectKey } from '@netral/projections';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog, TransparencyLogBehindError } from '../audit/audit-log.service';
import { Clock } from '../common/clock';
import { written } from '../common/write-result';
import { ReadSide } from '../compliance/read-side';
import { type ActorContext, commandMetadata } from '../identity/actor';
import { assertOpdScope, assertRole } from '../identity/opd-scope';
import { AggregateStore } from '../infrastructure/aggregate-store';
import { statusLabel } from '../web/labels';
import type { IssueCertificateDto } from './certificate.dto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newCertificateId = (year: number): string =>
  `SK-${year}-${Array.from(randomBytes(8), (b) => CROCKFORD[b & 31]).join('')}`;

/** `198503122010011002` → `19850312********02`: enough to recognise, not enough to harvest. */
export const maskNip = (nip: string): string =>
  `${nip.slice(0, 8)}${'*'.repeat(Math.max(0, nip.length - 10))}${nip.slice(-2)}`;

/** The subject as the registry knows it: a NIP without the spaces and dots people type in it. */
const subjectKey = (dto: IssueCertificateDto): string =>
  certificateSubjectKey(dto.subjectType, dto.subjectId);

/** Issues, stores, revokes and verifies signed certificates; the only writer of `certificate-*` streams. */
/** Who issues and revokes certificates (the routes' @Roles say the same). */
const CERTIFICATE_ROLES = ['HR'] as const;

@Injectable()
export class CertificateService {
  private readonly material: SignerMaterial;
  private readonly signer: CmsSigner;
  readonly signerFingerprint: string;
  private readonly dir: string;
  /** Issues under way in this process, by subject and election: a second click waits for the first and
   * then finds its certificate valid, rather than both passing the check at once. */
  private readonly issuing = new Map<string, Promise<unknown>>();
  private readonly logger = new Logger('Certificates');

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly store: EventStore,
    private readonly read: ReadSide,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    const { signer } = config;
    this.material =
      signer.p12Path || signer.keyPath
        ? loadSignerMaterial(signer)
        : ensureDevelopmentPki(config.dataDir);
    this.signer = new CmsSigner(nodeKeyHandle(this.material.key), this.material.chainPem);
    this.signerFingerprint = certificateFingerprint(this.material.chainPem[0]);
    this.dir = join(config.dataDir, 'certificates');
    mkdirSync(this.dir, { recursive: true });
  }

  get rootPem(): string {
    return this.material.rootPem;
  }

  /**
   * At most one valid certificate per subject and election: a second would state the same thing with other
   * figures, and whoever is shown one could not tell which stands. A new one after the data changed is
   * issued once the valid one is revoked, with its reason on the record (409 CERTIFICATE_ALREADY_VALID
   * until then).
   */
  async issue(dto: IssueCertificateDto, actor: ActorContext) {
    // Whatever the route: certificates are BKPSDM's to issue (an OPD head never learns here what another
    // OPD's figures or certificates are, nor signs a checkpoint).
    assertRole(actor, CERTIFICATE_ROLES);
    const key = JSON.stringify([dto.electionId, dto.subjectType, subjectKey(dto)]);
    const run = (this.issuing.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.issueOnce(dto, actor));
    this.issuing.set(key, run);
    try {
      return await run;
    } finally {
      if (this.issuing.get(key) === run) {
        this.issuing.delete(key);
      }
    }
  }

  /** Refuses a subject that already holds a valid certificate for the election, naming it. */
  private assertNoValidCertificate(dto: IssueCertificateDto, electionName: string): void {
    const subjectId = subjectKey(dto);
    const [existing] = this.read.unscoped.certificates(
      { electionId: dto.electionId, subjectType: dto.subjectType, subjectId, status: 'VALID' },
      { page: 1, pageSize: 1 },
    ).items;
    if (!existing) {
      return;
    }
    const who =
      dto.subjectType === 'OPD'
        ? (this.read.unscoped.opd(subjectId)?.name ?? subjectId)
        : (this.read.unscoped.asn(subjectId)?.name ?? `NIP ${subjectId}`);
    const id = existing.certificate_id;
    throw conflict(
      'CERTIFICATE_ALREADY_VALID',
      `Sertifikat ${id} untuk ${who} (${electionName}) masih berlaku; satu subjek hanya memiliki satu sertifikat yang berlaku untuk satu pemilihan. Bila datanya berubah dan sertifikat baru diperlukan, cabut dulu sertifikat ${id} dengan alasannya, lalu terbitkan lagi.`,
      [
        {
          field: 'subjectId',
          reason: `sertifikat ${id} masih berlaku`,
          code: 'CERTIFICATE_ALREADY_VALID',
        },
      ],
    );
  }

  private async issueOnce(dto: IssueCertificateDto, actor: ActorContext) {
    const election = this.read.unscoped.election(dto.electionId);
    if (!election) {
      throw new NotFoundException({
        code: 'ELECTION_NOT_FOUND',
        message: `Pemilihan ${dto.electionId} tidak ditemukan.`,
      });
    }
    // Qualification is judged on everything written so far.
    const head = await this.store.headPosition();
    await this.read.ready(head === null ? undefined : String(head));
    this.assertNoValidCertificate(dto, election.name);
    const { now, today } = this.clock.moment();
    const certificateId = newCertificateId(Number(today.slice(0, 4)));
    const verificationUrl = `${this.config.publicBaseUrl}/v/${certificateId}`;
    const reasons: string[] = [];
    let opdId: string;
    /** The subject as the registry keys it (the OPD's id, the ASN's bare NIP), whatever was typed. */
    let subjectId: string;
    let doc;
    const checkpoint = this.audit.checkpointNow();
    if (!checkpoint) {
      throw invalid('LEDGER_EMPTY', 'Ledger masih kosong.');
    }
    const common = {
      certificateId,
      issuedAt: now.toISOString(),
      verificationUrl,
      electionName: election.name,
      issuer: `BKPSDM ${this.config.checkpoint.origin}`,
      checkpoint: { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash },
    };
    if (dto.subjectType === 'OPD') {
      const [row] = this.read.unscoped.compliance(dto.electionId, today, dto.subjectId);
      if (!row) {
        throw new NotFoundException({
          code: 'OPD_NOT_FOUND',
          message: `OPD ${dto.subjectId} tidak ditemukan.`,
        });
      }
      opdId = row.opdId;
      subjectId = row.opdId;
      if (row.status !== 'PATUH') {
        reasons.push(
          `status kepatuhan ${row.opdName}: ${statusLabel(row.status).toLowerCase()}`,
          ...row.reasons,
        );
      }
      const headAsn = row.headNip ? this.read.unscoped.asn(row.headNip) : undefined;
      doc = await renderOpdCertificate({
        ...common,
        opd: { name: row.opdName, code: row.opdCode },
        coverage: { activeAsn: row.activeAsn, pledged: row.pledged, percent: row.coverage },
        head: { name: headAsn?.name ?? null, nip: row.headNip, pledgedAt: row.headPledgedAt },
        cases: this.read.unscoped.caseCounts(dto.electionId, row.opdId),
      });
    } else {
      const asn = this.read.unscoped.asn(subjectKey(dto));
      if (!asn) {
        throw new NotFoundException({
          code: 'ASN_NOT_FOUND',
          message: `ASN ${dto.subjectId} tidak terdaftar.`,
        });
      }
      opdId = asn.opdId;
      subjectId = asn.nip;
      const pledge = this.read.unscoped.pledge(dto.electionId, asn.nip);
      if (asn.status !== 'ACTIVE') {
        reasons.push('ASN sudah tidak aktif');
      }
      if (pledge?.status !== 'SIGNED') {
        reasons.push('ASN belum menandatangani pakta integritas untuk pemilihan ini');
      }
      for (const c of this.read.unscoped.confirmedCasesOf(dto.electionId, asn.nip)) {
        reasons.push(`pelanggaran netralitas terbukti (kasus ${c.caseId}, ${c.actCode})`);
      }
      doc = await renderAsnCertificate({
        ...common,
        asn: {
          name: asn.name,
          nip: asn.nip,
          position: asn.position,
          opdName: this.read.unscoped.opd(asn.opdId)?.name ?? asn.opdId,
        },
        pledgedAt: pledge?.signedAt ?? now.toISOString(),
      });
    }
    assertOpdScope(actor, opdId);
    if (reasons.length > 0) {
      // The decider states the refusal (409 with every reason); nothing is rendered to disk or signed.
      await this.append(
        certificateId,
        actor,
        {
          certificateId,
          subjectType: dto.subjectType,
          subjectId,
          opdId,
          electionId: dto.electionId,
          checkpoint: common.checkpoint,
          pdfSha256: '',
          signerFingerprint: this.signerFingerprint,
        },
        reasons,
      );
    }
    const signed = await signDocument(doc, this.signer, {
      signingTime: now,
      reason: 'Sertifikat kepatuhan netralitas ASN',
      location: this.config.checkpoint.origin,
      name: 'Netral',
    });
    const pdfSha256 = createHash('sha256').update(signed).digest('hex');
    const file = join(this.dir, `${certificateId}.pdf`);
    writeFileSync(`${file}.tmp`, signed);
    renameSync(`${file}.tmp`, file);
    const position = await this.append(
      certificateId,
      actor,
      {
        certificateId,
        subjectType: dto.subjectType,
        subjectId,
        opdId,
        electionId: dto.electionId,
        checkpoint: common.checkpoint,
        pdfSha256,
        signerFingerprint: this.signerFingerprint,
      },
      [],
    );
    // Make the issuance itself provable at once: log it and sign a checkpoint that includes it. The
    // certificate is already recorded: a builder still catching up (after a large import) only means the
    // periodic checkpoint signs it a little later, never that the request failed.
    try {
      await this.audit.includes(position!);
      this.audit.checkpointNow();
    } catch (error) {
      if (!(error instanceof TransparencyLogBehindError)) {
        throw error;
      }
      this.logger.warn(
        { certificateId, position: String(position) },
        'certificate issued before the transparency log caught up: the next periodic checkpoint signs it',
      );
    }
    return written({ certificateId, pdfSha256, verificationUrl }, position);
  }

  private async append(
    certificateId: string,
    actor: ActorContext,
    data: Extract<CertificateCommand, { type: 'IssueCertificate' }>['data'],
    reasons: string[],
  ) {
    const { position } = await this.aggregates.handle(
      streams.certificate(certificateId),
      certificateDecider,
      {
        type: 'IssueCertificate',
        data,
        context: { reasons },
        metadata: commandMetadata(actor, this.clock.moment()),
      },
    );
    return position;
  }

  async revoke(
    certificateId: string,
    reason: string,
    actor: ActorContext,
    caseId?: string,
    causationId?: string,
  ) {
    if (!actor.system) {
      // BKPSDM's, or the revocation reactor's when a case is confirmed; never an OPD head's, whatever the
      // route.
      assertRole(actor, CERTIFICATE_ROLES);
    }
    const metadata = commandMetadata(
      actor,
      this.clock.moment(),
      causationId ? { causationId } : {},
    );
    const { position } = await this.aggregates.handle(
      streams.certificate(certificateId),
      certificateDecider,
      {
        type: 'RevokeCertificate',
        data: { reason, ...(caseId ? { caseId } : {}) },
        metadata,
      },
    );
    return written({ certificateId }, position);
  }

  row(certificateId: string): CertificateRow {
    const row = this.read.unscoped.certificate(certificateId);
    if (!row) {
      throw new NotFoundException({
        code: 'CERTIFICATE_NOT_FOUND',
        message: `Sertifikat ${certificateId} tidak ditemukan.`,
      });
    }
    return row;
  }

  pdf(certificateId: string, actor: ActorContext): Buffer {
    const row = this.row(certificateId);
    assertOpdScope(actor, row.opd_id);
    const file = join(this.dir, `${certificateId}.pdf`);
    if (!existsSync(file)) {
      throw new NotFoundException({
        code: 'CERTIFICATE_FILE_MISSING',
        message: 'Berkas sertifikat tidak ditemukan di penyimpanan.',
      });
    }
    return readFileSync(file);
  }

  /** What the public verification page and JSON show. */
  verification(certificateId: string) {
    const row = this.row(certificateId);
    const subject =
      row.subject_type === 'OPD'
        ? {
            type: 'OPD' as const,
            name: this.read.unscoped.opd(row.subject_id)?.name ?? row.subject_id,
            opdId: row.subject_id,
          }
        : (() => {
            const asn = this.read.unscoped.asn(row.subject_id);
            return {
              type: 'ASN' as const,
              name: asn?.name ?? null,
              nip: maskNip(row.subject_id),
              opdName: asn ? (this.read.unscoped.opd(asn.opdId)?.name ?? asn.opdId) : null,
            };
          })();
    const election = this.read.unscoped.election(row.election_id);
    const leafIndex = this.audit.log.indexOfPosition(BigInt(row.position));
    const latest = this.audit.log.latestCheckpoint();
    const proof =
      leafIndex !== undefined && latest && leafIndex < latest.treeSize
        ? {
            // The fields of GET /audit/proofs/inclusion, so the object saved as it is is a proof for
            // `npm run cli -- audit inclusion`, and its checkpoint beside it.
            index: leafIndex,
            treeSize: latest.treeSize,
            leafHash: this.audit.log.leafHash(leafIndex).toString('base64'),
            hashes: this.audit.log
              .inclusion(leafIndex, latest.treeSize)
              .map((h) => h.toString('base64')),
            rootHash: latest.rootHash,
            checkpoint: latest.note,
          }
        : null;
    return {
      certificateId: row.certificate_id,
      status: row.status,
      valid: row.status === 'VALID',
      revocation:
        row.status === 'REVOKED'
          ? { reason: row.revoked_reason, caseId: row.revoked_case_id, revokedAt: row.revoked_at }
          : null,
      subject,
      election: { electionId: row.election_id, name: election?.name ?? row.election_id },
      issuedAt: row.issued_at,
      pdfSha256: row.pdf_sha256,
      checkpointAtIssue: { treeSize: row.checkpoint_size, rootHash: row.checkpoint_root },
      inclusionProof: proof,
      publicKey: this.audit.verifierKey,
    };
  }

  /**
   * Each check of an uploaded PDF reported separately; never throws for bad input. A check that could not
   * be made (no PDF has no signature to check; a file the ledger does not know has no revocation to look
   * up) is false, as it cannot vouch for the file, and `notChecked` says why it was not made, so nobody
   * reads it as a revoked certificate.
   */
  verifyUpload(bytes: Buffer) {
    const pdf = verifyPdf(bytes, [this.material.rootPem]);
    const row = this.read.unscoped.certificateBySha256(pdf.sha256);
    const checks = {
      signature: pdf.signatureValid && pdf.signerTrusted,
      coversWholeFile: pdf.coversWholeFile,
      matchesLedger: row !== undefined,
      notRevoked: row !== undefined && row.status === 'VALID',
    };
    const notChecked: Partial<Record<keyof typeof checks, string>> = {
      ...(pdf.isPdf
        ? {}
        : {
            signature: 'tidak dapat diperiksa: berkas bukan PDF',
            coversWholeFile: 'tidak dapat diperiksa: berkas bukan PDF',
          }),
      ...(row ? {} : { notRevoked: 'tidak dapat diperiksa: berkas ini tidak tercatat di ledger' }),
    };
    return {
      valid: Object.values(checks).every(Boolean),
      checks,
      notChecked,
      certificateId: row?.certificate_id ?? null,
      status: row?.status ?? null,
      sha256: pdf.sha256,
      problems: [
        ...pdf.problems,
        ...(row
          ? []
          : [
              'SHA-256 berkas ini tidak tercatat di ledger: bukan sertifikat Netral atau sudah diubah',
            ]),
        ...(row?.status === 'REVOKED'
          ? [
              `Sertifikat ${row.certificate_id} sudah dicabut${row.revoked_reason ? `: ${row.revoked_reason}` : ''}${row.revoked_case_id ? ` (kasus ${row.revoked_case_id})` : ''}`,
            ]
          : []),
      ],
    };
  }
}
