import type { ComplianceRow } from '@netral/projections';
import { statusLabel } from '../web/labels';

const COLORS = {
  PATUH: '#1a7f37',
  PERLU_TINDAK_LANJUT: '#9a6700',
  TIDAK_PATUH: '#cf222e',
} as const;
const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Coverage per OPD as horizontal bars coloured by status, rendered on the server as SVG (no JavaScript, no
 * CDN), with a title per bar for screen readers and hover.
 */
export const coverageChart = (rows: readonly ComplianceRow[]): string => {
  const barHeight = 18;
  const gap = 6;
  const labelWidth = 340;
  const width = 720;
  const plot = width - labelWidth - 60;
  const height = rows.length * (barHeight + gap) + 30;
  const bars = rows
    .map((r, i) => {
      const y = 20 + i * (barHeight + gap);
      const w = Math.max(1, (Math.min(100, r.coverage) / 100) * plot);
      const label = r.opdName.length > 44 ? `${r.opdName.slice(0, 42)}…` : r.opdName;
      return `<g><title>${escape(`${r.opdName}: ${r.coverage}% (${statusLabel(r.status)})`)}</title>
<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" font-size="11">${escape(label)}</text>
<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[r.status]}"/>
<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 13}" font-size="12">${r.coverage}%</text></g>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Cakupan pakta integritas per OPD, diwarnai menurut status" font-family="DejaVu Sans, sans-serif">
<line x1="${labelWidth}" y1="12" x2="${labelWidth}" y2="${height - 8}" stroke="#57606a"/>
<text x="${labelWidth}" y="10" font-size="11" fill="#57606a">0%</text><text x="${labelWidth + plot}" y="10" font-size="11" fill="#57606a" text-anchor="end">100%</text>
${bars}
</svg>`;
};
