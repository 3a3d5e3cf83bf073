// Home feature: public entry (default export for React.lazy).
export { HomePage as default } from './HomePage.tsx';
