// Route entry: the consent screen for a service provider's request that arrived by deep link (default export for React.lazy).
export { RequestConsentPage as default } from './ConsentPages.tsx';
