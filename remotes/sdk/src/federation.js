// Plain JavaScript (typed by federation.d.ts): vite loads its config, which imports this, with
// Node itself, and a config loaded any other way made the Module Federation plugin bundle a second
// copy of its runtime.

/**
 * The Module Federation `shared` map of the shell and every mini-app, defined once (STYLE.md habit
 * 11): one React, one Apollo Client (its React bindings and rxjs with it, or `instanceof` breaks
 * across mini-apps), one graphql and one SDK. Sub-paths are shared only when listed.
 */
export const SHARED = {
  react: { singleton: true, requiredVersion: '19.3.1' },
  'react-dom': { singleton: true, requiredVersion: '19.3.1' },
  '@apollo/client': { singleton: true, requiredVersion: '4.3.8' },
  '@apollo/client/react': { singleton: true, requiredVersion: '4.3.8' },
  '@apollo/client/utilities': { singleton: true, requiredVersion: '4.3.8' },
  rxjs: { singleton: true, requiredVersion: '7.8.2' },
  graphql: { singleton: true, requiredVersion: '16.15.0' },
  '@mega/mini-app-sdk': { singleton: true, requiredVersion: '^1.2.0' },
};

/** What every mini-app exposes: its root component (default export), rendered with `MiniAppProps`. */
export const MINI_APP_EXPOSE = './App';
