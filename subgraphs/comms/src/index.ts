export { commsSubgraph, startComms } from './server.js';
export { buildSchema } from './schema.js';
export { CONVERSATION_MEMBERS_MAX, CONVERSATION_MEMBERS_MIN, CONVERSATION_TITLE_MAX_LENGTH } from './conversation/validation.js';
export { MESSAGE_ATTACHMENTS_MAX, MESSAGE_BODY_MAX_LENGTH } from './message/validation.js';
