import { graphql } from './gql';

/** Who is signed in: typed by GraphQL Code Generator (`pnpm codegen` writes `src/gql/`). */
export const __CONST___VIEWER = graphql(`
  query __PASCAL__Viewer {
    me {
      id
      displayName
    }
  }
`);
