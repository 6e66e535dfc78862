import type { Request, Response } from 'express';

const COOKIE = 'netral_flash';

export interface Flash {
  kind: 'success' | 'error';
  message: string;
}

/** Post/Redirect/Get: the message survives exactly one redirect (a short-lived httpOnly cookie). */
export const setFlash = (res: Response, flash: Flash): void => {
  res.cookie(COOKIE, JSON.stringify(flash), {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60_000,
  });
};

export const takeFlash = (req: Request, res: Response): Flash | undefined => {
  const raw = (req.cookies as Record<string, string | undefined>)[COOKIE];
  if (!raw) {
    return undefined;
  }
  res.clearCookie(COOKIE, { path: '/' });
  try {
    const flash = JSON.parse(raw) as Flash;
    return (flash.kind === 'success' || flash.kind === 'error') && typeof flash.message === 'string'
      ? flash
      : undefined;
  } catch {
    return undefined;
  }
};
