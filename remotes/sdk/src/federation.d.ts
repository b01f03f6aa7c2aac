/** The Module Federation `shared` map of the shell and every mini-app (see federation.js). */
export declare const SHARED: Readonly<Record<string, { readonly singleton: true; readonly requiredVersion: string }>>;
/** What every mini-app exposes: its root component (default export), rendered with `MiniAppProps`. */
export declare const MINI_APP_EXPOSE: './App';
