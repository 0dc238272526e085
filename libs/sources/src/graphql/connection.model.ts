import type { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfoModel } from './page-info.model';

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoModel;
}

/**
 * A Relay-style page of `node`: declares the `<name>Edge` type and returns the connection's fields, which
 * the connection class extends under its own `@ObjectType('<name>Connection')` (adding fields of its own,
 * such as totalCount).
 */
export function Connection<T>(name: string, node: Type<T>): Type<Page<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeModel implements Edge<T> {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionModel implements Page<T> {
    @Field(() => [EdgeModel]) edges: EdgeModel[];
    @Field(() => PageInfoModel) pageInfo: PageInfoModel;
  }

  return ConnectionModel as Type<Page<T>>;
}
