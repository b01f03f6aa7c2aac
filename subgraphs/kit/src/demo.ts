import { createHash } from 'node:crypto';

/**
 * A stable UUID for a named piece of demo data, so that each subgraph can seed its own part of
 * the demo world independently and still point at the others' entities.
 */
export function demoId(name: string): string {
  const hex = createHash('sha256').update(`mega-app-demo:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export interface DemoUser {
  id: string;
  email: string;
  handle: string;
  displayName: string;
  /** Printed by `pnpm start`; demo accounts only. */
  password: string;
}

function demoUser(handle: string, displayName: string): DemoUser {
  return { id: demoId(`user:${handle}`), email: `${handle}@demo.mega.app`, handle, displayName, password: `${handle}-demo-pass` };
}

/** The people of the demo world. The shop user owns the catalogue's images. */
export const DEMO_USERS = {
  alice: demoUser('alice', 'Alice Archer'),
  bob: demoUser('bob', 'Bob Baker'),
  carol: demoUser('carol', 'Carol Chen'),
  dave: demoUser('dave', 'Dave Diaz'),
  shop: demoUser('megashop', 'Mega Shop'),
} as const;

/** Catalogue items; commerce seeds them (`demoId('product:<slug>')`) and media one image each (`demoId('media:product-image:<slug>')`). */
export const DEMO_PRODUCTS = [
  { slug: 'wireless-headphones', title: 'Wireless Headphones', priceCents: 8999, stock: 25, hue: 210 },
  { slug: 'travel-mug', title: 'Travel Mug', priceCents: 1999, stock: 120, hue: 20 },
  { slug: 'city-backpack', title: 'City Backpack', priceCents: 5999, stock: 40, hue: 140 },
  { slug: 'smart-lamp', title: 'Smart Lamp', priceCents: 3499, stock: 60, hue: 50 },
  { slug: 'running-shoes', title: 'Running Shoes', priceCents: 11999, stock: 18, hue: 0 },
  { slug: 'paperback-novel', title: 'Paperback Novel', priceCents: 1299, stock: 200, hue: 280 },
  { slug: 'yoga-mat', title: 'Yoga Mat', priceCents: 2999, stock: 75, hue: 170 },
  { slug: 'espresso-beans', title: 'Espresso Beans 1 kg', priceCents: 2499, stock: 90, hue: 30 },
] as const;

/** The demo conversations; comms seeds them (ids `demoId('conversation:<slug>')`). */
export const DEMO_CONVERSATIONS = [
  { slug: 'alice-bob', title: null, members: ['alice', 'bob'] },
  { slug: 'weekend-trip', title: 'Weekend trip', members: ['alice', 'bob', 'carol'] },
  { slug: 'carol-dave', title: null, members: ['carol', 'dave'] },
] as const;
