import {
  type ArgumentMetadata,
  BadRequestException,
  type Type,
  ValidationPipe,
  type ValidationError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { isNotEmpty, isString, maxLength } from 'class-validator';
import { echoed } from './echo';

export interface FieldProblem {
  field: string;
  reason: string;
  /** The failed constraint (class-validator key such as `isISO8601`, or a domain reason code). */
  code: string;
}

const CODED_REASON = /^([A-Z][A-Z0-9_]+): (.+)$/s;

/**
 * class-validator's own messages are English ("name must be a string"); the people reading ours are
 * officials, so every built-in constraint a DTO uses without its own message is said in Bahasa Indonesia
 * (limits read from the English text, the only place class-validator keeps them). A DTO's own message,
 * already Indonesian, is kept as written.
 */
const number = (english: string): string => /(-?\d+(?:\.\d+)?)/.exec(english)?.[1] ?? '?';
const isoDate = () =>
  'harus tanggal (YYYY-MM-DD) atau tanggal dan jam ISO 8601, mis. 2024-09-20T10:00:00+08:00';
const INDONESIAN: Record<string, (english: string) => string> = {
  isString: () => 'harus berupa teks',
  isNotEmpty: () => 'wajib diisi',
  isDefined: () => 'wajib diisi',
  maxLength: (english) => `paling panjang ${number(english)} karakter`,
  minLength: (english) => `paling sedikit ${number(english)} karakter`,
  min: (english) => `tidak boleh kurang dari ${number(english)}`,
  max: (english) => `tidak boleh lebih dari ${number(english)}`,
  isInt: () => 'harus bilangan bulat',
  isIn: (english) =>
    `harus salah satu dari: ${english.replace(/^.*one of the following values: /s, '')}`,
  isBoolean: () => 'harus true atau false',
  isArray: () => 'harus berupa daftar (array)',
  arrayMaxSize: (english) => `paling banyak ${number(english)} butir`,
  arrayMinSize: (english) => `paling sedikit ${number(english)} butir`,
  isObject: () => 'harus berupa objek',
  nestedValidation: () => 'harus berupa objek atau daftar objek',
  isUrl: () => 'harus alamat URL yang lengkap, mis. https://bangli.go.id',
  isTimeZone: () => 'harus nama zona waktu IANA, mis. Asia/Makassar',
  isISO8601: isoDate,
  isDateString: isoDate,
  matches: () => 'bentuknya tidak sesuai',
  unknownValue: () => 'isian harus berupa objek JSON',
};
/** class-validator's default messages start with the property name ("name must …", "each value in …"). */
const isDefaultMessage = (property: string, reason: string): boolean =>
  reason.startsWith(`${property} `) ||
  reason.startsWith('each value in ') ||
  reason.startsWith('nested property ') ||
  reason.startsWith('an unknown value ');

const reasonFor = (property: string, code: string, reason: string): string =>
  INDONESIAN[code] && isDefaultMessage(property, reason) ? INDONESIAN[code](reason) : reason;

/** Constraints that say a value is missing, the first one present wins. */
const REQUIRED = ['isDefined', 'isNotEmpty'];
/** Constraints on a value's kind: when one fails, the others (length, range…) say nothing useful. */
const KIND = new Set(['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']);

/**
 * A field left out (or null) fails every rule it has — "harus berupa teks", "wajib diisi", "paling panjang
 * 200 karakter" — and only the first says what to do: it is the one reported, `isDefined` (the DTO's own
 * message, when it has one, e.g. which of two fields to fill) before `isNotEmpty`; a field with no such rule
 * is reported as `isDefined`, "wajib diisi". A value of the wrong kind (a list for a text, "abc" for a
 * page number) is reported by that alone, not also as too long or below its minimum. A value of the right
 * kind keeps every rule it breaks.
 */
const reported = (error: ValidationError): [string, string][] => {
  const all = Object.entries(error.constraints ?? {});
  // A field the DTO does not have is unknown whatever its value (`"foo": null` too): not "wajib diisi".
  const unknown = all.find(([code]) => code === 'whitelistValidation');
  if (unknown) {
    return [unknown];
  }
  if ((error.value !== undefined && error.value !== null) || all.length === 0) {
    const kind = all.filter(([code]) => KIND.has(code));
    // Not a list at all: what each item should have been ({"a": 1} "harus berupa teks") follows from it.
    const notList = kind.find(([code]) => code === 'isArray');
    if (notList) {
      return [notList];
    }
    // A pattern is a text's (an id, a hash, a code): a number, a list or an object breaks it for being no
    // text at all, which is what to fix.
    if (
      kind.length === 0 &&
      typeof error.value !== 'string' &&
      all.some(([c]) => c === 'matches')
    ) {
      return [['isString', 'harus berupa teks']];
    }
    return kind.length > 0 ? kind : all;
  }
  const required = REQUIRED.map((code) => all.find(([c]) => c === code)).find(Boolean);
  return [required ?? ['isDefined', 'wajib diisi']];
};

/**
 * Constraints a DTO applies to each item of a list (`{ each: true }`), as class-validator checks them one
 * value at a time: its error names the list ("each value in witnesses…"), these find which items broke
 * it, so the row says `witnesses.1` and what to fix there.
 */
const EACH: Record<string, (item: unknown, english: string) => boolean> = {
  isString: (item) => isString(item),
  isNotEmpty: (item) => isNotEmpty(item),
  maxLength: (item, english) => maxLength(item, Number(number(english))),
};

/** Errors perItem made: an item that is itself a list ([["a"]]) is reported, not split again. */
const ITEMS = new WeakSet<ValidationError>();

/** A list's `{ each: true }` failures as one error per item that broke them, or null when there are none. */
const perItem = (error: ValidationError): ValidationError[] | null => {
  if (ITEMS.has(error)) {
    return null;
  }
  const each = Object.entries(error.constraints ?? {}).filter(
    ([code, reason]) => reason.startsWith('each value in ') && EACH[code],
  );
  if (!Array.isArray(error.value) || each.length === 0) {
    return null;
  }
  const items = (error.value as unknown[]).flatMap((item, index) => {
    const broken = each.filter(([code, reason]) => !EACH[code](item, reason));
    return broken.length === 0
      ? []
      : [{ property: String(index), value: item, constraints: Object.fromEntries(broken) }];
  });
  if (items.length === 0) {
    // class-validator saw an item break a rule these do not find broken: the list's own row says it.
    return null;
  }
  const rest = Object.entries(error.constraints ?? {}).filter(
    ([code]) => !each.some(([c]) => c === code),
  );
  const split = [
    ...(rest.length > 0 ? [{ ...error, constraints: Object.fromEntries(rest), children: [] }] : []),
    ...items.map((item) => ({ ...item, property: `${error.property}.${item.property}` })),
  ];
  split.forEach((part) => ITEMS.add(part));
  return split;
};

/** Flattens nested class-validator errors into `{field: 'a.b.0.c', reason, code}` rows. */
export const flattenValidationErrors = (errors: ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const items = perItem(error);
    if (items) {
      return flattenValidationErrors(items, parent);
    }
    // An unknown key is the caller's text: a 5,000-character one is named by its start.
    const field = echoed(parent ? `${parent}.${error.property}` : error.property);
    const own = reported(error).map(([code, reason]) => {
      // Custom validators may carry a domain reason code: "NIP_GENDER: digit 15 …".
      const coded = CODED_REASON.exec(reason);
      return {
        field,
        code: code === 'whitelistValidation' ? 'unknownField' : (coded?.[1] ?? code),
        reason:
          code === 'whitelistValidation'
            ? 'kolom tidak dikenal: hapus kolom ini'
            : (coded?.[2] ?? reasonFor(error.property, code, reason)),
      };
    });
    // A value of the wrong kind (an object for a list) is that one row: its would-be fields say nothing.
    const wrongKind = own.some((problem) => KIND.has(problem.code));
    return wrongKind ? own : [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });

export class InputValidationException extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Isian tidak valid: ${problems.map((p) => `${p.field} (${p.reason})`).join('; ')}`,
      details: problems,
    });
  }
}

/** Nothing a person can see or read back: spaces, control characters, zero-width and other format
 * characters (U+200B, U+FEFF…). */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Cc}\p{Cf}]+$/u;
/** Control characters other than tab and line breaks: no form or file puts them in a text. */
const CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Characters that turn the direction text is shown in (U+202A–U+202E, U+2066–U+2069): a name carrying
 * one reads otherwise on a page, in a CSV or on a certificate than the characters stored ("Trojan
 * Source"). No Indonesian name or position needs them. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** Zero-width characters inside a text (U+200B, U+2060, U+FEFF), mostly carried along by copy and paste:
 * "Dinas\u200BKesehatan" looks exactly like an OPD already registered. The joiners (U+200C, U+200D)
 * stay: emoji and some scripts are written with them. */
const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/u;
/** Half of a UTF-16 surrogate pair alone (JSON allows `"\ud800"`): no character at all, and stored as
 * UTF-8 it would become U+FFFD, the text changed after it was accepted. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Text with nothing a person can see in it (it counts as not filled in). */
export const isInvisibleText = (value: string): boolean =>
  value.length > 0 && INVISIBLE_ONLY.test(value);

/** What makes a text unfit to store as it is, wherever it comes from (a body, a form, a CSV cell): a
 * control character, a character that turns the text's direction or hides inside it, a broken
 * character. Empty when it is fine. */
export const textFaults = (value: string): { code: string; reason: string }[] => [
  ...(CONTROL.test(value)
    ? [
        {
          code: 'controlCharacter',
          reason: 'berisi karakter kendali yang tidak terlihat (mis. NUL): hapus karakter itu',
        },
      ]
    : []),
  ...(BIDI_CONTROL.test(value)
    ? [
        {
          code: 'bidiControl',
          reason:
            'berisi karakter pengatur arah teks (U+202A–U+202E, U+2066–U+2069) yang membuat teks tampil berbeda dari isinya: hapus karakter itu',
        },
      ]
    : []),
  ...(ZERO_WIDTH.test(value)
    ? [
        {
          code: 'zeroWidthCharacter',
          reason:
            'berisi karakter tak terlihat selebar nol (U+200B, U+2060 atau U+FEFF, biasanya terbawa saat menyalin): hapus karakter itu, atau ketik ulang teksnya',
        },
      ]
    : []),
  ...(LONE_SURROGATE.test(value)
    ? [
        {
          code: 'brokenCharacter',
          reason:
            'berisi karakter rusak (separuh pasangan surrogate UTF-16, mis. sisa emoji yang terpotong): ketik ulang teks itu',
        },
      ]
    : []),
];

/**
 * `__proto__`, `constructor`, `prototype` and the other names every object already has (`toString`,
 * `hasOwnProperty`…): Nest's pipe deletes the first three and class-transformer skips the others, so a
 * field by such a name would vanish without a word instead of being refused as unknown.
 */
const isReservedName = (key: string): boolean =>
  key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);

const reservedName = (field: string): FieldProblem => ({
  field,
  code: 'reservedFieldName',
  reason: 'nama kolom ini tidak diizinkan (nama khusus JavaScript): hapus kolom ini',
});

/** Fields kept exactly as sent: a password's spaces are part of it. */
const VERBATIM_FIELDS = new Set(['password']);

/**
 * Text with nothing visible in it is no text: it becomes '' so "required" rules refuse it (a PTDH's legal
 * basis, a reason, a place) instead of storing blanks, NULs or zero-width spaces. Other text loses the
 * spaces around it (not a password's), as the web forms and the CSV import read the same fields: one
 * person is not two by a trailing space, and the response shows what was stored. Text carrying a control
 * character (a NUL, an escape) or a lone surrogate is refused, its field named: it would be stored,
 * signed into the log and printed on certificates as it is (or, the surrogate, changed). A field named as isReservedName says is refused, its path named.
 * With `text: false` (query strings) only the names are checked and the values are left as they are.
 * Bodies are at most 32 levels deep (refuseDeepJson).
 */
const cleanText = (
  value: unknown,
  path: string,
  problems: FieldProblem[],
  text = true,
  verbatim = false,
): unknown => {
  if (typeof value === 'string' && text) {
    // A password is kept as typed, spaces too: its policy says what is wrong with one of spaces only.
    if (isInvisibleText(value) && !verbatim) {
      return '';
    }
    for (const fault of textFaults(value)) {
      problems.push({ field: path || 'body', ...fault });
    }
    return verbatim ? value : value.trim();
  }
  if (Array.isArray(value)) {
    return value.map((inner, index) =>
      cleanText(inner, path ? `${path}.${index}` : `${index}`, problems, text),
    );
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (isReservedName(key)) {
        problems.push(reservedName(path ? `${path}.${key}` : key));
        continue;
      }
      (value as Record<string, unknown>)[key] = cleanText(
        inner,
        path ? `${path}.${key}` : key,
        problems,
        text,
        VERBATIM_FIELDS.has(key),
      );
    }
  }
  return value;
};

/** No id, in a path or a query, is longer (slugs, usernames, NIPs, case and certificate numbers, SHA-256
 * hex). */
export const ID_MAX_LENGTH = 64;

/** The rules a refused body's own fields can answer, told beside the problems of its shape (see
 * RulesBesideShape). */
export interface BesideShape {
  beside(
    error: InputValidationException,
    body: unknown,
    dto: Type<object>,
  ): Promise<InputValidationException>;
}

/** The global pipe: unknown fields are rejected, payloads become DTO instances, every problem is listed.
 * A path parameter longer than any id is refused, named, before a service looks it up (and repeats it in
 * a "tidak ditemukan"); a query parameter by a reserved name is refused like a body field. */
class LedgerValidationPipe extends ValidationPipe {
  constructor(
    options: ValidationPipeOptions,
    private readonly rulesFor: (dto: Type<object>) => BesideShape | undefined,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await this.checkSingleValues(value, metadata);
    } catch (error) {
      const dto =
        metadata.type === 'body' ? (metadata.metatype as Type<object> | undefined) : undefined;
      const rules = dto && this.rulesFor(dto);
      if (rules && dto && error instanceof InputValidationException) {
        throw await rules.beside(error, value, dto);
      }
      throw error;
    }
  }

  /**
   * A query DTO's parameters are single values: one given twice (`?page=1&page=2`, a hand-edited address
   * or a client appending to a link) arrives as a list, which every rule would refuse with a reason about
   * a format a list cannot have. It is named as repeated instead, beside the problems of the other
   * parameters. (Express's query parser keeps brackets in the name: `page[]` is an unknown parameter.)
   */
  private async checkSingleValues(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'query' && metadata.data === undefined && metadata.metatype;
    const repeated =
      dto && dto !== Object && typeof value === 'object' && value !== null
        ? Object.keys(value).filter((field) =>
            Array.isArray((value as Record<string, unknown>)[field]),
          )
        : [];
    if (repeated.length === 0) {
      return this.check(value, metadata);
    }
    const problems: FieldProblem[] = repeated.map((field) => ({
      field,
      code: 'PARAMETER_REPEATED',
      reason: 'disebut lebih dari sekali di alamat: sebutkan sekali saja',
    }));
    try {
      await this.check(
        Object.fromEntries(
          Object.entries(value as object).filter(([field]) => !repeated.includes(field)),
        ),
        metadata,
      );
    } catch (error) {
      if (!(error instanceof InputValidationException)) {
        throw error;
      }
      problems.push(...error.problems.filter((problem) => !repeated.includes(problem.field)));
    }
    throw new InputValidationException(problems);
  }

  private check(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'param' && typeof value === 'string' && value.length > ID_MAX_LENGTH) {
      throw new InputValidationException([
        {
          field: metadata.data ?? 'path',
          code: 'maxLength',
          reason: `paling panjang ${ID_MAX_LENGTH} karakter: periksa alamatnya`,
        },
      ]);
    }
    // A whole body, or a whole query string (a query DTO refuses unknown parameters; reserved names would
    // vanish in the pipe instead).
    const query = metadata.type === 'query' && metadata.data === undefined;
    if (metadata.type !== 'body' && !query) {
      return super.transform(value, metadata);
    }
    const problems: FieldProblem[] = [];
    const cleaned = cleanText(value, '', problems, !query);
    if (problems.length > 0) {
      throw new InputValidationException(problems);
    }
    return super.transform(cleaned, metadata);
  }
}

/** `rulesFor` finds the rules told beside a refused body's shape (none outside the service's module graph:
 * the CLI, the benchmark's bare app). */
export const createValidationPipe = (
  rulesFor: (dto: Type<object>) => BesideShape | undefined = () => undefined,
) =>
  new LedgerValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      // The value tells a missing field from a wrong one (requiredOnly); it is never put in a response.
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => new InputValidationException(flattenValidationErrors(errors)),
    },
    rulesFor,
  );
