// The citizen portal's entry: mounts the app on the static page.
import { render } from 'preact';
import './citizen.css';
import { App } from './app.tsx';

render(<App />, document.getElementById('app') as HTMLElement);
