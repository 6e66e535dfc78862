import { textTable } from './text-table';

describe('textTable', () => {
  it('aligns every column on its widest cell, with a rule under the header and no trailing spaces', () => {
    expect(
      textTable(
        ['peran', 'nama pengguna', 'kata sandi'],
        [
          ['Administrator', 'admin', 'admin-netral-2024'],
          ['Kepala OPD', 'kadis.kesehatan', 'ké'],
        ],
      ),
    ).toBe(
      [
        'peran          nama pengguna    kata sandi',
        '─────────────  ───────────────  ─────────────────',
        'Administrator  admin            admin-netral-2024',
        'Kepala OPD     kadis.kesehatan  ké',
      ].join('\n'),
    );
  });

  it('prints the header alone when there is no row', () => {
    expect(textTable(['a', 'bb'], [])).toBe('a  bb\n─  ──');
  });
});
