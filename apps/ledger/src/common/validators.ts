import { type PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isCalendarDay, validateNip } from '@netral/domain';
import { InputValidationException } from './validation';
import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** A property decorator for one class-validator rule: its name (the error's code), its check, its message. */
const rule =
  (
    name: string,
    validate: (value: unknown) => boolean,
    defaultMessage: (args: ValidationArguments) => string,
  ) =>
  (options?: ValidationOptions) =>
  (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: { validate, defaultMessage },
    });

/** A NIP valid under the PNS or PPPK layout; the error carries the domain's reason code (NIP_GENDER …). */
export const IsNip = rule(
  'isNip',
  (value) => typeof value === 'string' && validateNip(value).valid,
  (args) => {
    if (typeof args.value === 'number') {
      // 198503122010011002 as a JSON number is already 198503122010011000: only text keeps every digit.
      return 'NIP_FORMAT: tulis NIP sebagai teks dalam tanda kutip ("198503122010011002"): sebagai angka, 18 digit tidak terkirim utuh';
    }
    const result = typeof args.value === 'string' ? validateNip(args.value) : null;
    return result && !result.valid
      ? `${result.code}: ${result.reason}`
      : 'NIP_FORMAT: NIP harus 18 digit angka';
  },
);

/**
 * Beside ValidateNested on a list of objects: an item that is itself a list (`[[]]`) passes ValidateNested,
 * which checks that list's elements instead, and would be recorded as an empty item. Only such items are
 * this rule's; a value that is no list is IsArray's, and a null or a text item ValidateNested's own.
 */
export const NoListItems = rule(
  'noListItems',
  (value) => !Array.isArray(value) || !value.some(Array.isArray),
  (args) => {
    const items = args.value as unknown[];
    const at = items.flatMap((item, index) => (Array.isArray(item) ? [index + 1] : []));
    return `butir ke-${at.join(', ke-')} harus berupa objek ({ … }), bukan daftar ([ … ])`;
  },
);

/** A letter of any script: every name of a person, a position, an office or an election has one. */
export const LETTER = /\p{L}/u;
export const NEEDS_LETTER_REASON =
  'harus berisi huruf: tulis namanya, bukan hanya angka atau tanda baca (kolom tergeser?)';

/** A name (of an ASN, a position, an OPD, a user, an election): "0", "-1" or "…" is a slip, often a column
 * pasted one place off, not a name. An empty text is IsNotEmpty's to refuse. */
export const HasLetter = rule(
  'hasLetter',
  (value) => typeof value !== 'string' || value === '' || LETTER.test(value),
  () => NEEDS_LETTER_REASON,
);

/** A real calendar day `YYYY-MM-DD` (not 2024-02-30). */
export const IsCalendarDay = rule(
  'isCalendarDay',
  (value) => typeof value === 'string' && isCalendarDay(value),
  () => 'DATE_INVALID: harus tanggal yang valid (YYYY-MM-DD)',
);

const INSTANT =
  /^\d{4}-\d{2}-\d{2}(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** A real day, and when a time is given a real time of day (00:00–23:59:59) and offset (±14:00 at most). */
export const isDayOrInstant = (value: string): boolean => {
  const m = INSTANT.exec(value);
  if (!m || !isCalendarDay(value.slice(0, 10))) {
    return false;
  }
  const [, hour, minute, second, offsetHours, offsetMinutes] = m.map(Number);
  return (
    m[1] === undefined ||
    (hour <= 23 &&
      minute <= 59 &&
      (m[3] === undefined || second <= 59) &&
      (m[4] === undefined || offsetHours * 60 + offsetMinutes <= 14 * 60) &&
      (m[5] === undefined || offsetMinutes <= 59))
  );
};

/** A calendar day, or a day with a time and an explicit offset (`2024-09-20T10:00:00+08:00`). */
export const IsDayOrInstant = rule(
  'isDayOrInstant',
  (value) => typeof value === 'string' && isDayOrInstant(value),
  () =>
    'DATE_INVALID: harus tanggal (YYYY-MM-DD) atau tanggal dan jam dengan zona waktu (2024-09-20T10:00:00+08:00)',
);

/** An instant: a real day with a time of day and an explicit offset (`2024-09-01T00:00:00+08:00`, `…Z`). A
 * day alone, a time without a zone (read in the server's zone) or ISO's week and ordinal forms (2024-W05,
 * 2024-100, which JavaScript cannot read) would filter by something other than what was typed. */
export const IsInstant = rule(
  'isInstant',
  (value) => typeof value === 'string' && value.length > 10 && isDayOrInstant(value),
  () =>
    'DATE_INVALID: harus tanggal dan jam dengan zona waktu (2024-09-01T00:00:00+08:00 atau 2024-09-01T00:00:00Z)',
);

/** Ids in URLs and stream names: lowercase letters, digits and hyphens. */
/** A query number written as plain decimal digits: `?page=` (empty), ` 5`, `0x10` or `1e2` stay text and
 * fail the integer check with the parameter named, instead of silently meaning 0, 5, 16 or 100. */
export const WholeNumber = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value,
  );

export const SLUG = /^[a-z0-9][a-z0-9-]{1,63}$/;
export const SLUG_MESSAGE =
  'huruf kecil, angka dan tanda hubung (2–64 karakter), mis. dinas-kesehatan';
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A NIP in a URL path (`/asn/:nip/transfer`): the same check and reason code as in a body, so a typo is a
 * 400 saying what is wrong with it rather than a 404 for an ASN that cannot exist. */
export class NipParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const check = validateNip(value);
    if (!check.valid) {
      throw new InputValidationException([
        { field: 'nip', reason: `${check.code}: ${check.reason}`, code: check.code },
      ]);
    }
    return check.nip;
  }
}
