import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/** The correlation id of a request: the caller's `X-Correlation-Id` when it is sane, else a new UUID. It is
 * echoed in the response header, logged with every line and written into every event's metadata. */
export const correlationIdFor = (req: IncomingMessage, res: ServerResponse): string => {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
  res.setHeader('X-Correlation-Id', id);
  return id;
};
