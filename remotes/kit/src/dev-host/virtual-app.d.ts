/** What dev-host-plugin.js provides to the page: the mini-app under development. */
declare module 'virtual:mini-app-dev-host/app' {
  import type { ComponentType } from 'react';
  import type { MiniAppProps } from '@mega/mini-app-sdk';
  import type { MiniAppPackageField } from '../mini-app-package.js';

  /** The mini-app's root component (what it exposes as `./App`). */
  const App: ComponentType<MiniAppProps>;
  export default App;
  /** The `miniApp` field of its package.json. */
  export const miniApp: MiniAppPackageField;
  /** The gateway that `/graphql` of the dev server forwards to (`GATEWAY_URL`). */
  export const gatewayTarget: string;
}
