import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An amount of money in the smallest unit of its currency.' })
export class Money {
  @Field(() => Int, { description: 'The amount in cents (the currency minor unit).' })
  amountCents!: number;

  @Field(() => String, { description: 'ISO 4217 code, for example USD.' })
  currency!: string;

  @Field(() => String, { description: 'For display, for example "$89.99".' })
  formatted!: string;
}
