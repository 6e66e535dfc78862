/** `res.locals` key a middleware that answers before any route matched (an idempotent replay, the startup
 * gate's 503) sets to its label: there `req.baseUrl` still holds the raw path, ids and all. */
export const ANSWERED_BEFORE_ROUTING = 'answeredBeforeRouting';
