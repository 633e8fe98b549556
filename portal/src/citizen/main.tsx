import { render } from 'preact';

render(<p>citizen</p>, document.getElementById('app') as HTMLElement);
