import { Role } from '@app/common';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsUUID, Length } from 'class-validator';

registerEnumType(Role, {
  name: 'ApiTokenRole',
  description: 'ADMIN: everything. INTEGRATOR: read sources and sync runs, trigger and cancel syncs.',
});

@ObjectType('ApiToken')
export class ApiTokenModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Role) role: Role;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenModel {
  @Field(() => ApiTokenModel) token: ApiTokenModel;
  @Field({ description: 'Send as "Authorization: Bearer <secret>". Shown only in this response: store it now.' })
  secret: string;
}

@ArgsType()
export class CreateApiTokenArgs {
  @Field()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name: string;

  @Field(() => Role)
  @IsEnum(Role)
  role: Role;
}

@ArgsType()
export class ApiTokenIdArgs {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be an API token id (UUID)' })
  id: string;
}

@ArgsType()
export class ApiTokensArgs {
  @Field({ defaultValue: false, description: 'Include revoked tokens.' })
  @IsOptional()
  @IsBoolean()
  includeRevoked: boolean;
}
