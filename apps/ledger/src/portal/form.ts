import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { DomainError, FieldProblems } from '@netral/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import hbs from 'hbs';
import { isStoreUnavailable, STATUS_OF_KIND, toErrorBody } from '../common/api-exception.filter';
import { flattenValidationErrors } from '../common/validation';
import { MAX_PAGE } from '../compliance/read.dto';
import { setFlash } from './flash';

/** A posted HTML form as Express parses it (urlencoded or multipart fields). */
export type Form = Record<string, unknown>;

/** A text field, trimmed; '' when absent. */
export const text = (form: Form, key: string): string =>
  typeof form[key] === 'string' ? form[key].trim() : '';

/** A field that may repeat (checkboxes): every string value. */
export const texts = (form: Form, key: string): string[] => {
  const raw = form[key];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (v): v is string => typeof v === 'string',
  );
};

/** One query-string value as text: a repeated name keeps its first value; an array or object of a bracketed
 * name (`q[x]=1`) is no text at all. */
const firstText = (raw: unknown): string | undefined => {
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  return typeof first === 'string' ? first : undefined;
};

/**
 * A page's query string as text only (`@Query(QueryTexts)`): a repeated name keeps its first value and a
 * bracketed one (`q[x]=1`) is dropped, so a hand-edited link never reaches a page as an array or object.
 */
export class QueryTexts implements PipeTransform<unknown, Record<string, string | undefined>> {
  transform(value: unknown): Record<string, string | undefined> {
    const texts: Record<string, string> = {};
    for (const [key, raw] of Object.entries((value ?? {}) as Record<string, unknown>)) {
      const first = firstText(raw);
      if (first !== undefined) {
        texts[key] = first;
      }
    }
    return texts;
  }
}

/** One named query parameter of a page as text (`@Query('electionId', QueryText)`), as QueryTexts reads
 * each: what the parameter's type says, whatever a hand-edited link sends. */
export class QueryText implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    return firstText(value);
  }
}

/** Rows per page of the lists on the pages. */
export const PAGE_SIZE = 50;

/** The `page` of a list from the URL: 1 unless a positive number, at most MAX_PAGE. */
export const pageNumber = (raw: string | undefined): number =>
  Math.min(MAX_PAGE, Math.max(1, Number.parseInt(raw ?? '1', 10) || 1));

/** What the `pager` partial shows: this page of how many, and links to the pages around it. */
export const pager = (
  total: number,
  page: number,
  pageSize: number,
  link: (page: number) => string,
) => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return {
    page,
    pages,
    previous: page > 1 ? link(page - 1) : undefined,
    next: page < pages ? link(page + 1) : undefined,
  };
};

/** Field → message, shown next to the field and in the summary. */
export type FieldErrors = Record<string, string>;

const REASONS: Record<string, string> = {
  isNotEmpty: 'wajib diisi',
  isIn: 'pilih salah satu pilihan yang tersedia',
};

/**
 * Checks a form against the API's DTO, so a page accepts exactly what the API accepts and says why not in
 * the same words. Unknown fields are ignored (forms carry `_csrf` and buttons).
 */
export const validateAs = <T extends object>(
  dto: new () => T,
  values: object,
): { value: T; errors?: undefined } | { value?: undefined; errors: FieldErrors } => {
  // A form sends every field, an empty one as ''; an empty field is a missing value, as a field left out of
  // an API body is: a required one says "wajib diisi" (not the format it would have had), an optional one
  // is no value at all.
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  const value = plainToInstance(dto, given);
  const problems = flattenValidationErrors(validateSync(value, { whitelist: true }));
  if (problems.length === 0) {
    return { value };
  }
  const errors: FieldErrors = {};
  for (const p of problems) {
    errors[p.field] ??= REASONS[p.code] ?? p.reason;
  }
  return { errors };
};

/** The first reason a domain rule gives, checked as its decider checks it: for a form that tells a field's
 * rule beside its other problems rather than only once they are fixed. */
export const ruleReason = (check: (problems: FieldProblems) => void): string | undefined => {
  const problems = new FieldProblems();
  check(problems);
  return problems.all[0]?.reason;
};

/**
 * Adds the reasons the rules find beside a form's other problems, each on a field that has none yet, so an
 * official hears of every problem of the form at once (a refusal of the rules alone is the decider's, once
 * the rest is right). `check` is given only the fields `errors` does not name (well-formed by the DTO).
 */
export const addRuleReasons = <T extends object>(
  errors: FieldErrors,
  values: Partial<T>,
  check: (wellFormed: Partial<T>, problems: FieldProblems) => void,
): void => {
  if (Object.keys(errors).length === 0) {
    return;
  }
  const wellFormed = Object.fromEntries(
    Object.entries(values).filter(([field, value]) => value !== '' && !errors[field]),
  ) as Partial<T>;
  const problems = new FieldProblems();
  check(wellFormed, problems);
  for (const { field, reason } of problems.all) {
    errors[field] ??= reason;
  }
};

/** A domain refusal as form errors: its detail rows by field, and its message for the summary. */
export const domainErrors = (error: DomainError): FieldErrors =>
  Object.fromEntries((error.details ?? []).map((d) => [d.field, d.reason]));

/** A page with several forms gives each field an id prefixed by its form (`mutasi-toOpdId`): the error
 * summary of the refused one links there. */
export const summaryOfForm = (
  failed: { form: string; errors: FieldErrors } | undefined,
): FieldErrors | undefined =>
  failed
    ? Object.fromEntries(
        Object.entries(failed.errors).map(([field, message]) => [
          `${failed.form}-${field}`,
          message,
        ]),
      )
    : undefined;

/** Why a form's write did not happen, as the form shows it again with the user's values kept: a refusal
 * by the rules (a DomainError) with its field errors, or the event store out of reach (503, its message
 * saying whether anything may have been recorded). Anything else is not the user's doing: undefined, and
 * the caller lets it propagate. */
export const formRefusal = (
  error: unknown,
): { errors: FieldErrors; message: string; status: number } | undefined => {
  if (error instanceof DomainError) {
    return {
      errors: domainErrors(error),
      message: error.message,
      status: STATUS_OF_KIND[error.kind],
    };
  }
  if (isStoreUnavailable(error)) {
    return { errors: {}, message: toErrorBody(error).message, status: 503 };
  }
  return undefined;
};

/**
 * A page's write, answered as Post/Redirect/Get: on success the flash and the 303 that `done` makes of the
 * result; a refusal (formRefusal) goes to `refused` with its field errors, message and status (the form
 * shown again); anything else is not the user's doing and propagates.
 */
export const submitForm = async <T>(
  res: Response,
  write: () => Promise<T>,
  done: (result: T) => { message: string; location: string },
  refused: (errors: FieldErrors, message: string, status: number) => unknown,
): Promise<unknown> => {
  let result: T;
  try {
    result = await write();
  } catch (error) {
    const refusal = formRefusal(error);
    if (refusal) {
      return refused(refusal.errors, refusal.message, refusal.status);
    }
    throw error;
  }
  const { message, location } = done(result);
  setFlash(res, { kind: 'success', message });
  res.redirect(303, location);
  return undefined;
};

/** Which of a page's forms a post names (the `:form` of its URL); any other name is the 404 page. */
export const formNamed = <F extends string>(forms: readonly F[], name: string): F => {
  if (!(forms as readonly string[]).includes(name)) {
    throw new NotFoundException({ code: 'ROUTE_NOT_FOUND', message: 'Formulir tidak dikenal.' });
  }
  return name as F;
};

/** The summary line of a form refused for its fields. */
export const CHECK_FIELDS = 'Periksa isian yang ditandai.';

/** A posted form: refused with its field errors, or ready to run (`done` is the flash of its success). */
export type Submission<R> = { values: Form } & (
  { errors: FieldErrors } | { errors?: undefined; run: () => Promise<R>; done: string }
);

/** A form's values (to show again) and its DTO's verdict; `run` writes with the checked value. */
export const submission = <T extends object, R>(
  values: Form,
  done: string,
  checked: { value: T; errors?: undefined } | { value?: undefined; errors: FieldErrors },
  run: (value: T) => Promise<R>,
): Submission<R> =>
  checked.errors
    ? { values, errors: checked.errors }
    : { values, run: () => run(checked.value), done };

/** Answers a posted form: its field errors shown by `refused`, or its write run as `submitForm` does, the
 * 303 going where `location` says for the result. */
export const answer = <R>(
  res: Response,
  posted: Submission<R>,
  location: (result: R) => string,
  refused: (errors: FieldErrors, message: string, status?: number) => unknown,
): Promise<unknown> =>
  posted.errors
    ? Promise.resolve(refused(posted.errors, CHECK_FIELDS))
    : submitForm(
        res,
        posted.run,
        (result) => ({ message: posted.done, location: location(result) }),
        refused,
      );

/** A field of the page being rendered, as the `field` partial declares it. */
interface RenderedField {
  id: string;
  name: string;
  label: string;
  error: string;
}

/** The fields of each render so far, by the render's root context (one object per res.render). */
const renderedFields = new WeakMap<object, RenderedField[]>();

const fieldsOf = (root: object): RenderedField[] => {
  const fields = renderedFields.get(root) ?? [];
  renderedFields.set(root, fields);
  return fields;
};

interface HelperOptions {
  data?: { root?: unknown };
}
const rootOf = (options: unknown): object | undefined => {
  const root = (options as HelperOptions | undefined)?.data?.root;
  return typeof root === 'object' && root !== null ? root : undefined;
};

const escape = (text: string): string => hbs.handlebars.escapeExpression(text);

/** The error summary's entries: each field with an error as "Label: reason", linking to the field, in the
 * order the page shows the fields; an error for no field on the page (a rule naming none) after them. */
export const summaryEntries = (
  fields: readonly RenderedField[],
  errors: FieldErrors,
): { id: string; text: string }[] => {
  const shown = fields.filter((f) => f.error);
  const named = new Set(shown.flatMap((f) => [f.id, f.name]));
  return [
    ...shown.map((f) => ({ id: f.id, text: f.label ? `${f.label}: ${f.error}` : f.error })),
    ...Object.entries(errors)
      .filter(([key, message]) => message && !named.has(key))
      .map(([id, message]) => ({ id, text: message })),
  ];
};

/**
 * The view helpers of forms. The `field` partial declares each field (`formField`) as it renders; the
 * summary (`errorSummary`, in `form-summary`) stands above the fields, so hbs fills it in once the whole
 * page is rendered (an async helper: its value replaces a placeholder after the template has run), from
 * the fields the page declared: the labels are the ones the page shows, in its order.
 */
export const FORM_VIEW_HELPERS = {
  formField: (id: unknown, name: unknown, label: unknown, error: unknown, options: unknown) => {
    const root = rootOf(options);
    if (root) {
      fieldsOf(root).push({
        id: String(id),
        name: String(name),
        label: typeof label === 'string' ? label : '',
        error: typeof error === 'string' ? error : '',
      });
    }
    return '';
  },
};

export const FORM_ASYNC_VIEW_HELPERS = {
  errorSummary: (errors: unknown, options: unknown, done: (html: unknown) => void) => {
    const root = rootOf(options);
    // After the template has run, so every field of the page is declared.
    queueMicrotask(() => {
      const entries = summaryEntries(
        root ? (renderedFields.get(root) ?? []) : [],
        typeof errors === 'object' && errors !== null ? (errors as FieldErrors) : {},
      );
      done(
        new hbs.handlebars.SafeString(
          entries.length === 0
            ? ''
            : `<ul>${entries
                .map((e) => `<li><a href="#${escape(e.id)}">${escape(e.text)}</a></li>`)
                .join('')}</ul>`,
        ),
      );
    });
  },
};
