/**
 * A table for a terminal, as an official reads it: a header, a rule, the rows, columns aligned on the
 * widest cell (by code point, so "Ketertinggalan" and accented names line up). No index column and no
 * quotes, which is what `console.table` prints.
 */
export const textTable = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = header.map((title, i) =>
    Math.max([...title].length, ...rows.map((row) => [...(row[i] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};
