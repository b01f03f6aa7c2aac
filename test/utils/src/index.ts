export { createPgliteDatabase, createPostgresDatabase, DATABASE_DRIVERS, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from './databases.js';
export { postGraphQL, querySubgraph, TEST_GATEWAY_SECRET, type GraphQLResponse } from './signed-fetch.js';
