import { Role } from '@app/common';
import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'tributary:roles';

/**
 * Roles allowed to call a resolver. Without this decorator only ADMIN may call it: new operations are
 * closed by default and must opt in to INTEGRATOR access.
 */
export const AllowRoles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
