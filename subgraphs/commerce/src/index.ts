export { commerceStartOptionsFromConfig, readCommerceConfig, type CommerceConfig } from './config.js';
export { DEFAULT_FULFILMENT_STEP_MS, startFulfilmentWorker, type FulfilmentWorkerOptions } from './fulfilment/fulfilment-worker.js';
export { MAX_CART_LINES, MAX_LINE_QUANTITY, MAX_SEARCH_LENGTH } from './limits.js';
export { buildSchema } from './schema.js';
export { DEMO_ORDER_ID, demoProductId, demoProductImageId } from './seed.js';
export { commerceSubgraph, startCommerce, type CommerceStartOptions, type FulfilmentSettings } from './server.js';
export { OrderStore, type OrderStatusChange } from './store/order.store.js';
