import { createRoot } from 'react-dom/client';
import { PlaygroundApp } from './playground-app';
import './playground.css';

// No StrictMode: its second mount of every effect leaves GraphiQL 5's Monaco response editor blank.
createRoot(document.getElementById('root')!).render(<PlaygroundApp />);
