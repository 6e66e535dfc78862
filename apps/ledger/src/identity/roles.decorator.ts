import { SetMetadata } from '@nestjs/common';
import type { Role } from '@netral/domain';

export const ROLES_KEY = 'netral:roles';
export const IS_PUBLIC_KEY = 'netral:public';

/** Which roles may call a route. The global guard denies every authenticated route without it. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without signing in (verification material, health, login). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
