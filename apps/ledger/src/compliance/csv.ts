/** RFC 4180 CSV with a BOM (Excel opens UTF-8 names correctly) and `;`-safe quoting. */
export type CsvValue = string | number | boolean | null | undefined;

const cell = (value: CsvValue): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const toCsv = (header: string[], rows: CsvValue[][]): string =>
  `\ufeff${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
