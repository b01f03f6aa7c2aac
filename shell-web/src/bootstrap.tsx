import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadRuntimeConfig } from './runtime-config';
import { Shell } from './shell';
import './shell.css';

const config = await loadRuntimeConfig();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell config={config} />
  </StrictMode>,
);
