/**
 * The data of the federation-shape benchmark: users, products and reviews, generated the same way
 * on every run (10 users with 2 reviews each, 10 products), and the query of the well-known public
 * federation gateway benchmark (users -> reviews -> product -> reviews -> author -> reviews ->
 * product, and topProducts -> reviews -> author -> reviews -> product) with its expected answer,
 * computed here from the data without any GraphQL, so a gateway's answer can be checked.
 */

export interface User {
  id: string;
  name: string;
  username: string;
  birthDate: string;
}
export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

const USERS = 10;
const PRODUCTS = 10;
const REVIEWS_PER_USER = 2;

export const users: User[] = Array.from({ length: USERS }, (_, i) => ({
  id: String(i + 1),
  name: `User ${i + 1}`,
  username: `@user${i + 1}`,
  birthDate: new Date(Date.UTC(1980 + i, i % 12, 1 + i)).toISOString().slice(0, 10),
}));
export const products: Product[] = Array.from({ length: PRODUCTS }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: 100 + i * 150,
  weight: 10 + i * 7,
}));
export const reviews: Review[] = users.flatMap((user, u) =>
  Array.from({ length: REVIEWS_PER_USER }, (_, k) => ({
    id: String(u * REVIEWS_PER_USER + k + 1),
    body: `Review ${u * REVIEWS_PER_USER + k + 1} of product ${((u * 3 + k * 5) % PRODUCTS) + 1} by ${user.username}`,
    authorId: user.id,
    productUpc: String(((u * 3 + k * 5) % PRODUCTS) + 1),
  })),
);

export const inStock = (upc: string) => Number(upc) % 3 !== 0;
/** The inventory's computed field: it needs the product's price and weight (`@requires`). */
export const shippingEstimate = (price: number, weight: number) => (price > 1000 ? 0 : Math.round(weight * 0.5));
export const TOP_PRODUCTS_DEFAULT = 5;

export const QUERY = /* GraphQL */ `
fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;

const userOf = (id: string) => users.find((user) => user.id === id)!;
const productOf = (upc: string) => products.find((product) => product.upc === upc)!;
const reviewsBy = (userId: string) => reviews.filter((review) => review.authorId === userId);
const reviewsOf = (upc: string) => reviews.filter((review) => review.productUpc === upc);

const userFields = (user: User) => ({ id: user.id, username: user.username, name: user.name });
const reviewFields = (review: Review) => ({ id: review.id, body: review.body });
const productFields = (product: Product) => ({
  inStock: inStock(product.upc),
  name: product.name,
  price: product.price,
  shippingEstimate: shippingEstimate(product.price, product.weight),
  upc: product.upc,
  weight: product.weight,
});
const authorWithReviews = (user: User) => ({
  ...userFields(user),
  reviews: reviewsBy(user.id).map((review) => ({ ...reviewFields(review), product: productFields(productOf(review.productUpc)) })),
});

/** The `data` of a correct answer to `QUERY`. */
export function expectedData(): unknown {
  return {
    users: users.map((user) => ({
      ...userFields(user),
      reviews: reviewsBy(user.id).map((review) => {
        const product = productOf(review.productUpc);
        return {
          ...reviewFields(review),
          product: {
            ...productFields(product),
            reviews: reviewsOf(product.upc).map((other) => ({ ...reviewFields(other), author: authorWithReviews(userOf(other.authorId)) })),
          },
        };
      }),
    })),
    topProducts: products.slice(0, TOP_PRODUCTS_DEFAULT).map((product) => ({
      ...productFields(product),
      reviews: reviewsOf(product.upc).map((review) => ({ ...reviewFields(review), author: authorWithReviews(userOf(review.authorId)) })),
    })),
  };
}
