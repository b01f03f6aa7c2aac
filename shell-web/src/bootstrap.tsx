import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppUpdates } from './app-updates';
import { loadRuntimeConfig } from './runtime-config';
import { Shell } from './shell';
import { UpdateBanner } from './update-banner';
import './shell.css';

const config = await loadRuntimeConfig();
const updates = AppUpdates.start({ enabled: config.serviceWorker });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {updates && <UpdateBanner updates={updates} />}
    <Shell config={config} />
  </StrictMode>,
);
