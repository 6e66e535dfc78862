import { SetMetadata } from '@nestjs/common';
import type { Role } from '@netral/domain';

export const ROLES_KEY = 'netral:roles';
export const IS_PUBLIC_KEY = 'netral:public';
export const WITH_TEMPORARY_PASSWORD_KEY = 'netral:with-temporary-password';

/** Which roles may call a route. The global guard denies every authenticated route without it. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without signing in (verification material, health, login). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** A route a user whose password someone else set may still call: their own account, and the change of
 * that password. Every other route answers PASSWORD_CHANGE_REQUIRED (403) until they have chosen their own. */
export const WithTemporaryPassword = () => SetMetadata(WITH_TEMPORARY_PASSWORD_KEY, true);
