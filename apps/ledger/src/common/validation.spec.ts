import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { createValidationPipe, type FieldProblem, InputValidationException } from './validation';

class Inner {
  @IsString()
  @IsNotEmpty()
  name!: string;
}

class Everything {
  @IsString() @MaxLength(5) short!: string;
  @IsString() @MinLength(10) long!: string;
  @IsInt() @Min(1) @Max(9) digit!: number;
  @IsIn(['PNS', 'PPPK']) kind!: string;
  @IsBoolean() flag!: boolean;
  @IsArray() @ArrayMaxSize(2) list!: string[];
  @IsUrl() url!: string;
  @IsTimeZone() zone!: string;
  @Matches(/^[a-z]+$/) plain!: string;
  @Matches(/^\d+$/, { message: 'hanya angka' }) own!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

class Names {
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(5, { each: true })
  names!: string[];
}

const problemsOf = async (
  body: unknown,
  metatype: new () => object = Everything,
): Promise<FieldProblem[]> => {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype });
  } catch (error) {
    if (error instanceof InputValidationException) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected the body to be refused');
};

describe('validation messages', () => {
  it('says every built-in constraint in Bahasa Indonesia, with its limit', async () => {
    const problems = await problemsOf({
      short: 'panjang sekali',
      long: 'pendek',
      digit: 12,
      kind: 'HONORER',
      flag: 'ya',
      list: ['a', 'b', 'c'],
      url: 'bukan url',
      zone: 'Bali/Bangli',
      plain: 'ABC',
      own: 'x1',
      inner: { name: '   ' },
      extra: 1,
    });
    const reasons = Object.fromEntries(problems.map((p) => [`${p.field}:${p.code}`, p.reason]));
    expect(reasons).toEqual({
      'short:maxLength': 'paling panjang 5 karakter',
      'long:minLength': 'paling sedikit 10 karakter',
      'digit:max': 'tidak boleh lebih dari 9',
      'kind:isIn': 'harus salah satu dari: PNS, PPPK',
      'flag:isBoolean': 'harus true atau false',
      'list:arrayMaxSize': 'paling banyak 2 butir',
      'url:isUrl': 'harus alamat URL yang lengkap, mis. https://bangli.go.id',
      'zone:isTimeZone': 'harus nama zona waktu IANA, mis. Asia/Makassar',
      'plain:matches': 'bentuknya tidak sesuai',
      'own:matches': 'hanya angka',
      'inner.name:isNotEmpty': 'wajib diisi',
      'extra:unknownField': 'kolom tidak dikenal: hapus kolom ini',
    });
  });

  it('names wrong types in Bahasa Indonesia too', async () => {
    const problems = await problemsOf({
      short: 5,
      long: 'cukup panjang sekali',
      digit: 1.5,
      kind: 'PNS',
      flag: true,
      list: 'a',
      url: 'https://bangli.go.id',
      zone: 'Asia/Makassar',
      plain: 'abc',
      own: '1',
      inner: 'teks',
    });
    expect(problems.map((p) => `${p.field}: ${p.reason}`)).toEqual(
      expect.arrayContaining([
        'short: harus berupa teks',
        'digit: harus bilangan bulat',
        'list: harus berupa daftar (array)',
        'inner: harus berupa objek atau daftar objek',
      ]),
    );
    expect(problems.every((p) => !/ must | should /.test(p.reason))).toBe(true);
  });

  it('a missing field is one problem, "wajib diisi"; one of the wrong kind is that alone; a wrong one keeps every rule it breaks', async () => {
    const problems = await problemsOf({
      short: 'panjang sekali',
      long: 5,
      digit: null,
      kind: 'PNS',
      flag: true,
      list: [],
      url: 'https://bangli.go.id',
      zone: 'Asia/Makassar',
      own: '1',
      inner: {},
    });
    expect(problems.map((p) => `${p.field}:${p.code}: ${p.reason}`).sort()).toEqual([
      'digit:isDefined: wajib diisi',
      'inner.name:isNotEmpty: wajib diisi',
      'long:isString: harus berupa teks',
      'plain:isDefined: wajib diisi',
      'short:maxLength: paling panjang 5 karakter',
    ]);
  });

  it('a pattern broken by a value that is no text says so, not the pattern (a list, a number, an object)', async () => {
    const base = { short: 'a', long: 'cukup panjang sekali', digit: 1, kind: 'PNS', flag: true };
    const rest = {
      list: [],
      url: 'https://bangli.go.id',
      zone: 'Asia/Makassar',
      inner: { name: 'a' },
    };
    for (const wrong of [['abc'], 12, { a: 1 }, true]) {
      const problems = await problemsOf({ ...base, ...rest, plain: wrong, own: wrong });
      expect(problems.map((p) => `${p.field}:${p.code}: ${p.reason}`)).toEqual([
        'plain:isString: harus berupa teks',
        'own:isString: harus berupa teks',
      ]);
    }
    const texts = await problemsOf({ ...base, ...rest, plain: 'ABC', own: 'x' });
    expect(texts.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      'plain: bentuknya tidak sesuai',
      'own: hanya angka',
    ]);
  });

  it('a rule on each item of a list names the items that break it, each by its own problem', async () => {
    const rows = async (names: unknown) =>
      (await problemsOf({ names }, Names)).map((p) => `${p.field}:${p.code}: ${p.reason}`);
    expect(await rows([1, null, '', 'Made', 'Nyoman Sukadana'])).toEqual([
      'names:arrayMaxSize: paling banyak 3 butir',
      'names.0:isString: harus berupa teks',
      'names.1:isNotEmpty: wajib diisi',
      'names.2:isNotEmpty: wajib diisi',
      'names.4:maxLength: paling panjang 5 karakter',
    ]);
    // An item that is itself a list is one row; no list at all is the list's one row.
    expect(await rows(['Made', ['Wayan']])).toEqual(['names.1:isString: harus berupa teks']);
    expect(await rows({ a: 'Made' })).toEqual(['names:isArray: harus berupa daftar (array)']);
  });
});
