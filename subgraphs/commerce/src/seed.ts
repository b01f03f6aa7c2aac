import { DEMO_PRODUCTS, DEMO_USERS, demoId, type Logger } from '@mega/subgraph-kit';
import type { CommerceServices } from './context.js';

type DemoSlug = (typeof DEMO_PRODUCTS)[number]['slug'];

const DESCRIPTIONS: Record<DemoSlug, string> = {
  'wireless-headphones': 'Over-ear, noise-cancelling, 30 hours on a charge.',
  'travel-mug': 'Keeps coffee hot for six hours and never leaks in a bag.',
  'city-backpack': 'A 20-litre pack with a padded laptop sleeve and a rain cover.',
  'smart-lamp': 'A dimmable desk lamp with warm-to-cool light, controlled from your phone.',
  'running-shoes': 'Light, cushioned trainers for road runs of any length.',
  'paperback-novel': 'A page-turning mystery set on a night train across Europe.',
  'yoga-mat': 'A 6 mm non-slip mat with a carrying strap.',
  'espresso-beans': 'A dark, chocolatey blend, roasted this week.',
};

/** The demo id of a catalogue product. */
export const demoProductId = (slug: DemoSlug) => demoId(`product:${slug}`);
/** The demo id of a product's image; the media subgraph seeds an asset with this id. */
export const demoProductImageId = (slug: DemoSlug) => demoId(`media:product-image:${slug}`);
/** Bob's delivered past order. */
export const DEMO_ORDER_ID = demoId('order:bob-first-order');

const DAY_MS = 24 * 60 * 60 * 1000;

/** Writes the catalogue, a cart for Alice and a delivered order for Bob, when there are no products yet. */
export async function seedCommerce(services: CommerceServices, logger: Logger): Promise<void> {
  if ((await services.products.count()) > 0) return;
  for (const product of DEMO_PRODUCTS) {
    await services.products.create({
      id: demoProductId(product.slug),
      slug: product.slug,
      title: product.title,
      description: DESCRIPTIONS[product.slug],
      priceCents: product.priceCents,
      currency: 'USD',
      stock: product.stock,
      imageIds: [demoProductImageId(product.slug)],
    });
  }
  await services.carts.replace(DEMO_USERS.alice.id, [
    { productId: demoProductId('wireless-headphones'), quantity: 1 },
    { productId: demoProductId('travel-mug'), quantity: 2 },
  ]);
  const price = (slug: DemoSlug) => DEMO_PRODUCTS.find((product) => product.slug === slug)!.priceCents;
  await services.orders.record({
    id: DEMO_ORDER_ID,
    buyerId: DEMO_USERS.bob.id,
    status: 'DELIVERED',
    placedAt: new Date(Date.now() - 14 * DAY_MS),
    currency: 'USD',
    items: [
      { productId: demoProductId('paperback-novel'), quantity: 2, unitPriceCents: price('paperback-novel') },
      { productId: demoProductId('espresso-beans'), quantity: 1, unitPriceCents: price('espresso-beans') },
    ],
  });
  logger.info({ products: DEMO_PRODUCTS.length }, 'seeded the demo catalogue, a cart and an order');
}
