/** A picture of a product as the media subgraph serves it; null while media is unreachable. */
export interface ProductImageAsset {
  id: string;
  url?: string | null;
  thumbnailUrl?: string | null;
}

/** The first picture that can be shown, preferring the small preview. */
export function firstImageUrl(images: readonly (ProductImageAsset | null)[], size: 'thumbnail' | 'full'): string | undefined {
  for (const image of images) {
    const url = size === 'thumbnail' ? (image?.thumbnailUrl ?? image?.url) : (image?.url ?? image?.thumbnailUrl);
    if (url) return url;
  }
  return undefined;
}

/**
 * A square product picture that holds its place while it loads (no layout shift), or a neutral
 * square when there is none. Decorative by default: the product's title is next to it.
 */
export function ProductImage({ url, alt = '', className }: { url: string | undefined; alt?: string; className?: string }) {
  const classes = ['shop-image', className].filter(Boolean).join(' ');
  if (!url) return <span className={`${classes} shop-image-missing`} role={alt ? 'img' : undefined} aria-label={alt || undefined} aria-hidden={alt ? undefined : true} />;
  return <img className={classes} src={url} alt={alt} loading="lazy" decoding="async" width={320} height={320} />;
}
