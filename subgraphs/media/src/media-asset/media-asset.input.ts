import { Field, InputType } from 'type-graphql';
import { Visibility } from './media-asset.type.js';
import { TITLE_MAX_LENGTH } from './validation.js';

@InputType({ description: 'Fields to change; omitted ones stay as they are.' })
export class UpdateMediaAssetInput {
  @Field(() => String, { nullable: true, description: `1 to ${TITLE_MAX_LENGTH} characters.` })
  title?: string | null;

  @Field(() => Visibility, { nullable: true })
  visibility?: Visibility | null;
}
