import { validateNip } from './nip';

describe('validateNip', () => {
  it.each([
    ['198503122010011002', 'PNS'],
    ['1985 0312 201001 1 002', 'PNS'],
    ['199001012023212001', 'PPPK'],
    ['197702282024241015', 'PPPK'],
  ])('accepts %s as %s', (nip, layout) => {
    expect(validateNip(nip)).toMatchObject({ valid: true, layout, nip: nip.replace(/\s/g, '') });
  });

  it.each([
    ['12345', 'NIP_FORMAT'],
    ['19850312201001100X', 'NIP_FORMAT'],
    ['198502302010011002', 'NIP_BIRTH_DATE'], // 30 February
    ['193001012010011002', 'NIP_BIRTH_DATE'], // before 1940
    ['198503121990011002', 'NIP_APPOINTMENT'], // appointed at age 4
    ['201005012005011002', 'NIP_BIRTH_AFTER_APPOINTMENT'], // born 2010, TMT CPNS 2005
    ['198503121985031002', 'NIP_BIRTH_AFTER_APPOINTMENT'], // TMT in the month of birth
    ['200001012000212001', 'NIP_BIRTH_AFTER_APPOINTMENT'], // PPPK appointed the year of birth
    ['198503122010001002', 'NIP_APPOINTMENT'], // month 00
    ['198503122010013002', 'NIP_GENDER'],
    ['198503122010011000', 'NIP_SEQUENCE'],
    // A spreadsheet's damage: the number in scientific notation, or rounded to 15 digits (…000).
    ['1,98503E+17', 'NIP_SPREADSHEET_NUMBER'],
    ['1.98503122010011E+17', 'NIP_SPREADSHEET_NUMBER'],
    ['1.98503e17', 'NIP_SPREADSHEET_NUMBER'],
    ['198503122010013000', 'NIP_SEQUENCE'], // …012502 rounded up into the gender digit
  ])('refuses %s with %s', (nip, code) => {
    const result = validateNip(nip);
    expect(result).toMatchObject({ valid: false, code });
    expect(result.valid || result.reason.length > 10).toBe(true);
  });

  it.each([
    ['198503122028011002', 'NIP_IN_FUTURE'], // TMT CPNS January 2028, two years ahead
    ['202601012045011001', 'NIP_IN_FUTURE'], // born January 2026, appointed 2045
    ['200001012028212001', 'NIP_IN_FUTURE'], // PPPK appointed in 2028
  ])('refuses %s with %s when today is known', (nip, code) => {
    expect(validateNip(nip, { today: '2026-12-02' })).toMatchObject({ valid: false, code });
    // Without a day only the layout is checked.
    expect(validateNip(nip).valid).toBe(true);
  });
  it('accepts an appointment as late as next year', () => {
    expect(validateNip('198503122027011002', { today: '2026-12-02' })).toMatchObject({
      valid: true,
    });
  });

  it('says where a spreadsheet damaged a NIP, and how to get it back', () => {
    for (const nip of ['1,98503E+17', '198503122010011000']) {
      const result = validateNip(nip);
      expect(!result.valid && result.reason).toMatch(/Excel.*Teks.*SIASN/);
    }
    expect(validateNip('19850312201001100X')).toMatchObject({ reason: 'NIP harus 18 digit angka' });
  });
});
