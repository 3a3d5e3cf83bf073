// services feature: public entry (default export for React.lazy): the catalogue.
export { ServicesPage as default } from './ServicesPage.tsx';
