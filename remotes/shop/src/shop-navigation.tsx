import { createContext, useContext, useEffect, useRef, type AnchorHTMLAttributes, type ReactNode } from 'react';
import type { ShopRoute } from './routes';

/** A page of the shop that a link can point to. */
export type ShopTarget = Exclude<ShopRoute, { page: 'not-found' }>;

export interface ShopNavigation {
  /** The page shown now. */
  route: ShopRoute;
  /** The shell path of a page (for `href`). */
  pathOf(target: ShopTarget): string;
  /** Goes to a page through the shell's navigation (a history entry: back and forward work). */
  navigate(target: ShopTarget): void;
  /** Whether the user has moved between pages since the app was shown: the new page's heading then takes the focus. */
  navigated: boolean;
}

const ShopNavigationContext = createContext<ShopNavigation | null>(null);

export const ShopNavigationProvider = ShopNavigationContext.Provider;

export function useShopNavigation(): ShopNavigation {
  const navigation = useContext(ShopNavigationContext);
  if (!navigation) throw new Error('useShopNavigation() outside the shop app');
  return navigation;
}

/**
 * A link to a shop page: a real `href` (open in a new tab, copy the address) that navigates
 * through the shell on a plain click.
 */
export function ShopLink({ to, children, ...props }: { to: ShopTarget; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const navigation = useShopNavigation();
  return (
    <a
      {...props}
      href={navigation.pathOf(to)}
      onClick={(event) => {
        props.onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigation.navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/**
 * The heading of a shop page (h2 under the app's h1). It takes the focus when the page is shown
 * after a navigation, so that keyboard and screen reader users start at the new page.
 */
export function PageHeading({ id, children }: { id?: string; children: ReactNode }) {
  const { navigated } = useShopNavigation();
  const heading = useRef<HTMLHeadingElement>(null);
  const focusOnMount = useRef(navigated);
  useEffect(() => {
    if (focusOnMount.current) heading.current?.focus();
  }, []);
  return (
    <h2 ref={heading} id={id} tabIndex={-1} className="shop-page-heading">
      {children}
    </h2>
  );
}
