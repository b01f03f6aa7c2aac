// The dev host page that `vite` (dev) serves in a mini-app's folder (see dev-host-plugin.js).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DevHost } from './dev-host';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DevHost />
  </StrictMode>,
);
