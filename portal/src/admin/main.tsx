// The staff console's entry: reads /config.json (where the API is, how staff sign in), then starts the app.
import { render } from 'preact';
import { loadPortalConfig } from '../shared/api.ts';
import { App } from './app.tsx';
import './console.css';

const root = document.getElementById('app') as HTMLElement;
loadPortalConfig().then(
  (config) => render(<App config={config} />, root),
  () => render(<p class="boot">The console could not load its configuration. Reload the page.</p>, root),
);
