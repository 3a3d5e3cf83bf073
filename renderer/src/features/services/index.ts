// services feature: public entry (default export for React.lazy).
export { ServicesPage as default } from './ServicesPage.tsx';
