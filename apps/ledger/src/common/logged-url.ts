/** A URL as it may be logged: a multipart form's `?_csrf=` token (see identity/csrf.ts; bound to the
 * browser it was made for) is no business of a log line. Free of imports, so the exception filter and the
 * logger use it without an import cycle (identity/csrf.ts reaches the filter through the user directory). */
export const withoutCsrfToken = (url: string): string =>
  url.includes('_csrf=') ? url.replace(/([?&]_csrf=)[^&#]*/g, '$1[redacted]') : url;
