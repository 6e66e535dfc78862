/** The longest user value an error message repeats whole. */
export const ECHO_MAX_LENGTH = 64;

/**
 * A value the caller sent (a path, a header, an id), as an error message repeats it: whole up to
 * ECHO_MAX_LENGTH characters, else its first 60 and an ellipsis, so a 5,000-character path is not sent
 * back, logged and rendered whole. Counted in code points, so a character outside the BMP is never cut in
 * half.
 */
export const echoed = (value: string): string => {
  if (value.length <= ECHO_MAX_LENGTH) {
    return value;
  }
  const chars = Array.from(value);
  return chars.length <= ECHO_MAX_LENGTH ? value : `${chars.slice(0, 60).join('')}…`;
};
